// Option strikes follow the market: each expiry lists the strikes around the underlying's reference price and around
// its price at the start of the session day, so at-the-money is listed however far the walk has gone. At the reference
// (a frozen market, or no spotOf) the lists are those of before.
import { describe, expect, it } from 'vitest';
import { resolveOption } from '../../../src/core/option-resolution.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { dec, toString, type Decimal } from '../../../src/domain/decimal.js';
import { symbolExpiry, type Exchange, type Instrument } from '../../../src/domain/instrument.js';
import { sessionStartOf } from '../../../src/domain/session-day.js';
import { MasterCatalog } from '../../../src/exchange/instruments/catalog.js';
import { INDEX_VOLATILITY, OPTION_TICK, type SpotOf } from '../../../src/exchange/instruments/derivatives.js';
import { optionReferencePrice } from '../../../src/exchange/instruments/pricing.js';
import { daysBetween } from '../../../src/domain/market-calendar.js';
import { equityReferencePrice, EQUITIES } from '../../../src/exchange/instruments/equities.js';
import { indexLevel } from '../../../src/exchange/instruments/indices.js';
import { marketListing } from '../../../src/exchange/instruments/market-listing.js';
import { InstrumentMaster, buildInstruments, underlyingInstruments } from '../../../src/exchange/instruments/master.js';
import { MarketSimulator } from '../../../src/exchange/market/market-simulator.js';

const TODAY = '2026-12-07';
const SEED = 20_260_101;

const referenceOf = (symbol: string, exchange: Exchange): Decimal => {
  if (exchange === 'NSE') return equityReferencePrice(EQUITIES.find((row) => row[0] === symbol)!);
  return indexLevel(symbol);
};
/** Every underlying at its reference (a near-month MCX or CDS future at its own), except those given. */
const spotsAt =
  (moved: Record<string, string>): SpotOf =>
  (symbol, exchange, _day, listed) =>
    moved[symbol] !== undefined ? dec(moved[symbol]) : listed ? listed.referencePrice : referenceOf(symbol, exchange);

const strikesOf = (instruments: readonly Instrument[], base: string, expiry: string, right: 'CE' | 'PE') =>
  instruments.filter((i) => i.underlying === base && i.expiry === expiry && i.instrumentType === right).map((i) => toString(i.strike!));
const firstOptionExpiry = (instruments: readonly Instrument[], base: string) =>
  instruments.find((i) => i.underlying === base && i.instrumentType === 'CE')!.expiry!;
const range = (from: number, to: number, step: number) =>
  Array.from({ length: (to - from) / step + 1 }, (_, k) => String(from + k * step));

describe('buildInstruments with the spot of the day', () => {
  const listed = buildInstruments(TODAY, undefined, spotsAt({ SENSEX: '79300', NIFTY: '26210', CRUDEOIL18DEC26FUT: '6012' }));
  const sensexExpiry = firstOptionExpiry(listed, 'SENSEX');

  it('lists, for every SENSEX expiry, the strikes around 79,300 and those around the 85,000 reference, ascending', () => {
    const expected = [...range(77_300, 81_300, 100), ...range(83_000, 87_000, 100)];
    expect(strikesOf(listed, 'SENSEX', sensexExpiry, 'CE')).toEqual(expected);
    expect(strikesOf(listed, 'SENSEX', sensexExpiry, 'PE')).toEqual(expected);
    const expiries = [...new Set(listed.filter((i) => i.underlying === 'SENSEX' && i.instrumentType === 'PE').map((i) => i.expiry!))];
    expect(expiries.length).toBeGreaterThan(1);
    for (const expiry of expiries) expect(strikesOf(listed, 'SENSEX', expiry, 'PE')).toEqual(expected);
  });

  it('lists overlapping ladders once: NIFTY at 26,210 gives 25,000–27,200 a step of 50', () => {
    expect(strikesOf(listed, 'NIFTY', firstOptionExpiry(listed, 'NIFTY'), 'CE')).toEqual(range(25_000, 27_200, 50));
  });

  it('prices futures and options from the spot, the strikes around the reference too', () => {
    const price = (strike: string, right: 'CE' | 'PE') =>
      toString(listed.find((i) => i.underlying === 'SENSEX' && i.expiry === sensexExpiry && i.strike === dec(strike) && i.instrumentType === right)!.referencePrice);
    const future = listed.find((i) => i.underlying === 'SENSEX' && i.instrumentType === 'FUT')!;
    // 79300 × (1 + 0.065 × 24 / 365) = 79638.93, on the 0.10 grid
    expect(future.expiry).toBe('2026-12-31');
    expect(toString(future.referencePrice)).toBe('79638.9');
    const fromSpot = (spot: string, strike: string, right: 'CE' | 'PE') =>
      toString(optionReferencePrice(dec(spot), dec(strike), daysBetween(TODAY, sensexExpiry), INDEX_VOLATILITY, right, OPTION_TICK));
    for (const [strike, right] of [['79300', 'CE'], ['77300', 'PE'], ['83000', 'PE'], ['87000', 'CE']] as const) {
      expect(price(strike, right)).toBe(fromSpot('79300', strike, right));
      expect(price(strike, right)).not.toBe(fromSpot('85000', strike, right));
    }
  });

  it('resolves ATM on that master to 79,300, and offsets along the ladder around it', () => {
    const catalog = new MasterCatalog(new InstrumentMaster(listed));
    const expiry = symbolExpiry(sensexExpiry);
    const sensex = { base: 'SENSEX', symbol: 'SENSEX', exchange: 'BSE_INDEX' as const, optionsExchange: 'BFO' as const, expiry };
    const atm = resolveOption(catalog, sensex, { offset: 'ATM', right: 'CE' }, dec('79312.4'));
    expect(toString(atm.atmStrike)).toBe('79300');
    expect(atm.instrument.symbol).toBe(`SENSEX${expiry}79300CE`);
    expect(resolveOption(catalog, sensex, { offset: 'ITM2', right: 'PE' }, dec('79312.4')).instrument.symbol).toBe(`SENSEX${expiry}79500PE`);
  });

  it('lists CRUDEOIL options around its near-month future at 6,012 and around the 5,300 reference, priced from their own month', () => {
    const expected = [...range(4300, 7000, 50)];
    for (const expiry of ['2026-12-16', '2027-01-15']) expect(strikesOf(listed, 'CRUDEOIL', expiry, 'PE')).toEqual(expected);
    const future = listed.find((i) => i.symbol === 'CRUDEOIL19JAN27FUT')!;
    expect(toString(future.referencePrice)).toBe(toString(buildInstruments(TODAY).find((i) => i.symbol === 'CRUDEOIL19JAN27FUT')!.referencePrice));
    const call = listed.find((i) => i.symbol === 'CRUDEOIL15JAN276000CE')!;
    expect(toString(call.referencePrice)).toBe(
      toString(optionReferencePrice(future.referencePrice, dec('6000'), daysBetween(TODAY, '2027-01-15'), 0.22, 'CE', dec('0.1'))),
    );
  });

  it('asks spotOf once per underlying, by the exchange it is quoted on', () => {
    const asked: string[] = [];
    buildInstruments(TODAY, undefined, (symbol, exchange, day, future) => {
      asked.push(`${exchange}:${symbol}:${day}`);
      return future ? future.referencePrice : referenceOf(symbol, exchange);
    });
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked).toContain('BSE_INDEX:SENSEX:2026-12-07');
    expect(asked).toContain('NSE_INDEX:BANKNIFTY:2026-12-07');
    expect(asked).toContain('NSE:RELIANCE:2026-12-07');
    expect(asked).toContain('MCX:CRUDEOIL18DEC26FUT:2026-12-07');
    expect(asked).toContain('CDS:USDINR29DEC26FUT:2026-12-07');
    expect(asked.filter((name) => name.startsWith('MCX:') || name.startsWith('CDS:'))).toHaveLength(5);
  });

  it('at the reference prices lists what a build without spotOf lists', () => {
    expect(buildInstruments(TODAY, undefined, spotsAt({}))).toEqual(buildInstruments(TODAY));
  });
});

describe('marketListing', () => {
  const ist = (text: string) => Date.parse(`${text}+05:30`);
  const setUp = (frozen: boolean) => {
    const master = new InstrumentMaster(underlyingInstruments());
    const clock = new ManualClock(ist(`${TODAY}T10:00:00`));
    const market = new MarketSimulator({ seed: SEED, clock, frozen, underlyingOf: (i) => master.underlyingOf(i) });
    return { master, market, build: marketListing(master, market) };
  };

  it('starts from the underlyings as every build lists them, tokens included', () => {
    const full = buildInstruments(TODAY);
    const underlyings = underlyingInstruments();
    expect(underlyings.map((i) => i.instrumentType)).toEqual(expect.arrayContaining(['INDEX', 'EQ']));
    expect(full.slice(0, underlyings.length)).toEqual(underlyings);
    expect(full.slice(underlyings.length).some((i) => i.instrumentType === 'INDEX' || i.instrumentType === 'EQ')).toBe(false);
  });

  it('on a frozen market lists what the reference build lists', () => {
    expect(setUp(true).build(TODAY)).toEqual(buildInstruments(TODAY));
  });

  it('on a walking market lists each SENSEX expiry around the index at 03:00 IST, far below the reference', () => {
    const { master, market, build } = setUp(false);
    const open = market.quoteAt(master.require('SENSEX', 'BSE_INDEX'), sessionStartOf(TODAY)).lastPrice;
    expect(toString(open)).toBe('79070.53');
    const listed = build(TODAY);
    expect(strikesOf(listed, 'SENSEX', firstOptionExpiry(listed, 'SENSEX'), 'CE')).toEqual([
      ...range(77_100, 81_100, 100),
      ...range(83_000, 87_000, 100),
    ]);
  });

  it('builds a day the same way on a fresh market of the same seed (a restart rebuilds traded contracts as they were)', () => {
    const first = setUp(false);
    first.market.quote(first.master.require('SENSEX', 'BSE_INDEX'));
    expect(setUp(false).build('2026-12-01')).toEqual(first.build('2026-12-01'));
  });
});
