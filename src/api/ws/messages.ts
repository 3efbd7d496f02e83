// The client messages of the OpenAlgo WebSocket protocol as schemas, one per action: the single source of their
// validation and their types. A message is checked against its action's schema (compiled once) before anything acts
// on it; the first broken rule becomes an error naming the field, the rule and, for a scalar, the value sent (a mode
// that is not one, in OpenAlgo's words).
// Fields a schema does not list are ignored, as OpenAlgo ignores them.
import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { pythonRepr } from '../openalgo/validation-errors.js';

/** More symbols than this in one subscribe or unsubscribe is refused whole. */
export const MAX_SYMBOLS_PER_REQUEST = 1000;

export type MessageErrorCode = 'INVALID_PARAMETERS' | 'INVALID_MODE';

/** Schema option: the error code a broken rule of this field answers with (default INVALID_PARAMETERS). */
const ERROR_CODE = 'x-error-code';

const mode = () =>
  Type.Union(
    [
      Type.Literal(1),
      Type.Literal(2),
      Type.Literal(3),
      Type.String({ pattern: '^\\s*([lL][tT][pP]|[qQ][uU][oO][tT][eE]|[dD][eE][pP][tT][hH]|[123])\\s*$' }),
    ],
    { description: '1 (LTP), 2 (Quote), 3 (Depth) or their names', [ERROR_CODE]: 'INVALID_MODE' },
  );

const symbol = () => Type.String({ minLength: 1, maxLength: 64, description: 'a symbol of 1 to 64 characters' });
const exchange = () => Type.String({ minLength: 1, maxLength: 16, description: 'an exchange code of 1 to 16 characters' });

const symbolList = <Entry extends TSchema>(entry: Entry) =>
  Type.Array(entry, {
    maxItems: MAX_SYMBOLS_PER_REQUEST,
    description: `an array of at most ${MAX_SYMBOLS_PER_REQUEST} {symbol, exchange} objects`,
  });

const entry = <Extra extends Record<string, TSchema>>(extra: Extra) =>
  Type.Object({ symbol: symbol(), exchange: exchange(), ...extra }, { description: 'a {symbol, exchange} object' });

const apiKey = () => Type.String({ maxLength: 256, description: 'a string of at most 256 characters' });

const AuthenticateMessage = Type.Object({ api_key: Type.Optional(apiKey()), apikey: Type.Optional(apiKey()) });

// `symbols` (a list) or, when it is absent or empty, a single top-level `symbol` and `exchange`.
const SubscribeMessage = Type.Object({
  symbols: Type.Optional(symbolList(entry({}))),
  symbol: Type.Optional(symbol()),
  exchange: Type.Optional(exchange()),
  mode: Type.Optional(mode()),
  depth: Type.Optional(
    Type.Union([Type.Integer(), Type.String({ pattern: '^\\s*\\d{1,3}\\s*$' })], {
      description: 'a whole number of levels (5, 20, 30 or 50)',
    }),
  ),
});

// As subscribe; each entry may name its own mode, which overrides the top-level one. An entry's mode is read, not checked
// here: one that is not a mode fails that entry alone (listed under `failed`), as in OpenAlgo.
const UnsubscribeMessage = Type.Object({
  symbols: Type.Optional(
    symbolList(entry({ mode: Type.Optional(Type.Unknown({ description: '1 (LTP), 2 (Quote), 3 (Depth) or their names' })) })),
  ),
  symbol: Type.Optional(symbol()),
  exchange: Type.Optional(exchange()),
  mode: Type.Optional(mode()),
});

const NoParameters = Type.Object({});

// `timestamp` and `_pingId` are echoed as they came, whatever they are.
const PingMessage = Type.Object({ timestamp: Type.Optional(Type.Unknown()), _pingId: Type.Optional(Type.Unknown()) });

export const MESSAGE_SCHEMAS = {
  authenticate: AuthenticateMessage,
  subscribe: SubscribeMessage,
  unsubscribe: UnsubscribeMessage,
  unsubscribe_all: NoParameters,
  subscribe_orders: NoParameters,
  unsubscribe_orders: NoParameters,
  ping: PingMessage,
  get_broker_info: NoParameters,
  get_supported_brokers: NoParameters,
} as const;

export type Action = keyof typeof MESSAGE_SCHEMAS;
export const ACTIONS = Object.keys(MESSAGE_SCHEMAS) as Action[];
export type Message<A extends Action> = Static<(typeof MESSAGE_SCHEMAS)[A]>;
export type AuthenticateMessage = Message<'authenticate'>;
export type SubscribeMessage = Message<'subscribe'>;
export type UnsubscribeMessage = Message<'unsubscribe'>;
export type PingMessage = Message<'ping'>;
export type ModeValue = NonNullable<SubscribeMessage['mode']>;
export type DepthValue = NonNullable<SubscribeMessage['depth']>;

export interface MessageError {
  code: MessageErrorCode;
  message: string;
}

const VALIDATORS = Object.fromEntries(ACTIONS.map((action) => [action, Compile(MESSAGE_SCHEMAS[action])])) as {
  [A in Action]: ReturnType<typeof Compile<(typeof MESSAGE_SCHEMAS)[A]>>;
};

/** Whether `body` is a valid `action` message; else the first broken rule. */
export function checkMessage<A extends Action>(action: A, body: Record<string, unknown>): MessageError | undefined {
  const validator = VALIDATORS[action];
  if (validator.Check(body)) return undefined;
  const [first] = validator.Errors(body);
  if (!first) return { code: 'INVALID_PARAMETERS', message: `Invalid ${action} message` };
  const segments = first.instancePath.split('/').slice(1).map(unescapePointer);
  if (first.keyword === 'required') {
    const missing = (first.params as { requiredProperties: string[] }).requiredProperties[0] ?? '';
    return { code: 'INVALID_PARAMETERS', message: `${fieldName([...segments, missing])} is required` };
  }
  const { schema, depth } = schemaAt(MESSAGE_SCHEMAS[action], segments);
  const at = segments.slice(0, depth);
  const rule = typeof schema.description === 'string' ? schema.description : 'valid';
  const shown = scalarText(valueAt(body, at));
  if (schema[ERROR_CODE] === 'INVALID_MODE') return { code: 'INVALID_MODE', message: modeRefusal(valueAt(body, at)) };
  return { code: 'INVALID_PARAMETERS', message: `${fieldName(at)} must be ${rule}${shown === undefined ? '' : ` (got ${shown})`}` };
}

/** Why a value is not a mode, as OpenAlgo's mode check words it (Python's repr of what was sent). */
export function modeRefusal(value: unknown): string {
  if (typeof value === 'boolean') return `Mode must be int or str, got bool (${value ? 'True' : 'False'})`;
  if (typeof value === 'number' && Number.isInteger(value)) return `Invalid mode ${value}; expected 1 (LTP), 2 (Quote), or 3 (Depth)`;
  if (typeof value === 'string') {
    return `Invalid mode ${pythonRepr(value)}; expected 'LTP', 'Quote', or 'Depth' (case-insensitive)`;
  }
  return `Mode must be int or str, got ${pythonTypeName(value)}`;
}

function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'number') return 'float';
  return Array.isArray(value) ? 'list' : 'dict';
}

// The deepest schema the path reaches (a union or a scalar ends the walk), and how many segments that took.
function schemaAt(root: TSchema, segments: readonly string[]): { schema: Record<string, unknown>; depth: number } {
  let schema = root as Record<string, unknown>;
  let depth = 0;
  for (const segment of segments) {
    const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
    const items = schema.items as Record<string, unknown> | undefined;
    const next = properties?.[segment] ?? (items && /^\d+$/.test(segment) ? items : undefined);
    if (!next) break;
    schema = next;
    depth += 1;
  }
  return { schema, depth };
}

function valueAt(body: unknown, segments: readonly string[]): unknown {
  let value = body;
  for (const segment of segments) value = (value as Record<string, unknown>)[segment];
  return value;
}

/** `symbols[0].exchange` for `/symbols/0/exchange`. */
function fieldName(segments: readonly string[]): string {
  return segments.map((segment, i) => (/^\d+$/.test(segment) ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

// A short rendering of a scalar the client sent; objects, arrays and long strings are not repeated back.
function scalarText(value: unknown): string | undefined {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && value.length <= 32) return JSON.stringify(value);
  return undefined;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
