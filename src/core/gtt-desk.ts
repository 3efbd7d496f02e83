// Good-till-triggered orders: placing, replacing and cancelling them (checked against the instrument and the last
// price from the account's broker), the book of active ones, and `evaluate`, the pass that fires or expires them. A
// GTT placed in analyzer mode is the sandbox's: it quotes and fires there, and is seen only in analyzer mode, as a live
// one is only outside it (domain/gtt.ts GttMode). A firing claims the GTT in the store (active → triggered,
// conditionally, so gateways sharing a database fire it once), then places the child order through the trading service
// of its mode like any other order, under a client order id derived from the GTT's, so a firing retried after a crash
// or an unreachable broker finds its order instead of placing another.
import type { Decimal } from '../domain/decimal.js';
import type { Clock } from '../domain/clock.js';
import { DomainError, GttNotFound, InvalidOrder } from '../domain/errors.js';
import {
  type Gtt,
  type GttMode,
  type GttSpec,
  checkGtt,
  childOrder,
  firingLeg,
  gttExpiry,
  isExpired,
} from '../domain/gtt.js';
import { CLIENT_ORDER_ID_WINDOW_MS } from '../domain/order.js';
import type { GttRepository } from '../store/store.js';
import type { TradingService } from './trading.js';

/** What the desk needs of a trading service: quotes, instruments and order placement. */
export type GttTrading = Pick<TradingService, 'getQuote' | 'instrument' | 'placeOrder'>;

export interface GttDeskOptions {
  gtts: GttRepository;
  /**
   * Where GTTs of each mode quote and fire, whatever the account's analyzer switch says when they do: `live` on the
   * account's own broker through the live desk, `sandbox` on the analyzer's paper exchange through the sandbox desk.
   */
  trading: Readonly<Record<GttMode, GttTrading>>;
  /** The mode an account's GTT calls are served in now: `sandbox` while its analyzer switch is on. */
  modeOf: (accountId: string) => GttMode;
  clock: Clock;
  /** A new GTT id (random: gateways sharing a database draw them independently). */
  newId: () => string;
  /** Told of what a pass could not do (a quote or a placement that failed); the pass goes on with the next GTT. */
  onError: (error: unknown, gtt: Gtt) => void;
}

export class GttDesk {
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: GttDeskOptions) {}

  /** Places a GTT; `expiresAt` (epoch ms) when sooner than a year. Throws InvalidOrder when it cannot rest. */
  async place(spec: GttSpec, expiresAt?: number): Promise<Gtt> {
    const mode = this.options.modeOf(spec.accountId);
    const lastPrice = await this.checked(spec, mode);
    const now = this.options.clock.now();
    if (expiresAt !== undefined && expiresAt <= now) throw new InvalidOrder('The expiry of a GTT must be in the future');
    const gtt: Gtt = {
      ...spec,
      id: this.options.newId(),
      mode,
      lastPrice,
      status: 'active',
      createdAt: now,
      updatedAt: now,
      expiresAt: gttExpiry(now, expiresAt),
    };
    await this.options.gtts.insert(gtt);
    return gtt;
  }

  /**
   * Replaces an active GTT's terms (quantity, product, order type, triggers, prices) and its last price; its
   * instrument, side and trigger type stay (cancel it and place another to change them), and so does its expiry.
   */
  async modify(id: string, spec: GttSpec): Promise<Gtt> {
    const mode = this.options.modeOf(spec.accountId);
    const current = await this.options.gtts.findActive(spec.accountId, mode, id);
    if (!current) throw new GttNotFound(id);
    const fixed = unchangeable(current, spec);
    if (fixed) throw new InvalidOrder(`The ${fixed} of a GTT cannot change; cancel it and place a new one`);
    const lastPrice = await this.checked(spec, mode);
    const replaced = await this.options.gtts.replace(id, mode, spec, lastPrice, this.options.clock.now());
    if (!replaced) throw new GttNotFound(id);
    return replaced;
  }

  /** Cancels the account's active GTT of the mode it is in now (both legs of an OCO). */
  async cancel(accountId: string, id: string): Promise<Gtt> {
    const cancelled = await this.options.gtts.cancel(accountId, this.options.modeOf(accountId), id, this.options.clock.now());
    if (!cancelled) throw new GttNotFound(id);
    return cancelled;
  }

  /** The account's active GTTs of the mode it is in now, newest first. */
  book(accountId: string): Promise<Gtt[]> {
    return this.options.gtts.listActive(accountId, this.options.modeOf(accountId));
  }

  /**
   * One pass: child orders of earlier firings still unplaced (their last try GTT_RETRY_AFTER_MS ago) are placed, then
   * every active GTT expires (its expiry passed) or fires (the last price reached a leg's trigger). Passes run one at a
   * time; a call during a pass runs after it, so a caller that awaits it has seen every GTT against the prices of now.
   */
  evaluate(): Promise<void> {
    const pass = this.running.then(() => this.pass());
    this.running = pass.catch(() => undefined);
    return pass;
  }

  /** Settles once the pass running now (if any) is over. */
  idle(): Promise<void> {
    return this.running;
  }

  private async pass(): Promise<void> {
    const { gtts, clock } = this.options;
    const start = clock.now();
    for (const gtt of await gtts.listUnplaced(start - GTT_RETRY_AFTER_MS)) {
      if (await gtts.claimRetry(gtt.id, start, start - GTT_RETRY_AFTER_MS)) await this.placeChild(gtt);
    }
    const lastPrices = new Map<string, Promise<Decimal>>();
    for (const gtt of await gtts.listAllActive()) {
      const now = clock.now();
      if (isExpired(gtt, now)) {
        await gtts.expire(gtt.id, now);
        continue;
      }
      let lastPrice: Decimal;
      try {
        lastPrice = await this.lastPriceOf(lastPrices, gtt);
      } catch (error) {
        this.options.onError(error, gtt);
        continue;
      }
      const leg = firingLeg(gtt, lastPrice);
      if (leg === undefined || !(await gtts.claim(gtt.id, leg, now))) continue;
      await this.placeChild({ ...gtt, status: 'triggered', firedLeg: leg, firedAt: now });
    }
  }

  /**
   * Places a triggered GTT's child order and records the outcome. A refusal (instrument rules, funds, a clash of
   * client order ids) is final and recorded; a broker or database out of reach leaves it unplaced for a later pass,
   * until the client order id's window would no longer recognise an order placed meanwhile.
   */
  private async placeChild(gtt: Gtt): Promise<void> {
    const { gtts, trading, clock } = this.options;
    try {
      const order = await trading[gtt.mode].placeOrder(childOrder(gtt, gtt.firedLeg ?? 0));
      await gtts.recordOutcome(gtt.id, { orderId: order.id });
    } catch (error) {
      if (error instanceof DomainError && !RETRIED.has(error.code)) {
        await gtts.recordOutcome(gtt.id, { rejectReason: error.message });
        return;
      }
      this.options.onError(error, gtt);
      if (clock.now() - (gtt.firedAt ?? 0) >= CLIENT_ORDER_ID_WINDOW_MS) {
        const reason = error instanceof Error ? error.message : String(error);
        await gtts.recordOutcome(gtt.id, { rejectReason: `Not placed within a day of triggering: ${reason}` });
      }
    }
  }

  /** The GTT's last price where its mode quotes, after the checks that it can rest on the instrument there. */
  private async checked(spec: GttSpec, mode: GttMode): Promise<Decimal> {
    const trading = this.options.trading[mode];
    const instrument = await trading.instrument(spec.accountId, spec.symbol, spec.exchange);
    const { lastPrice } = await trading.getQuote(spec.accountId, spec.symbol, spec.exchange);
    checkGtt(spec, instrument, lastPrice);
    return lastPrice;
  }

  /** One quote per (mode, account, instrument) and pass. */
  private lastPriceOf(cache: Map<string, Promise<Decimal>>, gtt: Gtt): Promise<Decimal> {
    const { mode, accountId, symbol, exchange } = gtt;
    const key = `${mode}\u0000${accountId}\u0000${exchange}\u0000${symbol}`;
    let lastPrice = cache.get(key);
    if (!lastPrice) {
      lastPrice = this.options.trading[mode].getQuote(accountId, symbol, exchange).then((quote) => quote.lastPrice);
      cache.set(key, lastPrice);
    }
    return lastPrice;
  }
}

/**
 * How long after a placement began another pass may try it again: longer than a placement takes with its retries and
 * timeouts, so that of gateways sharing a database none places a child order while another is still placing it.
 */
export const GTT_RETRY_AFTER_MS = 30_000;

/** Failures worth another try: the order may go through once the broker or the database answers again. */
const RETRIED = new Set<DomainError['code']>(['BROKER_UNAVAILABLE', 'STORE_UNAVAILABLE', 'RATE_LIMITED', 'AUTH_EXPIRED']);

/** What a modification may not change, named, or undefined. */
function unchangeable(current: Gtt, spec: GttSpec): string | undefined {
  if (spec.symbol !== current.symbol || spec.exchange !== current.exchange) return 'instrument';
  if (spec.side !== current.side) return 'side';
  if (spec.triggerType !== current.triggerType) return 'trigger type';
  return undefined;
}
