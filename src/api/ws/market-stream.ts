// The market side of the stream: which client wants which instrument in which mode, and the tick that fans the market
// out to them. Each tick reads every subscribed instrument once (its book only when someone wants depth), builds one
// frame per mode and hands that same frame to every subscriber of the mode, whatever the number of clients.
//
// A mode's frame goes out when what it shows changed since it last went out (LTP: the last price; Quote: last, bid or
// ask; Depth: last or any of the five levels on either side), and otherwise every `heartbeatTicks` ticks, so a quiet
// instrument still shows its subscribers that the feed is alive. A new subscriber gets the current frame at once.
import type { Instrument } from '../../domain/instrument.js';
import { type MarketBook, type MarketLevel, type MarketQuote, marketDataFrame } from './frames.js';
import { type Mode, MODES, SUPPORTED_DEPTH } from './protocol.js';

/** Reads the market of an instrument now (the paper exchange's simulator, or a broker feed). */
export interface MarketSource {
  quote(instrument: Instrument): MarketQuote;
  book(instrument: Instrument, levels?: number): MarketBook;
}

/** A client of the stream; `key` names the (instrument, mode) so a slow client can keep only the latest frame. */
export interface TickSink {
  deliver(key: string, frame: Buffer): void;
}

export interface MarketStreamOptions {
  source: MarketSource;
  broker: string;
  /** A mode whose data did not change is still sent every this many ticks. */
  heartbeatTicks: number;
  /** An instrument that fails to quote is skipped for that tick and reported here. */
  onError: (error: unknown, instrument: Instrument) => void;
}

// One mode of one instrument: its subscribers and what they were last sent.
interface ModeFeed {
  readonly key: string;
  readonly sinks: Set<TickSink>;
  sent?: Shown;
  idleTicks: number;
}

// What a frame showed, to tell whether the next one differs.
interface Shown {
  ltp: bigint;
  bid: bigint;
  ask: bigint;
  book?: MarketBook;
}

interface InstrumentFeed {
  readonly instrument: Instrument;
  readonly modes: Map<Mode, ModeFeed>;
}

export class MarketStream {
  private readonly feeds = new Map<string, InstrumentFeed>();
  private subscriptionCount = 0;

  constructor(private readonly options: MarketStreamOptions) {}

  /**
   * Adds the subscription (idempotent) and returns the frame the subscriber should get now. The market is read first,
   * so a source that throws leaves no subscription behind.
   */
  subscribe(sink: TickSink, instrument: Instrument, mode: Mode): Buffer {
    const quote = this.options.source.quote(instrument);
    const book = mode === 3 ? this.options.source.book(instrument, SUPPORTED_DEPTH) : undefined;
    const frame = marketDataFrame(this.options.broker, instrument, mode, quote, book);
    const id = instrumentKey(instrument);
    let feed = this.feeds.get(id);
    if (!feed) {
      feed = { instrument, modes: new Map() };
      this.feeds.set(id, feed);
    }
    let modeFeed = feed.modes.get(mode);
    if (!modeFeed) {
      modeFeed = { key: frameKey(instrument, mode), sinks: new Set(), idleTicks: 0 };
      feed.modes.set(mode, modeFeed);
    }
    if (!modeFeed.sinks.has(sink)) {
      modeFeed.sinks.add(sink);
      this.subscriptionCount += 1;
    }
    // A feed that has sent nothing yet takes this snapshot as sent, so the next tick does not repeat it.
    modeFeed.sent ??= shown(quote, book);
    return frame;
  }

  /** Removes the subscription; true when there was one. */
  unsubscribe(sink: TickSink, instrument: Instrument, mode: Mode): boolean {
    const id = instrumentKey(instrument);
    const feed = this.feeds.get(id);
    const modeFeed = feed?.modes.get(mode);
    if (!feed || !modeFeed || !modeFeed.sinks.delete(sink)) return false;
    this.subscriptionCount -= 1;
    if (modeFeed.sinks.size === 0) feed.modes.delete(mode);
    if (feed.modes.size === 0) this.feeds.delete(id);
    return true;
  }

  /** One tick: every subscribed instrument is read once and each mode's frame goes to its subscribers if due. */
  tick(): void {
    const { source, broker, heartbeatTicks, onError } = this.options;
    for (const feed of this.feeds.values()) {
      try {
        const quote = source.quote(feed.instrument);
        const book = feed.modes.has(3) ? source.book(feed.instrument, SUPPORTED_DEPTH) : undefined;
        for (const mode of MODES) {
          const modeFeed = feed.modes.get(mode);
          if (!modeFeed) continue;
          const now = shown(quote, mode === 3 ? book : undefined);
          modeFeed.idleTicks += 1;
          if (modeFeed.sent && !changed(mode, modeFeed.sent, now) && modeFeed.idleTicks < heartbeatTicks) continue;
          const frame = marketDataFrame(broker, feed.instrument, mode, quote, book);
          for (const sink of modeFeed.sinks) sink.deliver(modeFeed.key, frame);
          modeFeed.sent = now;
          modeFeed.idleTicks = 0;
        }
      } catch (error) {
        onError(error, feed.instrument);
      }
    }
  }

  /** Instruments with at least one subscriber, and (client, instrument, mode) subscriptions. */
  stats(): { instruments: number; subscriptions: number } {
    return { instruments: this.feeds.size, subscriptions: this.subscriptionCount };
  }
}

/** `EXCHANGE:SYMBOL:MODE`, the name of one (instrument, mode) stream. */
export function frameKey(instrument: Instrument, mode: Mode): string {
  return streamKey(instrument.exchange, instrument.symbol, mode);
}

export function streamKey(exchange: string, symbol: string, mode: Mode): string {
  return `${exchange}:${symbol}:${mode}`;
}

function instrumentKey(instrument: Instrument): string {
  return `${instrument.exchange}:${instrument.symbol}`;
}

function shown(quote: MarketQuote, book: MarketBook | undefined): Shown {
  return { ltp: quote.lastPrice, bid: quote.bid, ask: quote.ask, book };
}

function changed(mode: Mode, before: Shown, now: Shown): boolean {
  if (before.ltp !== now.ltp) return true;
  if (mode === 1) return false;
  if (mode === 2) return before.bid !== now.bid || before.ask !== now.ask;
  if (!before.book || !now.book) return true;
  return !sameLevels(before.book.bids, now.book.bids) || !sameLevels(before.book.asks, now.book.asks);
}

function sameLevels(a: readonly MarketLevel[], b: readonly MarketLevel[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((level, i) => {
    const other = b[i] as MarketLevel;
    return level.price === other.price && level.quantity === other.quantity && level.orders === other.orders;
  });
}
