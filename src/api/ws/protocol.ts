// The OpenAlgo WebSocket protocol (reference §10): parsing and checking client messages, and the replies that are not
// market data. Clients send JSON objects naming an `action` (or, in older clients, a `type`); the message is checked
// against its action's schema (messages.ts) before anything reads it, every check names the field it refused, and the
// error codes are OpenAlgo's.
import {
  type Action,
  ACTIONS,
  type DepthValue,
  type Message,
  type ModeValue,
  type SubscribeMessage,
  type UnsubscribeMessage,
  checkMessage,
  modeRefusal,
} from './messages.js';

export { ACTIONS, type Action, MAX_SYMBOLS_PER_REQUEST } from './messages.js';

export type Mode = 1 | 2 | 3;
export type ModeLabel = 'LTP' | 'Quote' | 'Depth';

export const MODES: readonly Mode[] = [1, 2, 3];
export const MODE_LABEL: Readonly<Record<Mode, ModeLabel>> = { 1: 'LTP', 2: 'Quote', 3: 'Depth' };
/** Depth levels the paper broker streams; OpenAlgo clients may ask for 5, 20, 30 or 50. */
export const SUPPORTED_DEPTH = 5;

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

/** Actions answered before authentication: they reveal nothing about an account (as in OpenAlgo). */
export const OPEN_ACTIONS: ReadonlySet<Action> = new Set(['authenticate', 'ping', 'get_supported_brokers']);

/** A message naming a known action, its body not checked yet. */
export interface RawEnvelope {
  action: Action;
  body: Record<string, unknown>;
  requestId?: RequestId;
}

/** A message that passed its action's schema: `action` tells which body it carries. */
export type Envelope = { [A in Action]: { action: A; body: Message<A>; requestId?: RequestId } }[Action];

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

/** One symbol to unsubscribe: `mode` undefined means every mode of it; `refused` says why its mode is not one. */
export type UnsubscribeEntry = SymbolRef & ({ mode?: Mode } | { refused: string });

export interface UnsubscribeRequest {
  symbols: UnsubscribeEntry[];
}

const ACTION_ALIASES: Readonly<Record<string, Action>> = { auth: 'authenticate' };

export function protocolError(code: ErrorCode, message: string, requestId?: RequestId): ProtocolError {
  return requestId === undefined ? { status: 'error', code, message } : { status: 'error', code, message, request_id: requestId };
}

export const isProtocolError = (value: unknown): value is ProtocolError =>
  typeof value === 'object' && value !== null && (value as { status?: unknown }).status === 'error';

/** The message's action and body, or the error to answer with. */
export function parseEnvelope(text: string): RawEnvelope | ProtocolError {
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

/** The message checked against its action's schema (after authentication, so a stranger learns nothing of it). */
export function checkEnvelope(raw: RawEnvelope): Envelope | ProtocolError {
  const broken = checkMessage(raw.action, raw.body);
  // The schema has just shown that the body is the action's message.
  return broken ? protocolError(broken.code, broken.message, raw.requestId) : (raw as Envelope);
}

/** The first non-empty of `api_key` and `apikey` (OpenAlgo reads `api_key or apikey`). */
export function apiKeyOf(body: Message<'authenticate'>): string | undefined {
  return body.api_key || body.apikey || undefined;
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

export function parseSubscribe(body: SubscribeMessage, requestId?: RequestId): SubscribeRequest | ProtocolError {
  const depth = body.depth === undefined ? SUPPORTED_DEPTH : Number(body.depth);
  if (depth !== SUPPORTED_DEPTH) {
    return protocolError(
      'UNSUPPORTED_DEPTH_LEVEL',
      `Depth level ${depthText(body.depth as DepthValue)} is not supported by the paper broker (supported: ${SUPPORTED_DEPTH})`,
      requestId,
    );
  }
  const symbols = symbolsOf(body, requestId);
  if (isProtocolError(symbols)) return symbols;
  return { symbols: symbols.map(({ symbol, exchange }) => ({ symbol, exchange })), mode: modeOf(body.mode) ?? 2, depth };
}

/**
 * An entry's own mode beats the message's; with neither, the entry means every mode of its symbol. An entry whose own
 * mode is not one is refused alone, in OpenAlgo's words.
 */
export function parseUnsubscribe(body: UnsubscribeMessage, requestId?: RequestId): UnsubscribeRequest | ProtocolError {
  const symbols = symbolsOf(body, requestId);
  if (isProtocolError(symbols)) return symbols;
  const shared = modeOf(body.mode);
  return {
    symbols: symbols.map(({ symbol, exchange, mode }): UnsubscribeEntry => {
      if (mode === undefined) return shared === undefined ? { symbol, exchange } : { symbol, exchange, mode: shared };
      const own = parseMode(mode);
      return own === undefined ? { symbol, exchange, refused: modeRefusal(mode) } : { symbol, exchange, mode: own };
    }),
  };
}

// `symbols` when it lists any; otherwise the top-level `symbol` and `exchange` (OpenAlgo reads
// `data.get("symbols") or []` and falls back to the single symbol only when that is empty), which carry the
// message's own mode.
function symbolsOf<Entry extends SymbolRef>(
  body: { symbols?: Entry[]; symbol?: string; exchange?: string },
  requestId?: RequestId,
): Array<SymbolRef & { mode?: unknown }> | ProtocolError {
  if (body.symbols !== undefined && body.symbols.length > 0) return body.symbols;
  if (body.symbol !== undefined && body.exchange !== undefined) return [{ symbol: body.symbol, exchange: body.exchange }];
  return protocolError('INVALID_PARAMETERS', 'At least one symbol must be specified (symbol and exchange, or symbols)', requestId);
}

// The schema admits only values parseMode knows.
function modeOf(value: ModeValue | undefined): Mode | undefined {
  return value === undefined ? undefined : parseMode(value);
}

function depthText(depth: DepthValue): string {
  return typeof depth === 'string' ? depth.trim() : String(depth);
}

function requestIdOf(value: unknown): RequestId | undefined {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : undefined;
}
