// The broker of the `exchange` fill model: the reference model's order API (market, limit and stop orders, stop-loss
// and take-profit, fractional or whole sizes, close) over the paper exchange's rules. Cash, margin, charges and P&L
// are exact Decimals; only the equity curve and the trade records the statistics read are float64 conversions.
import type { BarColumns } from '../../domain/backtest/bars.js';
import { InvalidBacktestOrder, InvalidBacktestSettings } from '../../domain/backtest/errors.js';
import type { FillListener, SimulationBroker } from '../../domain/backtest/fill-model.js';
import type { ClosedTrade, SimulationSettings } from '../../domain/backtest/simulation.js';
import type { OrderRequest, PositionView } from '../../domain/backtest/strategy.js';
import {
  type Decimal,
  ZERO,
  abs,
  add,
  cmp,
  dec,
  div,
  isZero,
  max,
  min,
  mul,
  neg,
  roundToStep,
  sign,
  stepsIn,
  sub,
  toNumber,
  toReadable,
} from '../../domain/decimal.js';
import type { Instrument } from '../../domain/instrument.js';
import type { Product, Side } from '../../domain/order.js';
import { type ChargeSegment, type ChargeVenue, orderCharges } from '../charges.js';
import { type MarginRates, exposureMargin, positionMargin } from '../margin.js';
import { SquareOffTimes } from './square-off-times.js';

/** What the broker trades under, parsed from an ExchangeFillSpec. */
export interface ExchangeTerms {
  readonly instrument: Instrument;
  readonly product: Product;
  readonly rates: MarginRates;
  /** The Indian charges schedule, or undefined to charge the settings' commission instead. */
  readonly charges: { readonly segment: ChargeSegment; readonly venue: ChargeVenue } | undefined;
}

/**
 * Why an order was dropped: the exchange would reject it (not enough free margin, a CNC sell beyond the long position,
 * an MIS order opening exposure after the square-off time), or it comes to less than one lot.
 */
export type RefusalReason = 'insufficient_margin' | 'cnc_short' | 'after_square_off' | 'less_than_a_lot';

export interface OrderRefusal {
  /** The bar whose prices the order met when it was dropped. */
  readonly bar: number;
  readonly reason: RefusalReason;
  readonly message: string;
}

/** A pending order; `size` is signed: a fraction of the free margin, or whole units already rounded to lots. */
class SimOrder {
  queued = true;

  constructor(
    readonly direction: 1 | -1,
    readonly size: Decimal,
    readonly isFraction: boolean,
    readonly limit: Decimal | undefined,
    public stop: Decimal | undefined,
    readonly sl: Decimal | undefined,
    readonly tp: Decimal | undefined,
    readonly tag: string | undefined,
    /** The trade a stop-loss or take-profit closes. */
    readonly parent: SimTrade | null,
    /** Closes the whole net position (close(), square-off, finalize): one executed order, its side known at the fill. */
    readonly closesPosition = false,
  ) {}

  get isContingent(): boolean {
    const parent = this.parent;
    return parent !== null && (this === parent.slOrder || this === parent.tpOrder);
  }
}

/** One entry, matched FIFO against later opposite fills; `entryCharges` is its share of its order's charges still open. */
class SimTrade {
  isOpen = true;
  slOrder: SimOrder | null = null;
  tpOrder: SimOrder | null = null;

  constructor(
    public size: Decimal,
    readonly entryPrice: Decimal,
    readonly entryBar: number,
    public entryCharges: Decimal,
    readonly tag: string | undefined,
    readonly sl: Decimal | undefined,
    readonly tp: Decimal | undefined,
  ) {}
}

export class ExchangeBroker implements SimulationBroker {
  readonly position: PositionView;
  readonly equityCurve: Float64Array;
  readonly closedTrades: ClosedTrade[] = [];
  /** Orders dropped instead of filled, in the order it happened; the run goes on after each. */
  readonly refusals: OrderRefusal[] = [];
  /** MIS positions closed by the square-off. */
  squareOffs = 0;
  /** Every fill's charges (or commission), exact. */
  chargesPaid: Decimal = ZERO;
  private cashValue: Decimal;
  private readonly trades: SimTrade[] = [];
  private orders: SimOrder[] = [];
  private index = 0;
  private readonly commission: Decimal;
  private readonly squareOff: SquareOffTimes;
  private readonly squaresOff: boolean;

  constructor(
    private readonly bars: BarColumns,
    private readonly settings: SimulationSettings,
    private readonly terms: ExchangeTerms,
    private readonly onFill: FillListener | undefined,
  ) {
    checkSettings(settings);
    this.cashValue = dec(settings.cash);
    this.commission = dec(settings.commission);
    this.equityCurve = new Float64Array(bars.length).fill(Number.NaN);
    this.squareOff = SquareOffTimes.of(terms.instrument.exchange, bars.time);
    this.squaresOff = terms.product === 'MIS' && this.squareOff.squareOffMs !== undefined;
    this.position = new ExchangePosition(this);
  }

  /** The refusals by reason, the square-offs and the charges paid, for the run's record. */
  report(): Readonly<Record<string, number>> {
    const refused = (reason: RefusalReason) => this.refusals.filter((refusal) => refusal.reason === reason).length;
    return {
      refused_orders: this.refusals.length,
      refused_insufficient_margin: refused('insufficient_margin'),
      refused_cnc_short: refused('cnc_short'),
      refused_after_square_off: refused('after_square_off'),
      refused_less_than_a_lot: refused('less_than_a_lot'),
      square_offs: this.squareOffs,
      charges: toNumber(this.chargesPaid),
    };
  }

  /** Starting cash plus realized P&L less charges (the reference's meaning of cash). */
  get cashDecimal(): Decimal {
    return this.cashValue;
  }

  get cash(): number {
    return toNumber(this.cashValue);
  }

  get equity(): number {
    return toNumber(this.equityDecimal());
  }

  get openTrades(): number {
    return this.trades.length;
  }

  /** Cash plus the open position's profit at the current bar's close. */
  equityDecimal(): Decimal {
    return this.trades.length === 0 ? this.cashValue : add(this.cashValue, this.unrealizedPl());
  }

  /** Units held, negative short. */
  netQuantity(): Decimal {
    let quantity = ZERO;
    for (const trade of this.trades) quantity = add(quantity, trade.size);
    return quantity;
  }

  /** What the open entries cost, signed (negative for a short). */
  openCost(): Decimal {
    let cost = ZERO;
    for (const trade of this.trades) cost = add(cost, mul(trade.size, trade.entryPrice));
    return cost;
  }

  unrealizedPl(): Decimal {
    return sub(mul(this.netQuantity(), dec(this.bars.close[this.index] as number)), this.openCost());
  }

  /** Margin the open position holds, by product (margin.ts), on its exact open cost. */
  usedMargin(): Decimal {
    const { rates, instrument, product } = this.terms;
    return positionMargin(rates, instrument, product, this.netQuantity(), this.openCost());
  }

  /** What a new exposure may use: cash less the margin held, as the paper exchange's available cash. */
  freeMargin(): Decimal {
    return sub(this.cashValue, this.usedMargin());
  }

  processOrders(index: number): void {
    this.index = index;
    const active = this.trades.length !== 0 || this.orders.length !== 0;
    if (active && this.squaresOff && this.squareOff.intraday && index > 0) {
      const time = this.bars.time;
      if (this.squareOff.crossed(time[index - 1] as number, time[index] as number)) {
        this.squareOffAt(this.bars.open[index] as number);
        return;
      }
    }
    if (this.orders.length !== 0) this.runOrders();
    // Daily and longer bars: the session's square-off falls inside the bar, so MIS closes at its close.
    if (this.squaresOff && !this.squareOff.intraday && (this.trades.length !== 0 || this.orders.length !== 0)) {
      this.squareOffAt(this.bars.close[index] as number);
    }
  }

  recordEquity(index: number): boolean {
    const equity = this.equity;
    this.equityCurve[index] = equity;
    if (equity > 0) return true;
    // Out of money, as the reference: everything is closed at the close and the rest of the curve is zero.
    this.orders = [];
    this.closeNetPosition(this.bars.close[index] as number, index);
    this.cashValue = ZERO;
    this.equityCurve.fill(0, index);
    return false;
  }

  placeOrder(direction: 1 | -1, request: OrderRequest | undefined): void {
    const requested = request?.size ?? FULL_SIZE;
    if (!((requested > 0 && requested < 1) || (Number.isInteger(requested) && requested >= 1))) {
      throw new InvalidBacktestOrder(`Order size must be a fraction in (0, 1) or a whole number of units ≥ 1, got ${requested}`);
    }
    const isFraction = requested < 1;
    const buying = direction === 1;
    // Prices go to the tick on the side that never betters the trader's own: a buy limit down, a buy stop up, and so on.
    const limit = this.priceOf('limit', request?.limit, buying ? 'down' : 'up');
    const stop = this.priceOf('stop', request?.stop, buying ? 'up' : 'down');
    const sl = this.priceOf('sl', request?.sl, buying ? 'down' : 'up');
    const tp = this.priceOf('tp', request?.tp, buying ? 'up' : 'down');
    const entry = limit ?? stop ?? dec(this.bars.close[this.index] as number);
    const below = (a: Decimal | undefined, b: Decimal | undefined): boolean => a === undefined || b === undefined || cmp(a, b) < 0;
    if (buying ? !(below(sl, entry) && below(entry, tp)) : !(below(tp, entry) && below(entry, sl))) {
      throw new InvalidBacktestOrder(
        `A ${buying ? 'long order needs sl < entry < tp' : 'short order needs tp < entry < sl'}, got entry ${toReadable(entry)}, ` +
          `sl ${sl === undefined ? 'none' : toReadable(sl)} and tp ${tp === undefined ? 'none' : toReadable(tp)}`,
      );
    }
    let size: Decimal;
    if (isFraction) {
      size = dec(requested);
    } else {
      // Whole units go down to whole lots; less than a lot is dropped here, as the reference drops zero units.
      const lotSize = this.terms.instrument.lotSize;
      size = mul(dec(stepsIn(dec(requested), lotSize)), lotSize);
      if (isZero(size)) {
        this.refuse('less_than_a_lot', `${requested} units is less than one lot of ${toReadable(lotSize)}`);
        return;
      }
    }
    if (this.settings.exclusiveOrders) {
      for (const order of this.orders.slice()) if (!order.isContingent) this.removeOrder(order);
      this.closePosition();
    }
    this.orders.push(new SimOrder(direction, size, isFraction, limit, stop, sl, tp, request?.tag, null));
  }

  /** One market order for the whole net position, ahead of the queue. */
  closePosition(): void {
    if (this.trades.length === 0) return;
    this.orders.unshift(new SimOrder(1, ZERO, false, undefined, undefined, undefined, undefined, undefined, null, true));
  }

  finalize(lastIndex: number): void {
    this.index = lastIndex;
    this.closePosition();
    if (this.orders.length !== 0) this.runOrders();
    this.recordEquity(lastIndex);
  }

  /** One pass over the queue with the current bar's prices (again when a fill attached a SL/TP that may fill now). */
  private runOrders(): void {
    const i = this.index;
    const high = this.bars.high[i] as number;
    const low = this.bars.low[i] as number;
    const open = this.bars.open[i] as number;
    let reprocess = false;

    for (const order of this.orders.slice()) {
      if (!order.queued) continue;
      if (order.closesPosition) {
        this.removeOrder(order);
        const net = this.netQuantity();
        if (!isZero(net)) this.closeNetPosition(open, i);
        continue;
      }
      const buying = order.direction === 1;
      const stop = order.stop;
      if (stop !== undefined) {
        const stopNumber = toNumber(stop);
        if (!(buying ? high >= stopNumber : low <= stopNumber)) continue;
        // A triggered stop becomes a market (or limit) order for good.
        order.stop = undefined;
      }
      const marketPrice = this.tickPrice(open, order.direction);
      let price: Decimal;
      const limit = order.limit;
      if (limit !== undefined) {
        const limitNumber = toNumber(limit);
        const limitHit = buying ? low <= limitNumber : high >= limitNumber;
        // As the reference: with a stop and a limit hit in one bar, the limit is taken to have come first, before the
        // stop armed it, so the order waits for the next bar.
        const hitBeforeStop = limitHit && stop !== undefined && (buying ? cmp(limit, stop) <= 0 : cmp(limit, stop) >= 0);
        if (!limitHit || hitBeforeStop) continue;
        const reference = stop ?? marketPrice;
        price = buying ? min(reference, limit) : max(reference, limit);
      } else {
        price = stop === undefined ? marketPrice : buying ? max(marketPrice, stop) : min(marketPrice, stop);
      }

      const parent = order.parent;
      if (parent !== null) {
        if (parent.isOpen) this.closeTrade(parent, price, i);
        if (order.queued) this.removeOrder(order);
        continue;
      }

      this.removeOrder(order);
      const opened = this.fillNew(order, price, i);
      if (opened !== undefined && (order.sl !== undefined || order.tp !== undefined)) {
        const isMarket = limit === undefined && stop === undefined;
        if (isMarket) {
          reprocess = true;
        } else if (stop !== undefined && limit === undefined && order.tp !== undefined) {
          // The stop and the take-profit both lie in the bar's direction of travel: the TP may fill on this bar.
          const tp = toNumber(order.tp);
          const sl = order.sl === undefined ? undefined : toNumber(order.sl);
          if (buying ? tp <= high && (sl ?? -Infinity) < low : tp >= low && (sl ?? Infinity) > high) reprocess = true;
        }
      }
    }

    if (reprocess) this.runOrders();
  }

  /** Sizes, checks and fills a new order at `price`; returns the trade it opened, if any. */
  private fillNew(order: SimOrder, price: Decimal, bar: number): SimTrade | undefined {
    const side: Side = order.direction === 1 ? 'BUY' : 'SELL';
    const quantity = order.isFraction ? this.fractionQuantity(order, side, price) : order.size;
    if (isZero(quantity)) {
      this.refuse('less_than_a_lot', `${toReadable(order.size)} of the free margin buys less than one lot at ${toReadable(price)}`);
      return undefined;
    }
    const net = this.netQuantity();
    const opposite = order.direction === 1 ? max(neg(net), ZERO) : max(net, ZERO);
    const opening = sub(quantity, min(quantity, opposite));
    const value = mul(quantity, price);
    const charges = this.chargesOf(side, value);
    if (!isZero(opening)) {
      const { product } = this.terms;
      if (product === 'CNC' && side === 'SELL') {
        this.refuse('cnc_short', `Cannot sell ${toReadable(quantity)} (CNC): only ${toReadable(max(net, ZERO))} held`);
        return undefined;
      }
      if (this.squaresOff && this.squareOff.intraday && this.squareOff.isAfterSquareOff(this.bars.time[bar] as number)) {
        this.refuse('after_square_off', 'MIS orders cannot open positions after the square-off time');
        return undefined;
      }
      const required = add(this.openingMargin(side, opening, price), charges);
      const free = this.freeMargin();
      if (cmp(required, free) > 0) {
        this.refuse(
          'insufficient_margin',
          `Insufficient funds. Required: ${toReadable(required, 2)}, Available: ${toReadable(free, 2)}, ` +
            `Shortage: ${toReadable(sub(required, free), 2)}`,
        );
        return undefined;
      }
    }
    return this.execute(order.direction, quantity, opening, price, charges, bar, order);
  }

  /**
   * Whole lots that `size` (a fraction) of the free margin carries at `price`, rounded down, less what the order's
   * charges take: the margin of the part that opens exposure plus the charges stay within that share.
   */
  private fractionQuantity(order: SimOrder, side: Side, price: Decimal): Decimal {
    const free = this.freeMargin();
    if (cmp(free, ZERO) <= 0) return ZERO;
    const budget = mul(order.size, free);
    const lotSize = this.terms.instrument.lotSize;
    const perLot = this.openingMargin(side, lotSize, price);
    if (isZero(perLot)) return ZERO;
    let lots = stepsIn(budget, perLot);
    const net = this.netQuantity();
    const opposite = order.direction === 1 ? max(neg(net), ZERO) : max(net, ZERO);
    while (lots > 0n) {
      const quantity = mul(dec(lots), lotSize);
      const opening = sub(quantity, min(quantity, opposite));
      if (isZero(opening)) break;
      const charges = this.chargesOf(side, mul(quantity, price));
      if (cmp(add(this.openingMargin(side, opening, price), charges), budget) <= 0) break;
      // Charges grow with the quantity, so the lots that fit the budget less these charges fit with their own.
      const fewer = cmp(budget, charges) > 0 ? stepsIn(sub(budget, charges), perLot) : 0n;
      lots = fewer < lots ? fewer : lots - 1n;
    }
    return mul(dec(lots), lotSize);
  }

  private openingMargin(side: Side, quantity: Decimal, price: Decimal): Decimal {
    const { rates, instrument, product } = this.terms;
    return exposureMargin(rates, instrument, product, side, quantity, price);
  }

  /**
   * One executed order of `quantity` at `price`: its charges leave the cash, it closes opposite entries oldest first
   * (FIFO) and opens `opening` units with the order's SL/TP. Each closed part and the new entry carry a share of the
   * charges in proportion to their units.
   */
  private execute(
    direction: 1 | -1,
    quantity: Decimal,
    opening: Decimal,
    price: Decimal,
    charges: Decimal,
    bar: number,
    order: SimOrder | undefined,
  ): SimTrade | undefined {
    this.cashValue = sub(this.cashValue, charges);
    this.chargesPaid = add(this.chargesPaid, charges);
    let closing = sub(quantity, opening);
    let allocated = ZERO;
    while (!isZero(closing)) {
      const trade = this.trades[0] as SimTrade;
      const take = min(abs(trade.size), closing);
      const share = div(mul(charges, take), quantity);
      allocated = add(allocated, share);
      this.reduceTrade(trade, take, price, bar, share);
      closing = sub(closing, take);
    }
    let opened: SimTrade | undefined;
    if (!isZero(opening)) {
      const signed = direction === 1 ? opening : neg(opening);
      opened = this.openTrade(signed, price, bar, sub(charges, allocated), order);
    }
    this.onFill?.(toNumber(direction === 1 ? quantity : neg(quantity)), toNumber(price), order?.tag);
    return opened;
  }

  private openTrade(size: Decimal, price: Decimal, bar: number, charges: Decimal, order: SimOrder | undefined): SimTrade {
    const tag = order?.tag;
    const trade = new SimTrade(size, price, bar, charges, tag, order?.sl, order?.tp);
    this.trades.push(trade);
    const closing: 1 | -1 = sign(size) > 0 ? -1 : 1;
    if (order?.tp !== undefined) {
      trade.tpOrder = new SimOrder(closing, ZERO, false, order.tp, undefined, undefined, undefined, tag, trade);
      this.orders.push(trade.tpOrder);
    }
    if (order?.sl !== undefined) {
      trade.slOrder = new SimOrder(closing, ZERO, false, undefined, order.sl, undefined, undefined, tag, trade);
      this.orders.unshift(trade.slOrder);
    }
    return trade;
  }

  /** A stop-loss or take-profit: an executed order closing what is left of its trade. */
  private closeTrade(trade: SimTrade, price: Decimal, bar: number): void {
    const quantity = abs(trade.size);
    const direction: 1 | -1 = sign(trade.size) > 0 ? -1 : 1;
    const charges = this.chargesOf(direction === 1 ? 'BUY' : 'SELL', mul(quantity, price));
    this.cashValue = sub(this.cashValue, charges);
    this.chargesPaid = add(this.chargesPaid, charges);
    this.reduceTrade(trade, quantity, price, bar, charges);
    this.onFill?.(toNumber(direction === 1 ? quantity : neg(quantity)), toNumber(price), trade.tag);
  }

  /** The whole net position in one executed order at a bar price (close(), square-off, running out of money). */
  private closeNetPosition(barPrice: number, bar: number): void {
    const net = this.netQuantity();
    if (isZero(net)) return;
    const direction: 1 | -1 = sign(net) > 0 ? -1 : 1;
    const quantity = abs(net);
    const price = this.tickPrice(barPrice, direction);
    const charges = this.chargesOf(direction === 1 ? 'BUY' : 'SELL', mul(quantity, price));
    this.execute(direction, quantity, ZERO, price, charges, bar, undefined);
  }

  /** Books `take` units of the trade closed at `price`: gross P&L into cash and a ClosedTrade with its charges. */
  private reduceTrade(trade: SimTrade, take: Decimal, price: Decimal, bar: number, exitCharges: Decimal): void {
    const whole = cmp(take, abs(trade.size)) === 0;
    const signed = sign(trade.size) > 0 ? take : neg(take);
    const entryShare = whole ? trade.entryCharges : div(mul(trade.entryCharges, take), abs(trade.size));
    trade.entryCharges = sub(trade.entryCharges, entryShare);
    const gross = mul(signed, sub(price, trade.entryPrice));
    this.cashValue = add(this.cashValue, gross);
    const commissions = add(entryShare, exitCharges);
    const size = toNumber(signed);
    const entryPrice = toNumber(trade.entryPrice);
    const exitPrice = toNumber(price);
    const commissionsNumber = toNumber(commissions);
    const time = this.bars.time;
    this.closedTrades.push({
      size,
      entryBar: trade.entryBar,
      exitBar: bar,
      entryPrice,
      exitPrice,
      entryTime: time[trade.entryBar] as number,
      exitTime: time[bar] as number,
      pl: toNumber(sub(gross, commissions)),
      returnPct: Math.sign(size) * (exitPrice / entryPrice - 1) - commissionsNumber / (Math.abs(size) * entryPrice),
      commissions: commissionsNumber,
      sl: whole && trade.sl !== undefined ? toNumber(trade.sl) : undefined,
      tp: whole && trade.tp !== undefined ? toNumber(trade.tp) : undefined,
      tag: trade.tag,
    });
    if (whole) {
      trade.isOpen = false;
      this.trades.splice(this.trades.indexOf(trade), 1);
      if (trade.slOrder?.queued) this.removeOrder(trade.slOrder);
      if (trade.tpOrder?.queued) this.removeOrder(trade.tpOrder);
    } else {
      trade.size = sub(trade.size, signed);
    }
  }

  /** MIS square-off: working orders cancelled, the position closed at `barPrice` (on the tick, against the trader). */
  private squareOffAt(barPrice: number): void {
    for (const order of this.orders) order.queued = false;
    this.orders = [];
    const net = this.netQuantity();
    if (isZero(net)) return;
    this.squareOffs++;
    this.closeNetPosition(barPrice, this.index);
  }

  /** A bar price on the tick grid against the trader: up for a buy, down for a sell. */
  private tickPrice(price: number, direction: number): Decimal {
    return roundToStep(dec(price), this.terms.instrument.tickSize, direction > 0 ? 'up' : 'down');
  }

  /** The charges of one executed order of `value`: the Indian schedule, or the settings' commission rate. */
  private chargesOf(side: Side, value: Decimal): Decimal {
    const charges = this.terms.charges;
    if (charges !== undefined) return orderCharges(charges.segment, charges.venue, side, value).total;
    return isZero(this.commission) ? ZERO : mul(value, this.commission);
  }

  private priceOf(field: string, price: number | undefined, mode: 'up' | 'down'): Decimal | undefined {
    if (price === undefined || price === 0) return undefined;
    if (!(price > 0 && price < Infinity)) throw new InvalidBacktestOrder(`Order ${field} must be a positive price, got ${price}`);
    const rounded = roundToStep(dec(price), this.terms.instrument.tickSize, mode);
    if (cmp(rounded, ZERO) <= 0) throw new InvalidBacktestOrder(`Order ${field} ${price} is below one tick`);
    return rounded;
  }

  private refuse(reason: RefusalReason, message: string): void {
    this.refusals.push({ bar: this.index, reason, message });
  }

  private removeOrder(order: SimOrder): void {
    const at = this.orders.indexOf(order);
    if (at >= 0) this.orders.splice(at, 1);
    order.queued = false;
  }
}

/** The size buy()/sell() use when none is given: all the free margin. */
const FULL_SIZE = 1 - Number.EPSILON;

/** The net position as the strategy reads it. */
class ExchangePosition implements PositionView {
  constructor(private readonly broker: ExchangeBroker) {}

  get size(): number {
    return toNumber(this.broker.netQuantity());
  }

  get pl(): number {
    return toNumber(this.broker.unrealizedPl());
  }

  get plPct(): number {
    const cost = abs(this.broker.openCost());
    return isZero(cost) ? 0 : toNumber(this.broker.unrealizedPl()) / toNumber(cost);
  }

  get isLong(): boolean {
    return sign(this.broker.netQuantity()) > 0;
  }

  get isShort(): boolean {
    return sign(this.broker.netQuantity()) < 0;
  }
}

/** Settings the exchange model takes from the product and the exchange instead are refused rather than ignored. */
function checkSettings(settings: SimulationSettings): void {
  if (!(settings.cash > 0)) throw new InvalidBacktestSettings('cash', `cash must be positive, got ${settings.cash}`);
  if (!(settings.commission >= 0 && settings.commission < 0.1)) {
    throw new InvalidBacktestSettings('commission', `commission must be in [0, 0.1) for the exchange model, got ${settings.commission}`);
  }
  if (settings.margin !== 1) {
    throw new InvalidBacktestSettings('margin', 'The exchange model takes margin from the product (CNC, MIS, NRML), not from settings');
  }
  if (settings.spread !== 0) throw new InvalidBacktestSettings('spread', 'The exchange model fills on the tick grid and takes no spread');
  if (settings.hedging) throw new InvalidBacktestSettings('hedging', 'The exchange nets one position per instrument and product');
  if (settings.tradeOnClose) {
    throw new InvalidBacktestSettings('tradeOnClose', 'The exchange model fills market orders at the next bar\'s open');
  }
}
