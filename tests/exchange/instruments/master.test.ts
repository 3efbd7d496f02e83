import { describe, expect, it } from 'vitest';
import { ZERO, isMultipleOf, toString } from '../../../src/domain/decimal.js';
import { InstrumentNotFound } from '../../../src/domain/errors.js';
import { EXCHANGES, INDEX_EXCHANGES, type Exchange, type Instrument } from '../../../src/domain/instrument.js';
import { InstrumentMaster, buildInstruments } from '../../../src/exchange/instruments/master.js';

const TODAY = '2026-11-24';
const master = new InstrumentMaster(buildInstruments(TODAY));
const need = (symbol: string, exchange: Exchange): Instrument => master.require(symbol, exchange);

describe('buildInstruments', () => {
  it('lists every kind of instrument for the day', () => {
    expect(master.byExchange('NSE').length).toBeGreaterThanOrEqual(150);
    expect(master.byExchange('BSE').length).toBeGreaterThanOrEqual(150);
    for (const exchange of ['NSE_INDEX', 'BSE_INDEX', 'NFO', 'BFO', 'MCX', 'CDS', 'CRYPTO'] as const) {
      expect(master.byExchange(exchange).length, exchange).toBeGreaterThan(0);
    }
    // NIFTY on 24 Nov 2026 (a holiday): weeklies 1, 8, 15, 22 Dec; monthlies 29 Dec, 25 Jan, 23 Feb; 41 strikes, CE and PE.
    expect(master.byExchange('NFO').filter((i) => i.underlying === 'NIFTY' && i.strike !== undefined)).toHaveLength(7 * 41 * 2);
  });

  it('gives every instrument a unique numeric token', () => {
    const tokens = master.all().map((i) => i.token);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.every((token) => /^\d+$/.test(token))).toBe(true);
  });

  it('keeps an instrument’s token from one day’s master to the next', () => {
    const earlier = new InstrumentMaster(buildInstruments('2026-11-20'));
    expect(earlier.require('SBIN', 'NSE').token).toBe(need('SBIN', 'NSE').token);
    expect(earlier.require('NIFTY29DEC26FUT', 'NFO').token).toBe(need('NIFTY29DEC26FUT', 'NFO').token);
  });

  it('prices every instrument at a positive multiple of its tick', () => {
    for (const i of master.all()) {
      expect(i.referencePrice > 0n && isMultipleOf(i.referencePrice, i.tickSize), `${i.exchange}:${i.symbol}`).toBe(true);
    }
  });

  it('lets at least one lot through per order on every tradable instrument', () => {
    for (const i of master.all()) {
      if (INDEX_EXCHANGES.has(i.exchange)) continue;
      // Not always whole lots: NIFTY's 1800 is 27.7 lots of 65, as the exchange sets it.
      expect(i.freezeQuantity >= i.lotSize, `${i.exchange}:${i.symbol}`).toBe(true);
    }
  });

  it('lists no contract that expired before today', () => {
    expect(master.all().every((i) => i.expiry === undefined || i.expiry >= TODAY)).toBe(true);
  });

  it('uses only known exchanges', () => {
    expect(master.all().every((i) => EXCHANGES.includes(i.exchange))).toBe(true);
  });

  it('prices the crypto perpetuals in dollars and everything else in rupees', () => {
    const currencies = new Map<string, Set<string>>();
    for (const i of master.all()) currencies.set(i.exchange, (currencies.get(i.exchange) ?? new Set()).add(i.currency));
    for (const [exchange, used] of currencies) expect([...used], exchange).toEqual([exchange === 'CRYPTO' ? 'USD' : 'INR']);
  });
});

describe('InstrumentMaster lookups', () => {
  it('finds an instrument by exact symbol and exchange', () => {
    expect(master.get('SBIN', 'NSE')?.brokerSymbol).toBe('SBIN-EQ');
    expect(master.get('SBIN', 'BSE')?.brokerSymbol).toBe('SBIN');
    expect(master.get('NIFTY29DEC2626000CE', 'NFO')?.instrumentType).toBe('CE');
    expect(toString(need('NIFTY29DEC2626000CE', 'NFO').strike ?? ZERO)).toBe('26000');
  });

  it('matches symbols case-sensitively and per exchange', () => {
    expect(master.get('sbin', 'NSE')).toBeUndefined();
    expect(master.get('SBIN', 'NFO')).toBeUndefined();
    expect(master.get('NIFTY', 'NSE')).toBeUndefined();
  });

  it('throws InstrumentNotFound from require for an unknown symbol', () => {
    expect(() => master.require('FOO', 'NSE')).toThrow(InstrumentNotFound);
    expect(() => master.require('FOO', 'NSE')).toThrow("Symbol 'FOO' not found for exchange 'NSE'.");
  });

  it('groups by exchange and counts everything once', () => {
    const total = EXCHANGES.reduce((sum, exchange) => sum + master.byExchange(exchange).length, 0);
    expect(total).toBe(master.size);
    expect(master.all()).toHaveLength(master.size);
    expect(master.byExchange('NCDEX')).toEqual([]);
    expect(master.byExchange('CRYPTO').map((i) => i.symbol)).toContain('BTCUSDFUT');
  });

  it('refuses two instruments with the same symbol on the same exchange', () => {
    const sbin = need('SBIN', 'NSE');
    expect(() => new InstrumentMaster([sbin, { ...sbin, token: '1' }])).toThrow(RangeError);
  });
});

describe('underlyingOf', () => {
  it.each([
    ['NIFTY29DEC2626000CE', 'NFO', 'NIFTY', 'NSE_INDEX'],
    ['NIFTY29DEC26FUT', 'NFO', 'NIFTY', 'NSE_INDEX'],
    ['BANKNIFTY29DEC26FUT', 'NFO', 'BANKNIFTY', 'NSE_INDEX'],
    ['SBIN29DEC26FUT', 'NFO', 'SBIN', 'NSE'],
    ['SBIN29DEC26960CE', 'NFO', 'SBIN', 'NSE'],
    ['SENSEX03DEC2685000PE', 'BFO', 'SENSEX', 'BSE_INDEX'],
    ['BANKEX31DEC26FUT', 'BFO', 'BANKEX', 'BSE_INDEX'],
  ] as const)('prices %s on %s from %s on %s', (symbol, exchange, underlying, underlyingExchange) => {
    const spot = master.underlyingOf(need(symbol, exchange));
    expect(spot?.symbol).toBe(underlying);
    expect(spot?.exchange).toBe(underlyingExchange);
  });

  it.each([
    ['CRUDEOIL16DEC265300CE', 'MCX', 'CRUDEOIL18DEC26FUT'],
    ['CRUDEOIL15JAN275300PE', 'MCX', 'CRUDEOIL19JAN27FUT'],
    ['GOLD30NOV26130200CE', 'MCX', 'GOLD04DEC26FUT'],
    ['GOLD29JAN27130200PE', 'MCX', 'GOLD05FEB27FUT'],
    ['USDINR29DEC2688.75CE', 'CDS', 'USDINR29DEC26FUT'],
  ] as const)('prices %s on %s from the future of its month, %s', (symbol, exchange, underlying) => {
    expect(master.underlyingOf(need(symbol, exchange))).toBe(need(underlying, exchange));
  });

  it('still finds the future of an MCX option after the option has expired and been retired', () => {
    const reloaded = new InstrumentMaster(buildInstruments(TODAY));
    reloaded.reload(buildInstruments('2026-12-01'));
    const expired = reloaded.get('GOLD30NOV26130200CE', 'MCX')!;
    expect(reloaded.getListed(expired.symbol, 'MCX')).toBeUndefined();
    expect(reloaded.underlyingOf(expired)?.symbol).toBe('GOLD04DEC26FUT');
  });

  it.each([
    ['CRUDEOIL18DEC26FUT', 'MCX'],
    ['USDINR29DEC26FUT', 'CDS'],
    ['BTCUSDFUT', 'CRYPTO'],
    ['SBIN', 'NSE'],
    ['NIFTY', 'NSE_INDEX'],
  ] as const)('has no listed underlying for %s on %s', (symbol, exchange) => {
    expect(master.underlyingOf(need(symbol, exchange))).toBeUndefined();
  });
});

describe('reloading the listing for a new day', () => {
  const expiring = (day: string) =>
    buildInstruments(TODAY).find((i) => i.underlying === 'NIFTY' && i.instrumentType === 'CE' && i.expiry === day)!;

  it('lists the new day, keeps expired contracts known but unlisted, and counts the reload', () => {
    const reloaded = new InstrumentMaster(buildInstruments(TODAY));
    const expired = expiring('2026-12-01');
    const nextDay = buildInstruments('2026-12-02');
    const newcomer = nextDay.find((i) => !reloaded.get(i.symbol, i.exchange))!;
    expect(newcomer).toBeDefined();
    expect(reloaded.version).toBe(0);

    reloaded.reload(nextDay);
    expect(reloaded.version).toBe(1);
    expect(reloaded.size).toBe(nextDay.length);
    expect(reloaded.get(expired.symbol, 'NFO')).toEqual(expired);
    expect(reloaded.getListed(expired.symbol, 'NFO')).toBeUndefined();
    expect(reloaded.byExchange('NFO')).not.toContainEqual(expired);
    expect(reloaded.getListed(newcomer.symbol, newcomer.exchange)).toEqual(newcomer);
    expect(reloaded.require('SBIN', 'NSE')).toEqual(need('SBIN', 'NSE'));
  });

  it('a retired contract listed again is listed, and a bad listing leaves the current one in place', () => {
    const reloaded = new InstrumentMaster(buildInstruments('2026-12-02'), [expiring('2026-12-01')]);
    const expired = expiring('2026-12-01');
    expect(reloaded.getListed(expired.symbol, 'NFO')).toBeUndefined();
    reloaded.reload(buildInstruments(TODAY));
    expect(reloaded.getListed(expired.symbol, 'NFO')).toEqual(expired);
    const sbin = need('SBIN', 'NSE');
    expect(() => reloaded.reload([sbin, sbin])).toThrow('duplicate instrument SBIN on NSE');
    expect(reloaded.size).toBe(buildInstruments(TODAY).length);
  });
});
