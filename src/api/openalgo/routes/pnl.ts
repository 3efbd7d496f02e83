// pnl/symbols: today's P&L of the account per position, with totals per currency (OpenAlgo's sandbox P&L by symbol).
// OpenAlgo answers it in analyzer mode only (400 in live); Ordergate answers it in both, from the broker serving the
// account, so a client written for the sandbox keeps working live.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type DayPnlTotal, dayPnl, dayPnlTotalOf } from '../../../core/day-pnl.js';
import { HOME_CURRENCY } from '../../../domain/currency.js';
import { type Decimal, toNumber, toRoundedNumber } from '../../../domain/decimal.js';
import { moneyDigits, priceDigitsFrom } from '../mappers.js';
import { PnlSymbolsBody, PnlSymbolsResponse } from '../pnl-schemas.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';

const read: V1RouteConfig = { style: 'data', scope: 'read' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse };

export async function pnlRoutes(fastify: FastifyInstance, { trading, instruments }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const digits = priceDigitsFrom(instruments);

  app.post(
    '/pnl/symbols',
    {
      config: read,
      schema: {
        summary: "Today's P&L per position, with totals",
        description:
          'Open positions with their realized and unrealized P&L of the session, and positions closed today that ' +
          'realized something. Totals are the rupee positions\'; with positions in dollars (CRYPTO), `by_currency` ' +
          'gives each currency\'s totals. Served in live and analyzer mode (OpenAlgo: analyzer mode only).',
        tags: ['account'],
        body: PnlSymbolsBody,
        response: { 200: PnlSymbolsResponse, ...errors },
      },
    },
    async (request) => {
      const pnl = dayPnl(await trading.listPositions(principalOf(request).accountId));
      const rows = pnl.positions.map(({ position, unrealizedPnl, realizedPnl, totalPnl }) => {
        const places = moneyDigits(position.currency, digits(position.symbol, position.exchange));
        const money = (value: Decimal) => toRoundedNumber(value, places);
        return {
          symbol: position.symbol,
          exchange: position.exchange,
          product: position.product,
          currency: position.currency,
          quantity: toNumber(position.quantity),
          pnl: money(totalPnl),
          unrealized_pnl: money(unrealizedPnl),
          today_realized_pnl: money(realizedPnl),
          total_pnl_today: money(totalPnl),
        };
      });
      // A currency's totals at the finest precision its positions show.
      const placesOf = (total: DayPnlTotal): number =>
        Math.max(2, ...pnl.positions.filter((row) => row.position.currency === total.currency).map((row) => moneyDigits(total.currency, digits(row.position.symbol, row.position.exchange))));
      const totalsOf = (total: DayPnlTotal) => {
        const money = (value: Decimal) => toRoundedNumber(value, placesOf(total));
        return {
          total_pnl: money(total.totalPnl),
          total_unrealized_pnl: money(total.unrealizedPnl),
          total_today_realized_pnl: money(total.realizedPnl),
          total_pnl_today: money(total.totalPnl),
        };
      };
      const foreign = pnl.totals.some((total) => total.currency !== HOME_CURRENCY);
      return {
        status: 'success' as const,
        data: rows,
        ...totalsOf(dayPnlTotalOf(HOME_CURRENCY, pnl)),
        currency: HOME_CURRENCY,
        ...(foreign ? { by_currency: Object.fromEntries(pnl.totals.map((total) => [total.currency, totalsOf(total)])) } : {}),
      };
    },
  );
}
