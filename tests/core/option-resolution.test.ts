// Option resolution (OpenAlgo §5.6) over a small hand-made catalog: underlyings and their price references, the strike
// ladder, ATM and offsets, and the chain built on them.
import { describe, expect, it } from 'vitest';
import { chainForward, optionChain } from '../../src/core/option-chain.js';
import {
  type UnderlyingReference,
  atmIndex,
  offsetSteps,
  optionsExchangeOf,
  parseUnderlying,
  resolveOption,
  strikeLabel,
  strikeLadder,
  underlyingReference,
} from '../../src/core/option-resolution.js';
import { type Decimal, dec, toString } from '../../src/domain/decimal.js';
import { InvalidOptionRequest, OptionNotFound } from '../../src/domain/errors.js';
import type { Exchange, Instrument } from '../../src/domain/instrument.js';
import type { DepthView, QuoteView } from '../../src/domain/market.js';
import { MasterCatalog } from '../../src/exchange/instruments/catalog.js';
import { InstrumentMaster } from '../../src/exchange/instruments/master.js';
import { future, option } from '../exchange/builders.js';

const niftyOption = (strike: string, right: 'CE' | 'PE') =>
  option(`NIFTY01DEC26${strike}${right}`, strike, { instrumentType: right, expiry: '2026-12-01', lotSize: dec(65) });
const mcx = (symbol: string, base: string, expiry: string, extra: Partial<Instrument> = {}) =>
  future(symbol, { exchange: 'MCX', underlying: base, expiry, lotSize: dec(100), tickSize: dec(1), ...extra });
const crudeOption = (strike: string, right: 'CE' | 'PE') =>
  mcx(`CRUDEOIL16DEC26${strike}${right}`, 'CRUDEOIL', '2026-12-16', { instrumentType: right, strike: dec(strike), tickSize: dec('0.1') });

/** An uneven NIFTY ladder (no 25850; 26300 a call only), MCX futures whose bases share prefixes, CRUDEOIL options, a 292.5 strike. */
const LADDER = ['25800', '25900', '25950', '26000', '26050', '26100', '26200'];
const catalog = new MasterCatalog(
  new InstrumentMaster([
    ...LADDER.flatMap((strike) => [niftyOption(strike, 'CE'), niftyOption(strike, 'PE')]),
    niftyOption('26300', 'CE'),
    mcx('CRUDEOIL18DEC26FUT', 'CRUDEOIL', '2026-12-18'),
    mcx('CRUDEOIL19JAN27FUT', 'CRUDEOIL', '2027-01-19'),
    mcx('CRUDEOILM10DEC26FUT', 'CRUDEOILM', '2026-12-10'),
    mcx('GOLDM03DEC26FUT', 'GOLDM', '2026-12-03'),
    mcx('GOLD05FEB27FUT', 'GOLD', '2027-02-05'),
    ...['5200', '5300', '5400'].flatMap((strike) => [crudeOption(strike, 'CE'), crudeOption(strike, 'PE')]),
    option('VEDL29DEC26292.5CE', '292.5', { underlying: 'VEDL', lotSize: dec(1150) }),
  ]),
);

const nifty: UnderlyingReference = { base: 'NIFTY', symbol: 'NIFTY', exchange: 'NSE_INDEX', optionsExchange: 'NFO', expiry: '01DEC26' };
const symbolOf = (reference: UnderlyingReference, offset: string, right: 'CE' | 'PE', price: string, interval?: number) =>
  resolveOption(catalog, reference, { offset, right }, dec(price), interval).instrument.symbol;

describe('underlyings', () => {
  it.each([
    ['NIFTY', { base: 'NIFTY', text: 'NIFTY' }],
    ['nifty28nov25fut', { base: 'NIFTY', expiry: '28NOV25', text: 'NIFTY28NOV25FUT' }],
    ['BANKNIFTY30DEC25', { base: 'BANKNIFTY', expiry: '30DEC25', text: 'BANKNIFTY30DEC25' }],
    ['M&M', { base: 'M&M', text: 'M&M' }],
  ])('%s is read as %j', (underlying, name) => {
    expect(parseUnderlying(underlying)).toEqual(name);
  });

  it.each([
    ['NSE', 'NFO'],
    ['NSE_INDEX', 'NFO'],
    ['BSE', 'BFO'],
    ['BSE_INDEX', 'BFO'],
    ['NFO', 'NFO'],
    ['MCX', 'MCX'],
    ['CDS', 'CDS'],
    ['BCD', 'BCD'],
    ['NCDEX', 'NCDEX'],
    ['CRYPTO', 'CRYPTO'],
    ['MCX_INDEX', 'NFO'],
  ] as [Exchange, Exchange][])('options of %s trade on %s', (exchange, options) => {
    expect(optionsExchangeOf(exchange)).toBe(options);
  });

  it('an options exchange is quoted on the index or share exchange; an embedded expiry quotes the base', () => {
    const reference = (underlying: string, exchange: Exchange, expiry?: string) =>
      underlyingReference(catalog, { underlying, exchange, expiry });
    expect(reference('NIFTY', 'NFO', '01dec26')).toEqual(nifty);
    expect(reference('SBIN', 'NFO')).toMatchObject({ symbol: 'SBIN', exchange: 'NSE', optionsExchange: 'NFO' });
    expect(reference('SENSEX', 'BFO')).toMatchObject({ symbol: 'SENSEX', exchange: 'BSE_INDEX', optionsExchange: 'BFO' });
    expect(reference('INFY', 'BFO')).toMatchObject({ symbol: 'INFY', exchange: 'BSE', optionsExchange: 'BFO' });
    expect(reference('NIFTY29DEC26FUT', 'NSE_INDEX')).toEqual({ ...nifty, expiry: '29DEC26' });
    // The request's expiry wins over the underlying's.
    expect(reference('NIFTY29DEC26FUT', 'NFO', '01DEC26')).toEqual(nifty);
  });

  it('MCX is priced on the named future, else the future the options are written on, of exactly that base', () => {
    const reference = (underlying: string, expiry = '16DEC26') => underlyingReference(catalog, { underlying, exchange: 'MCX', expiry });
    expect(reference('CRUDEOIL')).toEqual({
      base: 'CRUDEOIL',
      symbol: 'CRUDEOIL18DEC26FUT',
      exchange: 'MCX',
      optionsExchange: 'MCX',
      expiry: '16DEC26',
    });
    expect(reference('CRUDEOIL19JAN27FUT').symbol).toBe('CRUDEOIL19JAN27FUT');
    expect(reference('GOLD').symbol).toBe('GOLD05FEB27FUT');
    // The first future expiring on or after the options: January's options are on CRUDEOIL19JAN27FUT.
    expect(reference('CRUDEOIL', '15jan27').symbol).toBe('CRUDEOIL19JAN27FUT');
    expect(reference('CRUDEOIL', '18DEC26').symbol).toBe('CRUDEOIL18DEC26FUT');
    // No future that late (or no date at all): the nearest.
    expect(reference('CRUDEOIL', '15JAN30').symbol).toBe('CRUDEOIL18DEC26FUT');
    expect(reference('CRUDEOIL', 'SOON').symbol).toBe('CRUDEOIL18DEC26FUT');
    expect(() => reference('SILVER')).toThrow(
      new OptionNotFound(
        'No unexpired futures found for SILVER on MCX. MCX options are priced against the near-month future, which this product does not currently have.',
      ),
    );
  });
});

describe('the strike ladder', () => {
  it('holds the expiry’s listed strikes of one right, ascending, and only that base’s', () => {
    const strikes = (base: string, expiry: string, exchange: Exchange) =>
      strikeLadder(catalog, base, expiry, 'PE', exchange).map((i) => toString(i.strike as Decimal));
    expect(strikes('NIFTY', '01dec26', 'NFO')).toEqual(LADDER);
    expect(strikeLadder(catalog, 'NIFTY', '01DEC26', 'CE', 'NFO')).toHaveLength(LADDER.length + 1);
    expect(strikes('CRUDEOIL', '16DEC26', 'MCX')).toEqual(['5200', '5300', '5400']);
    expect(strikes('CRUDEOILM', '16DEC26', 'MCX')).toEqual([]);
    expect(strikes('NIFTY', '08DEC26', 'NFO')).toEqual([]);
  });

  it('ATM is the strike nearest the price, the lower of two as near', () => {
    const strikes = LADDER.map((strike) => dec(strike));
    expect(atmIndex(strikes, dec('26012'))).toBe(3);
    expect(atmIndex(strikes, dec('25975'))).toBe(2);
    expect(atmIndex(strikes, dec('25850'))).toBe(0);
    expect(atmIndex(strikes, dec('99999'))).toBe(6);
    expect(atmIndex([], dec('1'))).toBe(-1);
  });

  it.each([
    ['ATM', 'CE', 0],
    ['atm', 'PE', 0],
    ['ITM2', 'CE', -2],
    ['itm2', 'PE', 2],
    ['OTM3', 'CE', 3],
    ['OTM3', 'PE', -3],
    ['ATM1', 'CE', undefined],
    ['ITM', 'CE', undefined],
    ['XYZ', 'PE', undefined],
  ] as const)('offset %s of a %s is %s steps up the ladder', (offset, right, steps) => {
    expect(offsetSteps(offset, right)).toBe(steps);
  });

  it('labels: CE in the money below ATM, PE above', () => {
    expect([0, 1, 2, 3, 4].map((index) => strikeLabel(index, 2, 'CE'))).toEqual(['ITM2', 'ITM1', 'ATM', 'OTM1', 'OTM2']);
    expect([0, 1, 2, 3, 4].map((index) => strikeLabel(index, 2, 'PE'))).toEqual(['OTM2', 'OTM1', 'ATM', 'ITM1', 'ITM2']);
  });
});

describe('resolving a contract', () => {
  it('walks the listed strikes, skipping strikes that are not listed', () => {
    expect(symbolOf(nifty, 'ATM', 'CE', '26012')).toBe('NIFTY01DEC2626000CE');
    expect(symbolOf(nifty, 'ITM2', 'CE', '26012')).toBe('NIFTY01DEC2625900CE');
    expect(symbolOf(nifty, 'ITM3', 'CE', '26012')).toBe('NIFTY01DEC2625800CE');
    expect(symbolOf(nifty, 'ITM2', 'PE', '26012')).toBe('NIFTY01DEC2626100PE');
    expect(symbolOf(nifty, 'OTM3', 'CE', '26012')).toBe('NIFTY01DEC2626200CE');
    expect(symbolOf(nifty, 'OTM1', 'PE', '25975')).toBe('NIFTY01DEC2625900PE');
    expect(resolveOption(catalog, nifty, { offset: 'ITM1', right: 'CE' }, dec('26012')).atmStrike).toBe(dec('26000'));
  });

  it('an offset beyond the ladder is a 400 naming the offset as sent', () => {
    expect(() => symbolOf(nifty, 'otm5', 'CE', '26012')).toThrow(
      new InvalidOptionRequest('Offset otm5 is out of range for available strikes. Please use a smaller offset.'),
    );
    expect(() => symbolOf(nifty, 'ITM4', 'CE', '26012')).toThrow(InvalidOptionRequest);
  });

  it('with a strike interval, ATM is the price rounded half-even to it and the symbol must still be listed', () => {
    expect(symbolOf(nifty, 'ATM', 'CE', '26024.99', 50)).toBe('NIFTY01DEC2626000CE');
    expect(symbolOf(nifty, 'ATM', 'CE', '26025', 50)).toBe('NIFTY01DEC2626000CE');
    expect(symbolOf(nifty, 'ATM', 'CE', '26075', 50)).toBe('NIFTY01DEC2626100CE');
    expect(symbolOf(nifty, 'OTM1', 'PE', '26012', 100)).toBe('NIFTY01DEC2625900PE');
    expect(() => symbolOf(nifty, 'ITM3', 'CE', '26012', 50)).toThrow(
      new OptionNotFound('Option symbol NIFTY01DEC2625850CE not found in NFO. Symbol may not exist or master contract needs update.'),
    );
  });

  it('keeps a strike’s real decimals in the symbol', () => {
    const vedl: UnderlyingReference = { base: 'VEDL', symbol: 'VEDL', exchange: 'NSE', optionsExchange: 'NFO', expiry: '29DEC26' };
    expect(symbolOf(vedl, 'ATM', 'CE', '293')).toBe('VEDL29DEC26292.5CE');
  });

  it('needs an expiry and listed strikes for it', () => {
    expect(() => symbolOf({ ...nifty, expiry: undefined }, 'ATM', 'CE', '26000')).toThrow(
      new InvalidOptionRequest('Expiry date required. Provide via expiry_date parameter or embed in underlying (e.g., NIFTY28OCT25FUT).'),
    );
    expect(() => symbolOf({ ...nifty, expiry: '08DEC26' }, 'ATM', 'CE', '26000')).toThrow(
      new OptionNotFound('No strikes found for NIFTY expiring 08DEC26. Please check expiry date or update master contract.'),
    );
  });
});

describe('the chain', () => {
  /** Every quote at its price by symbol (10 when not given), stamped 2026-12-15 12:00 IST. */
  const market = (prices: Record<string, string>) => {
    const view = (symbol: string): DepthView => {
      const p = dec(prices[symbol] ?? '10');
      return {
        lastPrice: p,
        bid: p,
        ask: p,
        open: p,
        high: p,
        low: p,
        previousClose: p,
        volume: dec(0),
        lastQuantity: dec(0),
        openInterest: dec(0),
        at: Date.UTC(2026, 11, 15, 6, 30),
        bids: [],
        asks: [],
      };
    };
    return { quote: async (symbol: string): Promise<QuoteView> => view(symbol), depth: async (symbol: string) => view(symbol) };
  };

  it('an MCX chain is priced on the nearest future, keeps strike_count strikes each side and expires at 23:30 IST', async () => {
    const chain = await optionChain(
      catalog,
      market({ CRUDEOIL18DEC26FUT: '5290', CRUDEOIL16DEC265200CE: '120', CRUDEOIL16DEC265200PE: '30', CRUDEOIL16DEC265300CE: '60', CRUDEOIL16DEC265300PE: '71', CRUDEOIL16DEC265400CE: '25', CRUDEOIL16DEC265400PE: '125' }),
      { underlying: 'CRUDEOIL', exchange: 'MCX', expiry: '16dec26', strikeCount: 1 },
    );
    expect(chain.reference.symbol).toBe('CRUDEOIL18DEC26FUT');
    expect(chain.expiry).toBe('16DEC26');
    expect(chain.expiresAt).toBe(Date.UTC(2026, 11, 16, 18, 0));
    expect(chain.atmStrike).toBe(dec('5300'));
    expect(chain.rows.map((row) => [toString(row.strike), row.ce?.label, row.pe?.label])).toEqual([
      ['5200', 'ITM1', 'OTM1'],
      ['5300', 'ATM', 'ATM'],
      ['5400', 'OTM1', 'ITM1'],
    ]);
    // Put-call parity on the ATM pair: 5300 + 60 − 71.
    expect(chainForward(chain)).toBe(dec('5289'));
  });

  it('the whole ladder when no strike_count is given; a strike without a put has none in its row', async () => {
    const chain = await optionChain(catalog, market({ NIFTY: '26012' }), { underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry: '01DEC26' });
    expect(chain.rows.map((row) => [toString(row.strike), row.ce?.label, row.pe?.label])).toEqual([
      ['25800', 'ITM3', 'OTM3'],
      ['25900', 'ITM2', 'OTM2'],
      ['25950', 'ITM1', 'OTM1'],
      ['26000', 'ATM', 'ATM'],
      ['26050', 'OTM1', 'ITM1'],
      ['26100', 'OTM2', 'ITM2'],
      ['26200', 'OTM3', 'ITM3'],
      ['26300', 'OTM4', undefined],
    ]);
    expect(chain.expiresAt).toBe(Date.UTC(2026, 11, 1, 10, 0));
  });
});
