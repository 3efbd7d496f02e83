// The subscription registry and its tick, against a market double that counts how often it is read.
import { describe, expect, it } from 'vitest';
import type { MarketBook, MarketQuote } from '../../../src/api/ws/frames.js';
import { MarketStream, type TickSink } from '../../../src/api/ws/market-stream.js';
import { dec } from '../../../src/domain/decimal.js';
import type { Instrument } from '../../../src/domain/instrument.js';
import { equity } from '../../exchange/builders.js';

const instrument = (symbol: string): Instrument => equity(symbol);

class CountingMarket {
  quotes = 0;
  books = 0;
  readonly last = new Map<string, string>();
  quote(i: Instrument): MarketQuote {
    this.quotes += 1;
    const price = dec(this.last.get(i.symbol) ?? '100');
    return { lastPrice: price, bid: price, ask: price, open: price, high: price, low: price, previousClose: price, volume: dec(0), lastQuantity: dec(0), at: 1 };
  }
  book(i: Instrument): MarketBook {
    this.books += 1;
    const price = dec(this.last.get(i.symbol) ?? '100');
    return { bids: [{ price, quantity: dec(1), orders: 1 }], asks: [] };
  }
}

class Recorder implements TickSink {
  readonly frames: Array<{ key: string; ltp: number }> = [];
  deliver(key: string, frame: Buffer): void {
    this.frames.push({ key, ltp: (JSON.parse(frame.toString()) as { data: { ltp: number } }).data.ltp });
  }
}

function setup(heartbeatTicks = 100) {
  const market = new CountingMarket();
  const errors: unknown[] = [];
  const stream = new MarketStream({ source: market, broker: 'paper', heartbeatTicks, onError: (e) => errors.push(e) });
  return { market, stream, errors };
}

describe('MarketStream', () => {
  it('reads each instrument once per tick whatever the number of subscribers, and its book only for depth', () => {
    const { market, stream } = setup();
    const sbin = instrument('SBIN');
    const sinks = Array.from({ length: 50 }, () => new Recorder());
    for (const sink of sinks) stream.subscribe(sink, sbin, 1);
    stream.subscribe(sinks[0] as Recorder, instrument('INFY'), 2);
    market.quotes = 0;
    market.books = 0;

    market.last.set('SBIN', '101');
    stream.tick();
    expect(market.quotes).toBe(2);
    expect(market.books).toBe(0);
    expect(sinks.every((sink) => sink.frames.at(-1)?.ltp === 101)).toBe(true);

    stream.subscribe(new Recorder(), sbin, 3);
    market.books = 0;
    stream.tick();
    expect(market.books).toBe(1);
  });

  it('serializes a depth frame once per tick and hands the same buffer to every subscriber, slow or not', () => {
    const { market, stream } = setup();
    const sbin = instrument('SBIN');
    const received: Buffer[][] = [[], [], []];
    const sinks = received.map((frames) => ({ deliver: (_key: string, frame: Buffer) => frames.push(frame) }));
    for (const sink of sinks) stream.subscribe(sink, sbin, 3);
    market.last.set('SBIN', '102');
    stream.tick();
    const [first, second, third] = received.map((frames) => frames.at(-1));
    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('sends only changes, and a heartbeat every N quiet ticks', () => {
    const { market, stream } = setup(3);
    const sink = new Recorder();
    stream.subscribe(sink, instrument('SBIN'), 1);
    sink.frames.length = 0;
    stream.tick();
    stream.tick();
    expect(sink.frames).toEqual([]);
    stream.tick();
    expect(sink.frames).toEqual([{ key: 'NSE:SBIN:1', ltp: 100 }]);
    market.last.set('SBIN', '100.05');
    stream.tick();
    expect(sink.frames.at(-1)).toEqual({ key: 'NSE:SBIN:1', ltp: 100.05 });
  });

  it('subscribing twice is one subscription; the last unsubscribe empties the registry', () => {
    const { stream } = setup();
    const sink = new Recorder();
    const sbin = instrument('SBIN');
    stream.subscribe(sink, sbin, 1);
    stream.subscribe(sink, sbin, 1);
    stream.subscribe(sink, sbin, 2);
    expect(stream.stats()).toEqual({ instruments: 1, subscriptions: 2 });
    expect(stream.unsubscribe(sink, sbin, 1)).toBe(true);
    expect(stream.unsubscribe(sink, sbin, 1)).toBe(false);
    expect(stream.unsubscribe(sink, sbin, 2)).toBe(true);
    expect(stream.stats()).toEqual({ instruments: 0, subscriptions: 0 });
  });

  it('an instrument that fails to quote is reported and does not stop the others', () => {
    const { market, stream, errors } = setup();
    const sink = new Recorder();
    stream.subscribe(sink, instrument('BAD'), 1);
    stream.subscribe(sink, instrument('SBIN'), 1);
    const quote = market.quote.bind(market);
    market.quote = (i) => {
      if (i.symbol === 'BAD') throw new Error('no quote');
      return quote(i);
    };
    market.last.set('SBIN', '102');
    stream.tick();
    expect(errors).toHaveLength(1);
    expect(sink.frames.at(-1)).toEqual({ key: 'NSE:SBIN:1', ltp: 102 });
  });
});
