// The OpenAlgo routes Ordergate does not serve, answered 501 in OpenAlgo's envelope: the Telegram bot and WhatsApp
// notifications (Ordergate connects to no outside messaging service). Each is
// registered with its own path and method, so a client learns why rather than meeting a 404; the key is checked first,
// as OpenAlgo checks it on these routes, so the answer tells nothing to a caller without one.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorReply } from '../errors.js';
import type { OpenAlgoDeps, V1RouteConfig } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse, apikey } from '../schemas.js';

export const MESSAGING_NOT_SERVED = 'Ordergate does not connect to outside messaging services';

interface NotServedGroup {
  tag: string;
  message: string;
  /** OpenAlgo answers a request without a key 401 on these routes. */
  missingKeyStatus?: 401;
  routes: ReadonlyArray<{ method: 'GET' | 'POST'; path: string; summary: string }>;
}

/** Every such route of OpenAlgo (restx_api/telegram_bot.py, whatsapp_bot.py). */
export const NOT_SERVED: readonly NotServedGroup[] = [
  {
    tag: 'telegram',
    message: `The Telegram bot is not served: ${MESSAGING_NOT_SERVED}`,
    missingKeyStatus: 401,
    routes: [
      { method: 'GET', path: '/telegram/config', summary: "The Telegram bot's configuration" },
      { method: 'POST', path: '/telegram/config', summary: "Changes the Telegram bot's configuration" },
      { method: 'POST', path: '/telegram/start', summary: 'Starts the Telegram bot' },
      { method: 'POST', path: '/telegram/stop', summary: 'Stops the Telegram bot' },
      { method: 'POST', path: '/telegram/webhook', summary: "Telegram's webhook" },
      { method: 'GET', path: '/telegram/users', summary: 'Telegram users linked to accounts' },
      { method: 'POST', path: '/telegram/broadcast', summary: 'A message to every linked Telegram user' },
      { method: 'POST', path: '/telegram/notify', summary: 'A message to one Telegram user' },
      { method: 'GET', path: '/telegram/stats', summary: "The Telegram bot's statistics" },
      { method: 'GET', path: '/telegram/preferences', summary: "A Telegram user's notification preferences" },
      { method: 'POST', path: '/telegram/preferences', summary: "Changes a Telegram user's notification preferences" },
    ],
  },
  {
    tag: 'whatsapp',
    message: `WhatsApp notifications are not served: ${MESSAGING_NOT_SERVED}`,
    missingKeyStatus: 401,
    routes: [{ method: 'POST', path: '/whatsapp/notify', summary: 'A WhatsApp message' }],
  },
];

/** Whatever OpenAlgo's route takes; only the key is read. */
const AnyBody = Type.Object({ apikey: Type.Optional(apikey()) }, { description: "OpenAlgo's body for this route; only `apikey` is read." });
const AnyQuery = Type.Object({ apikey: Type.Optional(apikey()) });

export async function notServedRoutes(fastify: FastifyInstance, _deps: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  for (const group of NOT_SERVED) {
    const config: V1RouteConfig = { style: 'data', scope: 'read', ...(group.missingKeyStatus ? { missingKeyStatus: group.missingKeyStatus } : {}) };
    const { body } = errorReply(501, group.message);
    const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse, 501: ErrorResponse };
    for (const route of group.routes) {
      const schema = { summary: `${route.summary} (not served)`, description: `Answered 501: ${group.message}.`, tags: ['not served'] };
      if (route.method === 'GET') app.get(route.path, { config, schema: { ...schema, querystring: AnyQuery, response: errors } }, async (_request, reply) =>
        reply.code(501).send(body),
      );
      else app.post(route.path, { config, schema: { ...schema, body: AnyBody, response: errors } }, async (_request, reply) =>
        reply.code(501).send(body),
      );
    }
  }
}
