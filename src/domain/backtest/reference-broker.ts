// The `reference` fill model: backtesting.py's broker, rule for rule and quirk for quirk, in float64, so that the same
// strategy on the same data gives the library's trades and equity to the last digits. Where a rule looks odd (sizing
// with the bar's close before filling at its open, exits without spread, iterating a list while removing from it),
// it is the library's and is kept on purpose; see ../shared/reference/backtest-stats.md.
import type { BarColumns } from './bars.js';
import type { BrokerFactory, FillListener, SimulationBroker } from './fill-model.js';
import { InvalidBacktestOrder, InvalidBacktestSettings } from './errors.js';
import type { ClosedTrade, SimulationSettings } from './simulation.js';
import type { OrderRequest, PositionView } from './strategy.js';

/** The size `buy()`/`sell()` use when none is given: all the available margin (1 − machine epsilon, as the library). */
export const FULL_SIZE = 1 - Number.EPSILON;

export const referenceBroker: BrokerFactory = (bars, settings, onFill) => new ReferenceBroker(bars, settings, onFill);

/** A price that is absent (no limit, no stop, no stop-loss, no take-profit). */
const NONE = Number.NaN;

/** A pending order; prices are NONE when absent. `parent` is set for orders that close a trade (SL, TP, close()). */
class SimOrder {
  queued = true;

  constructor(
    public size: number,
    readonly limit: number,
    public stop: number,
    readonly sl: number,
    readonly tp: number,
    readonly tag: string | undefined,
    readonly parent: SimTrade | null,
  ) {}

  /** A stop-loss or take-profit of its trade (not a close order): it fills at the open even with trade-on-close. */
  get isContingent(): boolean {
    const parent = this.parent;
    return parent !== null && (this === parent.slOrder || this === parent.tpOrder);
  }
}

class SimTrade {
  isOpen = true;
  slOrder: SimOrder | null = null;
  tpOrder: SimOrder | null = null;
  slPrice = NONE;
  tpPrice = NONE;

  constructor(
    public size: number,
    readonly entryPrice: number,
    readonly entryBar: number,
    readonly tag: string | undefined,
  ) {}
}

export class ReferenceBroker implements SimulationBroker {
  readonly position: PositionView;
  readonly equityCurve: Float64Array;
  readonly closedTrades: ClosedTrade[] = [];
  private readonly trades: SimTrade[] = [];
  private orders: SimOrder[] = [];
  private cashValue: number;
  private index = 0;
  /** Σ trade sizes (units held) and Σ size × entry price over the open trades, summed in the trades' order as the
   * library sums them, refreshed whenever the trades change so that the per-bar equity is two multiplications. */
  private units = 0;
  private entryValue = 0;
  private readonly leverage: number;

  constructor(
    private readonly bars: BarColumns,
    private readonly settings: SimulationSettings,
    private readonly onFill: FillListener | undefined,
  ) {
    checkSettings(settings);
    this.cashValue = settings.cash;
    this.leverage = 1 / settings.margin;
    this.equityCurve = new Float64Array(bars.length);
    this.position = new ReferencePosition(this);
  }

  get cash(): number {
    return this.cashValue;
  }

  /** Cash plus the open trades' profit at the current bar's close. */
  get equity(): number {
    return this.cashValue + this.unrealizedPl();
  }

  get openTrades(): number {
    return this.trades.length;
  }

  processOrders(index: number): void {
    this.index = index;
    if (this.orders.length !== 0) this.runOrders();
  }

  recordEquity(index: number): boolean {
    const equity = this.equity;
    this.equityCurve[index] = equity;
    if (equity > 0) return true;
    // Out of money: the library closes the open trades at the close and zeroes the rest of the curve. Its loop removes
    // from the list it walks, so it closes every other trade; the indexed loop below does the same.
    const price = this.bars.close[index] as number;
    for (let j = 0; j < this.trades.length; j++) this.closeTrade(this.trades[j] as SimTrade, price, index);
    this.cashValue = 0;
    this.equityCurve.fill(0, index);
    return false;
  }

  placeOrder(direction: 1 | -1, request: OrderRequest | undefined): void {
    const size = request?.size ?? FULL_SIZE;
    if (!((size > 0 && size < 1) || (Number.isInteger(size) && size >= 1))) {
      throw new InvalidBacktestOrder(`Order size must be a fraction in (0, 1) or a whole number of units ≥ 1, got ${size}`);
    }
    const signed = direction * size;
    const limit = priceOf('limit', request?.limit);
    const stop = priceOf('stop', request?.stop);
    const sl = priceOf('sl', request?.sl);
    const tp = priceOf('tp', request?.tp);
    const entry = present(limit) ? limit : present(stop) ? stop : this.adjustedPrice(signed, this.lastPrice);
    if (signed > 0) {
      if (!((present(sl) ? sl : -Infinity) < entry && entry < (present(tp) ? tp : Infinity))) {
        throw new InvalidBacktestOrder(`A long order needs sl < entry (${entry}) < tp, got sl ${sl} and tp ${tp}`);
      }
    } else if (!((present(tp) ? tp : -Infinity) < entry && entry < (present(sl) ? sl : Infinity))) {
      throw new InvalidBacktestOrder(`A short order needs tp < entry (${entry}) < sl, got tp ${tp} and sl ${sl}`);
    }
    if (this.settings.exclusiveOrders) {
      // The library cancels while walking the same list, so it skips the order after each one it cancels.
      for (let j = 0; j < this.orders.length; j++) {
        const order = this.orders[j] as SimOrder;
        if (!order.isContingent) this.cancelOrder(order);
      }
      for (const trade of this.trades) this.queueClose(trade);
    }
    this.orders.push(new SimOrder(signed, limit, stop, sl, tp, request?.tag, null));
  }

  closePosition(): void {
    for (const trade of this.trades) this.queueClose(trade);
  }

  finalize(lastIndex: number): void {
    // Close orders go to the front of the queue, last trade first, so they run in the trades' order; then one more
    // pass over the last bar's prices fills them (and whatever the strategy placed on that bar).
    for (let j = this.trades.length - 1; j >= 0; j--) this.queueClose(this.trades[j] as SimTrade);
    this.processOrders(lastIndex);
    this.recordEquity(lastIndex);
  }

  /** Units held: the sum of the open trades' sizes. */
  positionSize(): number {
    return this.units;
  }

  /** The open trades' profit at the current close, in the library's order of operations. */
  unrealizedPl(): number {
    return this.lastPrice * this.units - this.entryValue;
  }

  /** What the open trades cost at entry. */
  positionCost(): number {
    let cost = 0;
    for (const trade of this.trades) cost += Math.abs(trade.size) * trade.entryPrice;
    return cost;
  }

  private get lastPrice(): number {
    return this.bars.close[this.index] as number;
  }

  private adjustedPrice(size: number, price: number): number {
    const spread = Math.abs(this.settings.spread);
    return price * (1 + (size < 0 ? -spread : spread));
  }

  private commissionOf(size: number, price: number): number {
    return Math.abs(size) * price * this.settings.commission;
  }

  /** Equity less the margin the open trades use, valued at the current close (the library's look-ahead). */
  private marginAvailable(): number {
    const price = this.lastPrice;
    let used = 0;
    for (const trade of this.trades) used += (Math.abs(trade.size) * price) / this.leverage;
    const available = this.equity - used;
    return available > 0 ? available : 0;
  }

  /** One pass over the queue with the current bar's prices (and another if a fill attached a SL/TP to a market fill). */
  private runOrders(): void {
    const i = this.index;
    const { open: opens, high: highs, low: lows, close: closes } = this.bars;
    const open = opens[i] as number;
    const high = highs[i] as number;
    const low = lows[i] as number;
    let reprocess = false;

    for (const order of this.orders.slice()) {
      if (!order.queued) continue;
      const isLong = order.size > 0;
      const stopPrice = order.stop;
      const hasStop = present(stopPrice);
      if (hasStop) {
        if (!(isLong ? high >= stopPrice : low <= stopPrice)) continue;
        // A triggered stop order becomes a market (or limit) order for good.
        order.stop = NONE;
      }
      const limit = order.limit;
      const contingent = order.isContingent;
      let price: number;
      if (present(limit)) {
        const limitHit = isLong ? low <= limit : high >= limit;
        // With a stop and a limit hit in the same bar, the library assumes the limit came first, before it counted.
        const hitBeforeStop =
          limitHit && (isLong ? limit <= (hasStop ? stopPrice : -Infinity) : limit >= (hasStop ? stopPrice : Infinity));
        if (!limitHit || hitBeforeStop) continue;
        price = isLong ? Math.min(hasStop ? stopPrice : open, limit) : Math.max(hasStop ? stopPrice : open, limit);
      } else {
        price = this.settings.tradeOnClose && !contingent ? (closes[i - 1] as number) : open;
        if (hasStop) price = isLong ? Math.max(price, stopPrice) : Math.min(price, stopPrice);
      }
      const isMarket = !present(limit) && !hasStop;
      const bar = isMarket && this.settings.tradeOnClose && !contingent ? i - 1 : i;

      const parent = order.parent;
      if (parent !== null) {
        if (parent.isOpen) {
          const size = Math.abs(order.size) < Math.abs(parent.size) ? order.size : Math.sign(order.size) * Math.abs(parent.size);
          this.reduceTrade(parent, price, size, bar);
          // The library puts the stop back on a filled stop-loss so the trade still reports it.
          if (order === parent.slOrder) order.stop = stopPrice;
        }
        if (order !== parent.slOrder && order !== parent.tpOrder) this.removeOrder(order);
        continue;
      }

      const adjusted = this.adjustedPrice(order.size, price);
      const costPerUnit = adjusted + this.commissionOf(order.size, price) / Math.abs(order.size);
      let size = order.size;
      if (size > -1 && size < 1) {
        const units = Math.trunc(floorDivide(this.marginAvailable() * this.leverage * Math.abs(size), costPerUnit));
        if (units === 0) {
          // Not enough margin for one unit: the broker cancels the order.
          this.removeOrder(order);
          continue;
        }
        size = isLong ? units : -units;
      }
      let need = size;

      if (!this.settings.hedging) {
        // Netting: the order first closes opposite trades, oldest first, at the unadjusted price.
        for (const trade of this.trades.slice()) {
          if ((trade.size > 0) === isLong) continue;
          if (Math.abs(need) >= Math.abs(trade.size)) {
            this.closeTrade(trade, price, bar);
            need += trade.size;
          } else {
            this.reduceTrade(trade, price, need, bar);
            need = 0;
          }
          if (need === 0) break;
        }
      }

      if (Math.abs(need) * costPerUnit > this.marginAvailable() * this.leverage) {
        this.removeOrder(order);
        continue;
      }

      if (need !== 0) {
        this.openTrade(adjusted, need, order.sl, order.tp, bar, order.tag);
        if (present(order.sl) || present(order.tp)) {
          if (isMarket) {
            reprocess = true;
          } else if (
            hasStop &&
            !present(limit) &&
            present(order.tp) &&
            ((isLong && order.tp <= high && (present(order.sl) ? order.sl : -Infinity) < low) ||
              (!isLong && order.tp >= low && (present(order.sl) ? order.sl : Infinity) > high))
          ) {
            // The stop and the take-profit both lie in the bar's direction of travel: the TP may fill on this bar.
            reprocess = true;
          }
        }
      }
      this.removeOrder(order);
    }

    if (reprocess) this.runOrders();
  }

  private openTrade(price: number, size: number, sl: number, tp: number, bar: number, tag: string | undefined): void {
    const trade = new SimTrade(size, price, bar, tag);
    this.trades.push(trade);
    this.tradesChanged();
    this.cashValue -= this.commissionOf(size, price);
    if (present(tp)) {
      trade.tpPrice = tp;
      trade.tpOrder = this.queueContingent(new SimOrder(-trade.size, tp, NONE, NONE, NONE, tag, trade));
    }
    if (present(sl)) {
      trade.slPrice = sl;
      trade.slOrder = this.queueContingent(new SimOrder(-trade.size, NONE, sl, NONE, NONE, tag, trade));
    }
    this.onFill?.(size, price, tag);
  }

  /** Stop-losses go to the front of the queue, take-profits to the back. */
  private queueContingent(order: SimOrder): SimOrder {
    if (present(order.stop)) this.orders.unshift(order);
    else this.orders.push(order);
    return order;
  }

  /** A market order that closes the trade, at the front of the queue (so it runs before new orders). */
  private queueClose(trade: SimTrade): void {
    this.orders.unshift(new SimOrder(-trade.size, NONE, NONE, NONE, NONE, trade.tag, trade));
  }

  private reduceTrade(trade: SimTrade, price: number, size: number, bar: number): void {
    const left = trade.size + size;
    if (left === 0) {
      this.closeTrade(trade, price, bar);
      return;
    }
    trade.size = left;
    this.tradesChanged();
    if (trade.slOrder) trade.slOrder.size = -left;
    if (trade.tpOrder) trade.tpOrder.size = -left;
    this.settle(-size, trade.entryPrice, trade.entryBar, trade.tag, NONE, NONE, price, bar);
  }

  private closeTrade(trade: SimTrade, price: number, bar: number): void {
    this.trades.splice(this.trades.indexOf(trade), 1);
    this.tradesChanged();
    trade.isOpen = false;
    if (trade.slOrder) this.removeOrder(trade.slOrder);
    if (trade.tpOrder) this.removeOrder(trade.tpOrder);
    const sl = trade.slOrder ? trade.slPrice : NONE;
    const tp = trade.tpOrder ? trade.tpPrice : NONE;
    this.settle(trade.size, trade.entryPrice, trade.entryBar, trade.tag, sl, tp, price, bar);
  }

  /** Books a closed trade (or the closed part of one): its profit and exit commission into cash, and the record. */
  private settle(
    size: number,
    entryPrice: number,
    entryBar: number,
    tag: string | undefined,
    sl: number,
    tp: number,
    exitPrice: number,
    exitBar: number,
  ): void {
    const exitCommission = this.commissionOf(size, exitPrice);
    const gross = size * (exitPrice - entryPrice);
    this.cashValue += gross - exitCommission;
    const commissions = exitCommission + this.commissionOf(size, entryPrice);
    const time = this.bars.time;
    this.closedTrades.push({
      size,
      entryBar,
      exitBar,
      entryPrice,
      exitPrice,
      entryTime: time[entryBar] as number,
      exitTime: time[exitBar] as number,
      pl: gross - commissions,
      returnPct: Math.sign(size) * (exitPrice / entryPrice - 1) - commissions / (Math.abs(size) * entryPrice),
      commissions,
      sl: present(sl) ? sl : undefined,
      tp: present(tp) ? tp : undefined,
      tag,
    });
    this.onFill?.(-size, exitPrice, tag);
  }

  private tradesChanged(): void {
    let units = 0;
    let entryValue = 0;
    for (const trade of this.trades) {
      units += Math.trunc(trade.size);
      entryValue += trade.size * trade.entryPrice;
    }
    this.units = units;
    this.entryValue = entryValue;
  }

  private cancelOrder(order: SimOrder): void {
    this.removeOrder(order);
    const parent = order.parent;
    if (parent === null) return;
    if (order === parent.slOrder) parent.slOrder = null;
    else if (order === parent.tpOrder) parent.tpOrder = null;
  }

  private removeOrder(order: SimOrder): void {
    this.orders.splice(this.orders.indexOf(order), 1);
    order.queued = false;
  }
}

/** The net position as the strategy reads it, live on the broker's state. */
class ReferencePosition implements PositionView {
  constructor(private readonly broker: ReferenceBroker) {}

  get size(): number {
    return this.broker.positionSize();
  }

  get pl(): number {
    return this.broker.unrealizedPl();
  }

  get plPct(): number {
    const cost = this.broker.positionCost();
    return cost ? this.broker.unrealizedPl() / cost : 0;
  }

  get isLong(): boolean {
    return this.broker.positionSize() > 0;
  }

  get isShort(): boolean {
    return this.broker.positionSize() < 0;
  }
}

function present(price: number): boolean {
  return price === price;
}

/** An order's price field: absent when undefined or 0 (the library treats 0 as "not set"). */
function priceOf(field: string, price: number | undefined): number {
  if (price === undefined || price === 0) return NONE;
  if (!(price > 0 && price < Infinity)) throw new InvalidBacktestOrder(`Order ${field} must be a positive price, got ${price}`);
  return price;
}

/**
 * Python's float floor division `a // b`, which differs from Math.floor(a / b) when the quotient rounds up to a whole
 * number: it divides the exact `a − fmod(a, b)` instead.
 */
export function floorDivide(a: number, b: number): number {
  let mod = a % b;
  let quotient = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) {
    mod += b;
    quotient -= 1;
  }
  if (quotient === 0) return 0;
  let floored = Math.floor(quotient);
  if (quotient - floored > 0.5) floored += 1;
  return floored;
}

function checkSettings(settings: SimulationSettings): void {
  if (!(settings.cash > 0)) throw new InvalidBacktestSettings('cash', `cash must be positive, got ${settings.cash}`);
  if (!(settings.margin > 0 && settings.margin <= 1)) {
    throw new InvalidBacktestSettings('margin', `margin must be in (0, 1], got ${settings.margin}`);
  }
  if (!(settings.commission >= -0.1 && settings.commission < 0.1)) {
    throw new InvalidBacktestSettings('commission', `commission must be in [-0.1, 0.1), got ${settings.commission}`);
  }
  if (!Number.isFinite(settings.spread)) throw new InvalidBacktestSettings('spread', `spread must be a number, got ${settings.spread}`);
}
