// The OpenAlgo WebSocket protocol (reference §10): parsing and checking client messages, and the replies that are not
// market data. Clients send JSON objects naming an `action` (or, in older clients, a `type`); every check here names
// the field it refused, and the error codes are OpenAlgo's.

export type Mode = 1 | 2 | 3;
export type ModeLabel = 'LTP' | 'Quote' | 'Depth';

export const MODES: readonly Mode[] = [1, 2, 3];
export const MODE_LABEL: Readonly<Record<Mode, ModeLabel>> = { 1: 'LTP', 2: 'Quote', 3: 'Depth' };
/** Depth levels the paper broker streams; OpenAlgo clients may ask for 5, 20, 30 or 50. */
export const SUPPORTED_DEPTH = 5;
/** More symbols than this in one subscribe or unsubscribe is refused whole. */
export const MAX_SYMBOLS_PER_REQUEST = 1000;

export type ErrorCode =
  | 'INVALID_JSON'
  | 'INVALID_ACTION'
  | 'NOT_AUTHENTICATED'
  | 'AUTHENTICATION_ERROR'
  | 'INVALID_MODE'
  | 'INVALID_PARAMETERS'
  | 'UNSUPPORTED_DEPTH_LEVEL'
  | 'SERVER_ERROR';

/** Echoed in the reply when the client sent one (OpenAlgo echoes it on subscribe and unsubscribe; we echo it on all). */
export type RequestId = string | number;

export interface ProtocolError {
  status: 'error';
  code: ErrorCode;
  message: string;
  request_id?: RequestId;
}

export const ACTIONS = [
  'authenticate',
  'subscribe',
  'unsubscribe',
  'unsubscribe_all',
  'subscribe_orders',
  'unsubscribe_orders',
  'ping',
  'get_broker_info',
  'get_supported_brokers',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions answered before authentication: they reveal nothing about an account (as in OpenAlgo). */
export const OPEN_ACTIONS: ReadonlySet<Action> = new Set(['authenticate', 'ping', 'get_supported_brokers']);

export interface Envelope {
  action: Action;
  body: Record<string, unknown>;
  requestId?: RequestId;
}

/** A symbol as the client named it (not yet looked up). */
export interface SymbolRef {
  symbol: string;
  exchange: string;
}

export interface SubscribeRequest {
  symbols: SymbolRef[];
  mode: Mode;
  depth: number;
}

export interface UnsubscribeRequest {
  /** `mode` undefined: every mode of that symbol. */
  symbols: Array<SymbolRef & { mode?: Mode }>;
}

const ACTION_ALIASES: Readonly<Record<string, Action>> = { auth: 'authenticate' };

export function protocolError(code: ErrorCode, message: string, requestId?: RequestId): ProtocolError {
  return requestId === undefined ? { status: 'error', code, message } : { status: 'error', code, message, request_id: requestId };
}

export const isProtocolError = (value: unknown): value is ProtocolError =>
  typeof value === 'object' && value !== null && (value as { status?: unknown }).status === 'error';

/** The message's action and body, or the error to answer with. */
export function parseEnvelope(text: string): Envelope | ProtocolError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return protocolError('INVALID_JSON', 'Invalid JSON message');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return protocolError('INVALID_JSON', 'A message must be a JSON object');
  }
  const record = body as Record<string, unknown>;
  const requestId = requestIdOf(record.request_id);
  const named = record.action ?? record.type;
  const action = typeof named === 'string' ? (ACTION_ALIASES[named] ?? named) : named;
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) {
    return protocolError('INVALID_ACTION', `Invalid action: ${typeof named === 'string' ? named : String(named)}`, requestId);
  }
  return { action: action as Action, body: record, requestId };
}

/** `api_key` or `apikey`, when it is a string. */
export function apiKeyOf(body: Record<string, unknown>): string | undefined {
  const key = body.api_key ?? body.apikey;
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

/** 1, 2, 3 (numbers or numeric strings) or "LTP", "Quote", "Depth" in any case; undefined for anything else. */
export function parseMode(value: unknown): Mode | undefined {
  if (typeof value === 'number') return value === 1 || value === 2 || value === 3 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toUpperCase();
  if (word === 'LTP' || word === '1') return 1;
  if (word === 'QUOTE' || word === '2') return 2;
  if (word === 'DEPTH' || word === '3') return 3;
  return undefined;
}

export function parseSubscribe(body: Record<string, unknown>, requestId?: RequestId): SubscribeRequest | ProtocolError {
  const mode = body.mode === undefined ? 2 : parseMode(body.mode);
  if (mode === undefined) return invalidMode(body.mode, requestId);
  const depth = body.depth === undefined ? SUPPORTED_DEPTH : Number(body.depth);
  if (depth !== SUPPORTED_DEPTH) {
    return protocolError(
      'UNSUPPORTED_DEPTH_LEVEL',
      `Depth level ${String(body.depth)} is not supported by the paper broker (supported: ${SUPPORTED_DEPTH})`,
      requestId,
    );
  }
  const symbols = symbolsOf(body, requestId);
  if (isProtocolError(symbols)) return symbols;
  return { symbols, mode, depth };
}

export function parseUnsubscribe(body: Record<string, unknown>, requestId?: RequestId): UnsubscribeRequest | ProtocolError {
  const shared = body.mode === undefined ? undefined : parseMode(body.mode);
  if (body.mode !== undefined && shared === undefined) return invalidMode(body.mode, requestId);
  const symbols = symbolsOf(body, requestId);
  if (isProtocolError(symbols)) return symbols;
  const entries: UnsubscribeRequest['symbols'] = [];
  for (const [index, ref] of symbols.entries()) {
    const raw = Array.isArray(body.symbols) ? (body.symbols[index] as Record<string, unknown>).mode : undefined;
    const own = raw === undefined ? shared : parseMode(raw);
    if (raw !== undefined && own === undefined) return invalidMode(raw, requestId);
    entries.push(own === undefined ? ref : { ...ref, mode: own });
  }
  return { symbols: entries };
}

// `symbols: [{symbol, exchange}, …]`, or a single `symbol` and `exchange` at the top level.
function symbolsOf(body: Record<string, unknown>, requestId?: RequestId): SymbolRef[] | ProtocolError {
  const list = body.symbols;
  if (list === undefined || (Array.isArray(list) && list.length === 0)) {
    if (typeof body.symbol === 'string' && body.symbol !== '' && typeof body.exchange === 'string' && body.exchange !== '') {
      return [{ symbol: body.symbol, exchange: body.exchange }];
    }
    return protocolError('INVALID_PARAMETERS', 'At least one symbol must be specified (symbol and exchange, or symbols)', requestId);
  }
  if (!Array.isArray(list)) return protocolError('INVALID_PARAMETERS', 'symbols must be an array of {symbol, exchange}', requestId);
  if (list.length > MAX_SYMBOLS_PER_REQUEST) {
    return protocolError('INVALID_PARAMETERS', `At most ${MAX_SYMBOLS_PER_REQUEST} symbols per request`, requestId);
  }
  const refs: SymbolRef[] = [];
  for (const [index, entry] of list.entries()) {
    const { symbol, exchange } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof symbol !== 'string' || symbol === '' || typeof exchange !== 'string' || exchange === '') {
      return protocolError('INVALID_PARAMETERS', `symbols[${index}] needs a symbol and an exchange (strings)`, requestId);
    }
    refs.push({ symbol, exchange });
  }
  return refs;
}

function invalidMode(value: unknown, requestId?: RequestId): ProtocolError {
  return protocolError(
    'INVALID_MODE',
    `Invalid mode ${JSON.stringify(value) ?? String(value)}; expected 1 (LTP), 2 (Quote), 3 (Depth) or their names`,
    requestId,
  );
}

function requestIdOf(value: unknown): RequestId | undefined {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : undefined;
}
