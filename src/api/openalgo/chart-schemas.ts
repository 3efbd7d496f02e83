// Schemas of the v1 chart preferences endpoint (GET and POST /chart): validation, types and OpenAPI.
import { type Static, Type } from 'typebox';
import { apikey, dataBody, success } from './schemas.js';

export const MAX_CHART_KEYS = 50;
export const MAX_CHART_KEY_LENGTH = 50;
/** Of a value written as Python's json.dumps writes it (OpenAlgo's measure). */
export const MAX_CHART_VALUE_LENGTH = 1_048_576;

export const ChartQuery = Type.Object({ apikey: apikey() });
export type ChartQuery = Static<typeof ChartQuery>;

export const ChartBody = dataBody(
  { apikey: apikey() },
  `Preferences to store: every field but \`apikey\` is one, any JSON value (at most ${MAX_CHART_KEYS} per request, ` +
    `keys up to ${MAX_CHART_KEY_LENGTH} characters, values up to 1 MB as JSON). Keys not sent keep their values.`,
);
export type ChartBody = Static<typeof ChartBody> & Record<string, unknown>;

export const ChartPreferencesResponse = Type.Object({
  status: success(),
  data: Type.Record(Type.String(), Type.Unknown(), { description: 'Every stored preference, by key, as it was written.' }),
});

export const ChartSavedResponse = Type.Object({
  status: success(),
  message: Type.Literal('Preferences updated successfully'),
});
