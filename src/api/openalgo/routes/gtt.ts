// placegttorder, modifygttorder, cancelgttorder, gttorderbook: good-till-triggered orders. In analyzer mode they are
// the sandbox's GTTs (core/gtt-desk.ts decides), and the plugin tags the answers `"mode":"analyze"`.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { expiryOf, readBlanks, toGttEntry, toGttSpec } from '../gtt-mapping.js';
import { CancelGttBody, GttBookBody, GttBookResponse, GttIdResponse, ModifyGttBody, PlaceGttBody } from '../gtt-schemas.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';

const trade: V1RouteConfig = { style: 'order', scope: 'trade', group: 'order' };
const read: V1RouteConfig = { style: 'data', scope: 'read', group: 'api' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: RateLimitedResponse };

export async function gttRoutes(fastify: FastifyInstance, deps: OpenAlgoDeps): Promise<void> {
  const desk = deps.gtt;
  if (!desk) return;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/placegttorder',
    {
      config: trade,
      preValidation: async (request) => readBlanks(request.body),
      schema: {
        summary: 'Place a GTT (good-till-triggered) order',
        description:
          'A SINGLE GTT places its child order (LIMIT at `price`, or MARKET) when the last price falls to ' +
          '`triggerprice_sl` or rises to `triggerprice_tg`, whichever one is given. An OCO GTT has a stop-loss leg ' +
          '(`triggerprice_sl`, limit `stoploss`) below the market and a target leg (`triggerprice_tg`, limit `target`) ' +
          'above it: the first reached fires, the other is dropped. The child order goes through the normal order path ' +
          'and shows in orderbook and tradebook. A GTT rests until it fires, is cancelled or expires (a year, or ' +
          '`expires_at`), across restarts. Placed in analyzer mode, the GTT belongs to the sandbox: it fires into the ' +
          'sandbox order book, whatever the switch says by then, and is listed, modified and cancelled in analyzer mode only.',
        tags: ['gtt'],
        body: PlaceGttBody,
        response: { 200: GttIdResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      const spec = toGttSpec(accountId, request.body);
      const expiresAt = expiryOf(request.body.expires_at);
      const gtt = await desk.place(spec, expiresAt);
      return { status: 'success' as const, trigger_id: gtt.id };
    },
  );

  app.post(
    '/modifygttorder',
    {
      config: trade,
      preValidation: async (request) => readBlanks(request.body),
      schema: {
        summary: 'Modify an active GTT',
        description:
          'A full replacement of the GTT named by `trigger_id`: triggers, prices, quantity, product and price type, ' +
          'checked as at placement against the last price now. Symbol, exchange, action and trigger type cannot ' +
          'change (cancel and place again); the expiry stays. 404 when the GTT is not active, or is of the other mode ' +
          '(a live GTT in analyzer mode, a sandbox one outside it).',
        tags: ['gtt'],
        body: ModifyGttBody,
        response: { 200: GttIdResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      const spec = toGttSpec(accountId, request.body);
      const gtt = await desk.modify(request.body.trigger_id, spec);
      return { status: 'success' as const, trigger_id: gtt.id };
    },
  );

  app.post(
    '/cancelgttorder',
    {
      config: trade,
      schema: {
        summary: 'Cancel an active GTT',
        description:
          'Cancels the GTT (both legs of an OCO). 404 when it is not active, or is of the other mode (a live GTT in ' +
          'analyzer mode, a sandbox one outside it).',
        tags: ['gtt'],
        body: CancelGttBody,
        response: { 200: GttIdResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      const gtt = await desk.cancel(accountId, request.body.trigger_id);
      return { status: 'success' as const, trigger_id: gtt.id };
    },
  );

  app.post(
    '/gttorderbook',
    {
      config: read,
      schema: {
        summary: 'Active GTTs of the account',
        description:
          'Active GTTs only, newest first; triggered, cancelled and expired ones leave the book (their child orders are ' +
          'in orderbook). In analyzer mode the GTTs of the sandbox, else the live ones.',
        tags: ['gtt'],
        body: GttBookBody,
        response: { 200: GttBookResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      const book = await desk.book(accountId);
      return { status: 'success' as const, data: book.map(toGttEntry) };
    },
  );
}
