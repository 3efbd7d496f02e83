// The basket margin model: a leg alone needs what an order for it blocks; legs on one underlying that hedge each other
// need less. Options at their expiry instant are worth their intrinsic value, so the scan's losses can be checked by
// hand: the scan moves the underlying by ±1/3, ±2/3 and ±3/3 of 10 %.
import { describe, expect, it } from 'vitest';
import { type Decimal, dec, toString } from '../../src/domain/decimal.js';
import { InstrumentNotFound, InvalidOrder } from '../../src/domain/errors.js';
import type { Instrument } from '../../src/domain/instrument.js';
import type { BasketMargin, MarginLeg } from '../../src/domain/margin-basket.js';
import type { Product, Side } from '../../src/domain/order.js';
import { type LegRisk, type PricedLeg, basketMargin, priceBasket } from '../../src/exchange/basket-margin.js';
import { DEFAULT_MARGIN_RATES } from '../../src/exchange/margin.js';
import { Instruments, PinnedMarket, equity, future, option } from './builders.js';

const rates = DEFAULT_MARGIN_RATES;
const T0 = Date.UTC(2026, 10, 25, 4, 30);

const NIFTY = equity('NIFTY', { exchange: 'NSE_INDEX', instrumentType: 'INDEX' });
const NIFTY_FUT = future('NIFTY29DEC26FUT', { lotSize: dec(65) });
const NIFTY_26000_CE = option('NIFTY29DEC2626000CE', '26000', { lotSize: dec(65) });
const NIFTY_26500_CE = option('NIFTY29DEC2626500CE', '26500', { lotSize: dec(65) });
const BANKNIFTY_FUT = future('BANKNIFTY29DEC26FUT', { underlying: 'BANKNIFTY', lotSize: dec(30) });
const SBIN = equity('SBIN');

const futureRisk = (underlying = 'NSE_INDEX:NIFTY'): LegRisk => ({ kind: 'future', underlying });
/** An option on NIFTY at 26000, at its expiry instant (intrinsic value) unless `years` says otherwise. */
const optionRisk = (instrument: Instrument, years = 0): LegRisk => ({
  kind: 'option',
  underlying: 'NSE_INDEX:NIFTY',
  right: instrument.instrumentType === 'CE' ? 'call' : 'put',
  spot: 26000,
  strike: Number(toString(instrument.strike ?? dec(0))),
  years,
  volatility: 0.14,
});

function leg(instrument: Instrument, side: Side, quantity: number, price: string, risk?: LegRisk, product: Product = 'NRML'): PricedLeg {
  const priced: PricedLeg = { instrument, side, product, quantity: dec(quantity), price: dec(price) };
  if (risk) priced.risk = risk;
  return priced;
}

function figures(margin: BasketMargin) {
  return {
    currency: margin.currency,
    total: toString(margin.total),
    span: toString(margin.span),
    exposure: toString(margin.exposure),
    benefit: toString(margin.benefit ?? dec(-1)),
  };
}

describe('a leg alone needs what an order for it blocks', () => {
  it('equity CNC: the full value, as exposure', () => {
    expect(figures(basketMargin(rates, [leg(SBIN, 'BUY', 10, '800.05', undefined, 'CNC')]))).toEqual({
      currency: 'INR',
      total: '8000.5',
      span: '0',
      exposure: '8000.5',
      benefit: '0',
    });
  });

  it('equity MIS: a fifth of the value', () => {
    expect(figures(basketMargin(rates, [leg(SBIN, 'SELL', 10, '800.05', undefined, 'MIS')]))).toEqual({
      currency: 'INR',
      total: '1600.1',
      span: '0',
      exposure: '1600.1',
      benefit: '0',
    });
  });

  it('a CNC sale sells shares held: nothing', () => {
    expect(figures(basketMargin(rates, [leg(SBIN, 'SELL', 10, '800', undefined, 'CNC')])).total).toBe('0');
  });

  it('a future: 10 % of its notional, all of it span (its worst loss is a 10 % move against it)', () => {
    // 26000.10 × 65 × 10 % = 169000.65
    expect(figures(basketMargin(rates, [leg(NIFTY_FUT, 'BUY', 65, '26000.1', futureRisk())]))).toEqual({
      currency: 'INR',
      total: '169000.65',
      span: '169000.65',
      exposure: '0',
      benefit: '0',
    });
  });

  it('a bought option: its premium, neither span nor exposure', () => {
    // 120.05 × 65
    expect(figures(basketMargin(rates, [leg(NIFTY_26000_CE, 'BUY', 65, '120.05', optionRisk(NIFTY_26000_CE, 0.1))]))).toEqual({
      currency: 'INR',
      total: '7803.25',
      span: '0',
      exposure: '0',
      benefit: '0',
    });
  });

  it('a sold option: 10 % of its strike notional, span its worst loss and exposure the rest', () => {
    // 26500 × 65 × 10 % = 172250. Worst loss: NIFTY +10 % at 28600, the call worth 2100: 2100 × 65 = 136500.
    expect(figures(basketMargin(rates, [leg(NIFTY_26500_CE, 'SELL', 65, '95', optionRisk(NIFTY_26500_CE))]))).toEqual({
      currency: 'INR',
      total: '172250',
      span: '136500',
      exposure: '35750',
      benefit: '0',
    });
  });

  it('a sold option with time to run: still exactly what the exchange blocks', () => {
    const sold = basketMargin(rates, [leg(NIFTY_26500_CE, 'SELL', 65, '95', optionRisk(NIFTY_26500_CE, 34 / 365))]);
    expect(toString(sold.total)).toBe('172250');
    expect(toString(sold.benefit ?? dec(-1))).toBe('0');
  });
});

describe('legs that hedge each other need less than alone', () => {
  it('a bull call spread: the bought call covers the sold call, so its span is 0', () => {
    // Alone: premium 120 × 65 = 7800 and the sold call's 172250, 180050 in all. Together no scenario loses: as NIFTY
    // rises the bought call gains 500 more per unit than the sold call loses. The sold call's margin beyond its own
    // worst loss stays: 172250 − 136500 = 35750.
    const spread = basketMargin(rates, [
      leg(NIFTY_26000_CE, 'BUY', 65, '120', optionRisk(NIFTY_26000_CE)),
      leg(NIFTY_26500_CE, 'SELL', 65, '20', optionRisk(NIFTY_26500_CE)),
    ]);
    expect(figures(spread)).toEqual({ currency: 'INR', total: '43550', span: '0', exposure: '35750', benefit: '136500' });
  });

  it('a bull call spread with time to run needs less than its legs, and at least the premium it pays', () => {
    const legs = [
      leg(NIFTY_26000_CE, 'BUY', 65, '520', optionRisk(NIFTY_26000_CE, 34 / 365)),
      leg(NIFTY_26500_CE, 'SELL', 65, '290', optionRisk(NIFTY_26500_CE, 34 / 365)),
    ];
    const spread = basketMargin(rates, legs);
    const alone = dec(520 * 65 + 172250);
    expect(spread.total < alone).toBe(true);
    expect(spread.total >= dec(520 * 65)).toBe(true);
    expect(spread.benefit).toBe(((alone as bigint) - (spread.total as bigint)) as Decimal);
  });

  it('a call sold against a bought future: the future covers the call, the basket needs the future margin alone', () => {
    // Future alone 26100 × 65 × 10 % = 169650, call alone 26000 × 65 × 10 % = 169000. Together the worst is NIFTY
    // −10 %: the future loses 169650 and the call, worthless, gains nothing. As NIFTY rises the future gains more than
    // the call loses (+10 %: call −169000, future +169650).
    const covered = basketMargin(rates, [
      leg(NIFTY_FUT, 'BUY', 65, '26100', futureRisk()),
      leg(NIFTY_26000_CE, 'SELL', 65, '150', optionRisk(NIFTY_26000_CE)),
    ]);
    expect(figures(covered)).toEqual({ currency: 'INR', total: '169650', span: '169650', exposure: '0', benefit: '169000' });
  });

  it('two calls sold alike hedge nothing: the sum of the legs', () => {
    const twice = basketMargin(rates, [
      leg(NIFTY_26500_CE, 'SELL', 65, '95', optionRisk(NIFTY_26500_CE)),
      leg(NIFTY_26500_CE, 'SELL', 130, '95', optionRisk(NIFTY_26500_CE)),
    ]);
    expect(figures(twice)).toEqual({ currency: 'INR', total: '516750', span: '409500', exposure: '107250', benefit: '0' });
  });

  it('legs on different underlyings: the sum of the legs', () => {
    // NIFTY future sold: 26000 × 65 × 10 % = 169000; BANKNIFTY future bought: 59000 × 30 × 10 % = 177000; SBIN: 8000.
    const apart = basketMargin(rates, [
      leg(NIFTY_FUT, 'SELL', 65, '26000', futureRisk()),
      leg(BANKNIFTY_FUT, 'BUY', 30, '59000', futureRisk('NSE_INDEX:BANKNIFTY')),
      leg(SBIN, 'BUY', 10, '800', undefined, 'CNC'),
    ]);
    expect(figures(apart)).toEqual({ currency: 'INR', total: '354000', span: '346000', exposure: '8000', benefit: '0' });
  });
});

describe('pricing the legs as orders', () => {
  const instruments = new Instruments([NIFTY, NIFTY_FUT, NIFTY_26000_CE, SBIN, equity('BTCUSD', { exchange: 'CRYPTO', lotSize: dec('0.001') })]);
  const market = new PinnedMarket();
  market.set(NIFTY, '26000', [], []);
  market.set(NIFTY_FUT, '26100', [['26099.9', 650]], [['26100.1', 650]]);
  market.set(NIFTY_26000_CE, '300', [['299.9', 650]], [['300.1', 650]]);
  market.set(SBIN, '800', [['799.95', 100]], [['800.05', 100]]);
  market.set(instruments.require('BTCUSD', 'CRYPTO'), '90000', [], []);
  const context = {
    instruments,
    market,
    underlyingOf: (instrument: Instrument) => (instrument.underlying === 'NIFTY' ? NIFTY : undefined),
    now: T0,
  };
  const base = { symbol: 'SBIN', exchange: 'NSE', side: 'BUY', quantity: dec(10), product: 'MIS', type: 'MARKET' } as const;
  const priced = (legs: MarginLeg[]) => priceBasket(legs, context);

  it('at the opposite best price, the limit, or the trigger; a price of 0 is the market', () => {
    const prices = priced([
      base,
      { ...base, side: 'SELL' },
      { ...base, type: 'LIMIT', limitPrice: dec('790') },
      { ...base, type: 'STOP', stopPrice: dec('810') },
      { ...base, type: 'STOP_LIMIT', limitPrice: dec('812'), stopPrice: dec('810') },
      { ...base, type: 'LIMIT', limitPrice: dec(0) },
    ]).map((leg) => toString(leg.price));
    expect(prices).toEqual(['800.05', '799.95', '790', '810', '812', '800.05']);
  });

  it("options are revalued from their underlying's price, at the simulator's volatility, to their expiry", () => {
    const [ce] = priced([{ ...base, symbol: NIFTY_26000_CE.symbol, exchange: 'NFO', quantity: dec(65), product: 'NRML' }]);
    // 2026-11-25 10:00 IST to 2026-12-29 15:30 IST: 34 days 5.5 hours
    expect(ce?.risk).toEqual({
      kind: 'option',
      underlying: 'NSE_INDEX:NIFTY',
      right: 'call',
      spot: 26000,
      strike: 26000,
      years: (34 + 5.5 / 24) / 365,
      volatility: 0.14,
    });
    const [fut, sbin] = priced([{ ...base, symbol: NIFTY_FUT.symbol, exchange: 'NFO', quantity: dec(65), product: 'NRML' }, base]);
    expect(fut?.risk).toEqual({ kind: 'future', underlying: 'NSE_INDEX:NIFTY' });
    expect(sbin?.risk).toBeUndefined();
  });

  it('refuses what no order could open, naming the position', () => {
    const nfo = { ...base, symbol: NIFTY_FUT.symbol, exchange: 'NFO', product: 'NRML' } as const;
    expect(() => priced([base, { ...nfo, quantity: dec(50) }])).toThrow(
      new InvalidOrder('Position 2: Quantity must be in multiples of lot size 65'),
    );
    expect(() => priced([{ ...nfo, quantity: dec(65), product: 'CNC' }])).toThrow(
      new InvalidOrder('Position 1: CNC is for equity delivery; use NRML or MIS for NIFTY29DEC26FUT'),
    );
    expect(() => priced([{ ...base, symbol: 'NIFTY', exchange: 'NSE_INDEX' }])).toThrow(
      new InvalidOrder('Position 1: NSE_INDEX is quote-only: indices cannot be traded'),
    );
    expect(() => priced([{ ...base, symbol: 'NOSUCH' }])).toThrow(InstrumentNotFound);
  });

  it('refuses legs in two currencies: no sum mixes them', () => {
    const legs = priced([base, { ...base, symbol: 'BTCUSD', exchange: 'CRYPTO', quantity: dec('0.5') }]);
    expect(() => basketMargin(rates, legs)).toThrow(
      new InvalidOrder("The positions are in INR and USD: ask for the margin of each currency's positions apart"),
    );
  });
});
