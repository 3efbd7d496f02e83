// Parsing client messages: actions and their aliases, modes, depth and symbol lists, with OpenAlgo's error codes.
import { describe, expect, it } from 'vitest';
import { parseEnvelope, parseMode, parseSubscribe, parseUnsubscribe } from '../../../src/api/ws/protocol.js';

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
    expect(parseSubscribe({ symbol: 'SBIN', exchange: 'NSE' })).toEqual({ symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 2, depth: 5 });
    expect(parseSubscribe({ symbols: [{ symbol: 'A', exchange: 'NSE' }, { symbol: 'B', exchange: 'BSE' }], mode: 'ltp', depth: '5' })).toEqual({
      symbols: [
        { symbol: 'A', exchange: 'NSE' },
        { symbol: 'B', exchange: 'BSE' },
      ],
      mode: 1,
      depth: 5,
    });
  });

  it('checks the mode first, then the depth, then the symbols', () => {
    expect(parseSubscribe({ mode: 9, depth: 50 })).toMatchObject({ code: 'INVALID_MODE' });
    expect(parseSubscribe({ mode: 3, depth: 50 })).toMatchObject({ code: 'UNSUPPORTED_DEPTH_LEVEL' });
    expect(parseSubscribe({ mode: 3 })).toMatchObject({ code: 'INVALID_PARAMETERS' });
    expect(parseSubscribe({ symbols: 'SBIN' })).toEqual({
      status: 'error',
      code: 'INVALID_PARAMETERS',
      message: 'symbols must be an array of {symbol, exchange}',
    });
    expect(parseSubscribe({ symbols: [{ symbol: 'SBIN', exchange: 5 }] })).toMatchObject({ code: 'INVALID_PARAMETERS' });
    expect(parseSubscribe({ symbols: Array(1001).fill({ symbol: 'SBIN', exchange: 'NSE' }) })).toMatchObject({
      message: 'At most 1000 symbols per request',
    });
  });
});

describe('parseUnsubscribe', () => {
  it('leaves the mode open when none is given; an entry mode beats the shared one', () => {
    expect(parseUnsubscribe({ symbol: 'SBIN', exchange: 'NSE' })).toEqual({ symbols: [{ symbol: 'SBIN', exchange: 'NSE' }] });
    expect(
      parseUnsubscribe({ mode: 'Quote', symbols: [{ symbol: 'A', exchange: 'NSE' }, { symbol: 'B', exchange: 'NSE', mode: 3 }] }),
    ).toEqual({
      symbols: [
        { symbol: 'A', exchange: 'NSE', mode: 2 },
        { symbol: 'B', exchange: 'NSE', mode: 3 },
      ],
    });
    expect(parseUnsubscribe({ symbols: [{ symbol: 'A', exchange: 'NSE', mode: 'x' }] })).toMatchObject({ code: 'INVALID_MODE' });
  });
});
