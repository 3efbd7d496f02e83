// chart: the account's chart preferences (a charting UI's layouts, themes, watchlists), read and written as OpenAlgo's
// /chart does: any keys but `apikey`, values kept as the client sent them.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ChartBody,
  ChartPreferencesResponse,
  ChartQuery,
  ChartSavedResponse,
  MAX_CHART_KEYS,
  MAX_CHART_KEY_LENGTH,
  MAX_CHART_VALUE_LENGTH,
} from '../chart-schemas.js';
import { errorReply } from '../errors.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';

// Chart preferences are the UI's own state, not trading state: a read key may keep its layouts.
const read: V1RouteConfig = { style: 'data', scope: 'read' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse };
/** Room for a few of the largest values in one request (the gateway's default limit is 1 MiB). */
export const CHART_BODY_LIMIT = 8 * 1024 * 1024;

export async function chartRoutes(fastify: FastifyInstance, { chartPreferences }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/chart',
    {
      config: read,
      schema: {
        summary: "The account's chart preferences",
        description: 'Every preference stored with POST /chart, by key. The key goes in the query: `/chart?apikey=…`.',
        tags: ['chart'],
        querystring: ChartQuery,
        response: { 200: ChartPreferencesResponse, ...errors },
      },
    },
    async (request) => {
      const stored = await chartPreferences.list(principalOf(request).accountId);
      return { status: 'success' as const, data: Object.fromEntries(stored.map(({ key, value }) => [key, JSON.parse(value) as unknown])) };
    },
  );

  app.post(
    '/chart',
    {
      config: read,
      bodyLimit: CHART_BODY_LIMIT,
      schema: {
        summary: 'Stores chart preferences',
        description:
          `Every field but \`apikey\` is stored under its name, replacing what was there; other keys are kept. At most ` +
          `${MAX_CHART_KEYS} keys per request, a key up to ${MAX_CHART_KEY_LENGTH} characters, a value up to 1 MB as ` +
          `JSON; a request body up to ${CHART_BODY_LIMIT / 1024 / 1024} MiB.`,
        tags: ['chart'],
        body: ChartBody,
        response: { 200: ChartSavedResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { apikey: _apikey, ...preferences } = request.body as ChartBody;
      const refusal = refusalOf(preferences);
      if (refusal) return badRequest(reply, refusal);
      const entries = Object.entries(preferences).map(([key, value]) => ({ key, value: JSON.stringify(value) }));
      await chartPreferences.save(principalOf(request).accountId, entries);
      return { status: 'success' as const, message: 'Preferences updated successfully' as const };
    },
  );
}

/** Why OpenAlgo would refuse these preferences, in its words and its order of checks; undefined when it would not. */
function refusalOf(preferences: Record<string, unknown>): string | undefined {
  const keys = Object.keys(preferences);
  if (keys.length > MAX_CHART_KEYS) return `Too many preference keys (max ${MAX_CHART_KEYS})`;
  for (const key of keys) {
    const characters = [...key];
    if (characters.length > MAX_CHART_KEY_LENGTH) {
      return `Preference key too long: ${characters.slice(0, 20).join('')}... (max ${MAX_CHART_KEY_LENGTH} chars)`;
    }
    if (pythonJsonLength(preferences[key]) > MAX_CHART_VALUE_LENGTH) return `Preference value too large for key: ${key} (max 1MB)`;
  }
  if (keys.length === 0) return 'No preferences provided to update';
  return undefined;
}

/**
 * Length of `value` as Python's json.dumps writes it, OpenAlgo's measure of a value: non-ASCII escaped (`\uXXXX` per
 * UTF-16 unit), `", "` between items and `": "` after keys.
 */
export function pythonJsonLength(value: unknown): number {
  if (typeof value === 'string') return JSON.stringify(value).length + 5 * nonAsciiUnits(value);
  if (Array.isArray(value)) {
    return 2 + value.reduce((sum: number, item) => sum + pythonJsonLength(item), 0) + 2 * Math.max(0, value.length - 1);
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const inside = entries.reduce((sum, [key, item]) => sum + pythonJsonLength(key) + 2 + pythonJsonLength(item), 0);
    return 2 + inside + 2 * Math.max(0, entries.length - 1);
  }
  return JSON.stringify(value).length;
}

function nonAsciiUnits(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) if (text.charCodeAt(index) > 0x7f) count += 1;
  return count;
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  const { statusCode, body } = errorReply(400, message);
  return reply.code(statusCode).send(body);
}
