// The upstream Ordergate's walking market, known ahead: its prices depend only on its seed and the instant (rule of
// market-simulator.ts), so a simulator here with the same seed and the same bundled master quotes what the upstream
// will quote at any instant. A test can then place a limit that rests now and that the market is sure to reach.
import { type Decimal, cmp } from '../../../src/domain/decimal.js';
import { sessionDay } from '../../../src/domain/session-day.js';
import type { Exchange, Instrument } from '../../../src/domain/instrument.js';
import { InstrumentMaster, buildInstruments } from '../../../src/exchange/instruments/master.js';
import { MarketSimulator } from '../../../src/exchange/market/market-simulator.js';

const STEP_MS = 1000;

export class MarketOracle {
  readonly master: InstrumentMaster;
  private readonly market: MarketSimulator;

  constructor(seed: number, now: number) {
    this.master = new InstrumentMaster(buildInstruments(sessionDay(now)));
    this.market = new MarketSimulator({ seed, clock: { now: () => now }, underlyingOf: (instrument) => this.master.underlyingOf(instrument) });
  }

  instrument(symbol: string, exchange: Exchange): Instrument {
    return this.master.require(symbol, exchange);
  }

  lastAt(instrument: Instrument, at: number): Decimal {
    return this.market.quoteAt(instrument, at).lastPrice;
  }

  askAt(instrument: Instrument, at: number): Decimal {
    return this.market.quoteAt(instrument, at).ask;
  }

  /**
   * Of `candidates`, the BUY limit that rests if placed before `now + placeWithinMs` (every ask of its instrument until
   * then is above it) and that the market reaches soonest by itself (a later step's ask at or below it), searched up
   * to `searchMs` ahead. A single walk may take minutes to fall below its recent low; one of many does within seconds.
   */
  restingBuyThatFills(candidates: readonly Instrument[], now: number, placeWithinMs: number, searchMs: number): PlannedFill {
    let soonest: PlannedFill | undefined;
    for (const instrument of candidates) {
      let lowestSoon: Decimal | undefined;
      for (let at = now; at <= now + placeWithinMs + STEP_MS; at += STEP_MS) {
        const ask = this.askAt(instrument, at);
        if (lowestSoon === undefined || cmp(ask, lowestSoon) < 0) lowestSoon = ask;
      }
      const until = Math.min(now + searchMs, soonest?.at ?? Infinity);
      for (let at = now + placeWithinMs + 2 * STEP_MS; at < until; at += STEP_MS) {
        const ask = this.askAt(instrument, at);
        if (lowestSoon !== undefined && cmp(ask, lowestSoon) < 0) {
          soonest = { instrument, price: ask, at };
          break;
        }
      }
    }
    if (!soonest) throw new Error(`no market of ${candidates.length} falls within ${searchMs} ms of now; search further`);
    return soonest;
  }
}

export interface PlannedFill {
  instrument: Instrument;
  price: Decimal;
  /** The instant of the step whose ask reaches the price. */
  at: number;
}
