// The broker contract for the paper adapter, over an in-process paper exchange on the bundled master with a frozen
// market the world moves itself; its faults come from a FaultInjectingBroker between the adapter and the suite.
import { FaultInjectingBroker } from '../../../src/brokers/fault-injecting-broker.js';
import { PaperBroker } from '../../../src/brokers/paper/paper-broker.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { dec, mul, roundToStep, sub } from '../../../src/domain/decimal.js';
import type { Exchange, Instrument } from '../../../src/domain/instrument.js';
import { sessionDay } from '../../../src/domain/session-day.js';
import { MarketHistory } from '../../../src/exchange/history/market-history.js';
import { InstrumentMaster, buildInstruments } from '../../../src/exchange/instruments/master.js';
import { type MarketOptions, MarketSimulator } from '../../../src/exchange/market/market-simulator.js';
import { PaperExchange } from '../../../src/exchange/paper-exchange.js';
import { MemoryJournal } from '../../exchange/builders.js';
import { type BrokerWorld, type TradedInstrument, brokerContract } from './broker-contract.js';

/** Wednesday 2026-01-07, 10:00 IST. */
const T0 = Date.UTC(2026, 0, 7, 4, 30);

async function paperWorld(): Promise<BrokerWorld> {
  const clock = new ManualClock(T0);
  const master = new InstrumentMaster(buildInstruments(sessionDay(T0)));
  const marketOptions: MarketOptions = { seed: 7, clock, underlyingOf: (instrument) => master.underlyingOf(instrument), frozen: true };
  const market = new MarketSimulator(marketOptions);
  const history = new MarketHistory({ market, marketOptions, instruments: master });
  const exchange = new PaperExchange({ instruments: master, market, clock, journal: new MemoryJournal() });
  await exchange.restore();
  const paper = new PaperBroker({ exchange, history, instruments: master, startingCash: new Map([['INR', dec(10_000_000)], ['USD', dec(100_000)]]) });
  const faulty = new FaultInjectingBroker(paper);
  faulty.hangCalls(['getDepth']);
  faulty.failFraction(1, () => 0, ['listHoldings']);

  const traded = (instrument: Instrument): TradedInstrument => ({
    symbol: instrument.symbol,
    exchange: instrument.exchange,
    tickSize: instrument.tickSize,
    lotSize: instrument.lotSize,
  });
  const future = master.byExchange('NFO').find((each) => each.instrumentType === 'FUT' && each.underlying === 'NIFTY');
  if (!future) throw new Error('the master lists no NIFTY future');
  const require = ({ symbol, exchange: venue }: { symbol: string; exchange: Exchange }) => master.require(symbol, venue);

  return {
    broker: faulty,
    accountId: 'contract-paper',
    instruments: {
      resting: traded(master.require('SBIN', 'NSE')),
      market: traded(master.require('RELIANCE', 'NSE')),
    },
    lotted: traded(future),
    checksInstrumentRules: true,
    farBelow: async (instrument) => {
      const { tickSize } = require(instrument);
      return roundToStep(mul(market.quote(require(instrument)).lastPrice, dec('0.8')), tickSize, 'down');
    },
    restingThenFilling: async () => {
      const instrument = master.require('INFY', 'NSE');
      // The frozen book's best ask is one tick above the last price: ten ticks below it, the limit rests.
      const price = sub(market.quote(instrument).lastPrice, mul(instrument.tickSize, dec(10)));
      return {
        instrument: traded(instrument),
        price,
        cross: async () => {
          market.setPrice(instrument, sub(price, instrument.tickSize));
          paper.tick();
        },
      };
    },
    fillWithinMs: 1000,
    faults: {
      hanging: (broker) => broker.getDepth('SBIN', 'NSE'),
      failing: (broker) => broker.listHoldings('contract-paper'),
      cut: async () => faulty.failNext(Number.MAX_SAFE_INTEGER),
      restore: async () => faulty.failNext(0),
    },
    close: async () => {
      paper.stop();
      faulty.clear();
    },
  };
}

brokerContract('the paper adapter', paperWorld);
