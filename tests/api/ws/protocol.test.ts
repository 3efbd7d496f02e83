// Parsing client messages: actions and their aliases, modes, depth and symbol lists, with OpenAlgo's error codes.
import { describe, expect, it } from 'vitest';
import {
  type Envelope,
  type ProtocolError,
  checkEnvelope,
  isProtocolError,
  parseEnvelope,
  parseMode,
  parseSubscribe,
  parseUnsubscribe,
} from '../../../src/api/ws/protocol.js';

/** The message as the session sees it once its action's schema passed, or the error that schema answers. */
function checked(message: Record<string, unknown>): Envelope | ProtocolError {
  const raw = parseEnvelope(JSON.stringify(message));
  return isProtocolError(raw) ? raw : checkEnvelope(raw);
}

function subscribe(message: Record<string, unknown>) {
  const envelope = checked({ action: 'subscribe', ...message });
  if (isProtocolError(envelope)) return envelope;
  if (envelope.action !== 'subscribe') throw new Error('not a subscribe message');
  return parseSubscribe(envelope.body);
}

function unsubscribe(message: Record<string, unknown>) {
  const envelope = checked({ action: 'unsubscribe', ...message });
  if (isProtocolError(envelope)) return envelope;
  if (envelope.action !== 'unsubscribe') throw new Error('not an unsubscribe message');
  return parseUnsubscribe(envelope.body);
}

describe('parseEnvelope', () => {
  it('reads the action from `action`, else `type`; `auth` means authenticate', () => {
    expect(parseEnvelope('{"action":"ping"}')).toMatchObject({ action: 'ping' });
    expect(parseEnvelope('{"type":"subscribe"}')).toMatchObject({ action: 'subscribe' });
    expect(parseEnvelope('{"action":"auth","api_key":"x"}')).toMatchObject({ action: 'authenticate' });
  });

  it('keeps a string or numeric request_id and ignores other kinds', () => {
    expect(parseEnvelope('{"action":"ping","request_id":"r"}')).toMatchObject({ requestId: 'r' });
    expect(parseEnvelope('{"action":"ping","request_id":3}')).toMatchObject({ requestId: 3 });
    expect(parseEnvelope('{"action":"ping","request_id":{}}')).toMatchObject({ requestId: undefined });
  });

  it('refuses text that is not a JSON object, and unknown actions', () => {
    expect(parseEnvelope('nope')).toEqual({ status: 'error', code: 'INVALID_JSON', message: 'Invalid JSON message' });
    expect(parseEnvelope('null')).toMatchObject({ code: 'INVALID_JSON' });
    expect(parseEnvelope('{}')).toEqual({ status: 'error', code: 'INVALID_ACTION', message: 'Invalid action: undefined' });
    expect(parseEnvelope('{"action":"dance","request_id":1}')).toEqual({
      status: 'error',
      code: 'INVALID_ACTION',
      message: 'Invalid action: dance',
      request_id: 1,
    });
  });
});

describe('parseMode', () => {
  it('takes 1, 2, 3, their numeric strings and the names in any case', () => {
    expect([1, 2, 3, '1', ' ltp ', 'Quote', 'DEPTH'].map(parseMode)).toEqual([1, 2, 3, 1, 1, 2, 3]);
  });
  it('refuses anything else', () => {
    expect([0, 4, 1.5, '', 'full', true, null, [1]].map(parseMode)).toEqual(Array(8).fill(undefined));
  });
});

describe('parseSubscribe', () => {
  it('defaults to Quote and depth 5; a single symbol at the top level or a list', () => {
    expect(subscribe({ symbol: 'SBIN', exchange: 'NSE' })).toEqual({ symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 2, depth: 5 });
    expect(subscribe({ symbols: [{ symbol: 'A', exchange: 'NSE' }, { symbol: 'B', exchange: 'BSE' }], mode: 'ltp', depth: '5' })).toEqual({
      symbols: [
        { symbol: 'A', exchange: 'NSE' },
        { symbol: 'B', exchange: 'BSE' },
      ],
      mode: 1,
      depth: 5,
    });
  });

  it('checks the fields against the schema, then the depth, then that a symbol is named', () => {
    expect(subscribe({ mode: 9, depth: 50 })).toMatchObject({ code: 'INVALID_MODE' });
    expect(subscribe({ mode: 3, depth: 50 })).toEqual({
      status: 'error',
      code: 'UNSUPPORTED_DEPTH_LEVEL',
      message: 'Depth level 50 is not supported by the paper broker (supported: 5)',
    });
    expect(subscribe({ mode: 3 })).toEqual({
      status: 'error',
      code: 'INVALID_PARAMETERS',
      message: 'At least one symbol must be specified (symbol and exchange, or symbols)',
    });
    expect(subscribe({ symbols: 'SBIN' })).toEqual({
      status: 'error',
      code: 'INVALID_PARAMETERS',
      message: 'symbols must be an array of at most 1000 {symbol, exchange} objects (got "SBIN")',
    });
    expect(subscribe({ symbols: [{ symbol: 'SBIN', exchange: 5 }] })).toEqual({
      status: 'error',
      code: 'INVALID_PARAMETERS',
      message: 'symbols[0].exchange must be an exchange code of 1 to 16 characters (got 5)',
    });
    expect(subscribe({ symbols: Array(1001).fill({ symbol: 'SBIN', exchange: 'NSE' }) })).toMatchObject({
      message: 'symbols must be an array of at most 1000 {symbol, exchange} objects',
    });
  });
});

describe('parseUnsubscribe', () => {
  it('leaves the mode open when none is given; an entry mode beats the shared one', () => {
    expect(unsubscribe({ symbol: 'SBIN', exchange: 'NSE' })).toEqual({ symbols: [{ symbol: 'SBIN', exchange: 'NSE' }] });
    expect(
      unsubscribe({ mode: 'Quote', symbols: [{ symbol: 'A', exchange: 'NSE' }, { symbol: 'B', exchange: 'NSE', mode: 3 }] }),
    ).toEqual({
      symbols: [
        { symbol: 'A', exchange: 'NSE', mode: 2 },
        { symbol: 'B', exchange: 'NSE', mode: 3 },
      ],
    });
    expect(unsubscribe({ mode: 1, symbols: [{ symbol: 'A', exchange: 'NSE', mode: 'x' }, { symbol: 'B', exchange: 'NSE', mode: null }] })).toEqual({
      symbols: [
        { symbol: 'A', exchange: 'NSE', refused: "Invalid mode 'x'; expected 'LTP', 'Quote', or 'Depth' (case-insensitive)" },
        { symbol: 'B', exchange: 'NSE', refused: 'Mode must be int or str, got NoneType' },
      ],
    });
    expect(unsubscribe({ symbol: 'A', exchange: 'NSE', mode: 'x' })).toMatchObject({ code: 'INVALID_MODE' });
    expect(unsubscribe({ symbols: [], symbol: 'SBIN', exchange: 'NSE', mode: 1 })).toEqual({
      symbols: [{ symbol: 'SBIN', exchange: 'NSE', mode: 1 }],
    });
  });
});
