import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/decimal.js';
import type { InstrumentDraft } from '../../../src/exchange/instruments/draft.js';
import { assignTokens, baseToken } from '../../../src/exchange/instruments/tokens.js';

const draft = (symbol: string, exchange: InstrumentDraft['exchange'] = 'NSE'): InstrumentDraft => ({
  symbol,
  exchange,
  name: symbol,
  instrumentType: 'EQ',
  underlying: symbol,
  lotSize: dec(1),
  tickSize: dec('0.05'),
  freezeQuantity: dec(1000),
  brokerSymbol: symbol,
  referencePrice: dec(100),
});

describe('tokens', () => {
  it('derive from exchange and symbol alone, as a numeric string', () => {
    const [sbin] = assignTokens([draft('SBIN')]);
    const [again] = assignTokens([draft('INFY'), draft('TCS'), draft('SBIN')]).slice(2);
    expect(sbin?.token).toMatch(/^[1-9]\d*$/);
    expect(again?.token).toBe(sbin?.token);
    expect(sbin?.token).toBe(baseToken('NSE', 'SBIN').toString());
  });

  it('differ between exchanges for the same symbol', () => {
    expect(baseToken('NSE', 'SBIN')).not.toBe(baseToken('BSE', 'SBIN'));
  });

  it('fit in 40 bits', () => {
    expect(baseToken('NFO', 'NIFTY30DEC2526000CE') < 2n ** 40n).toBe(true);
  });

  it('give a colliding later instrument the next free number', () => {
    const [first, second] = assignTokens([draft('SBIN'), draft('SBIN')]);
    expect(BigInt(second?.token ?? '0')).toBe(BigInt(first?.token ?? '0') + 1n);
  });
});
