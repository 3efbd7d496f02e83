// The paper exchange without HTTP: MARKET BUY/SELL 1 SBIN MIS placed straight on a PaperExchange over the SQLite
// journal (group commits of 50 orders, synchronous=FULL, a temporary file), to see what the exchange and its journal
// cost per order apart from the gateway. `BENCH_ORDERS` (default 100,000); `--cpu-prof` works as usual.
//   node --import ./bin/typescript.mjs bench/exchange-core.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/domain/clock.js';
import { dec } from '../src/domain/decimal.js';
import type { OrderRequest } from '../src/domain/order.js';
import { InstrumentMaster, buildInstruments } from '../src/exchange/instruments/master.js';
import { MarketSimulator } from '../src/exchange/market/market-simulator.js';
import { PaperExchange } from '../src/exchange/paper-exchange.js';
import { sessionDay } from '../src/domain/session-day.js';
import { createSqliteStore } from '../src/store/sqlite-store.js';

const orders = Number(process.env.BENCH_ORDERS ?? 100_000);
const batch = 50;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-core-'));
const store = createSqliteStore(path.join(dir, 'ordergate.db'), { journal: { commit: 'group' } });
const master = new InstrumentMaster(buildInstruments(sessionDay(systemClock.now())));
const market = new MarketSimulator({ seed: 1, clock: systemClock, underlyingOf: (i) => master.underlyingOf(i), frozen: true });
const exchange = new PaperExchange({ instruments: master, market, clock: systemClock, journal: store.journal });
exchange.fundAccount('bench', dec('1000000000000'));
await store.journal.settle();

const request = (side: 'BUY' | 'SELL'): OrderRequest => ({
  accountId: 'bench',
  symbol: 'SBIN',
  exchange: 'NSE',
  side,
  quantity: dec(1),
  type: 'MARKET',
  product: 'MIS',
  timeInForce: 'DAY',
  strategyTag: 'bench',
});

async function run(count: number): Promise<{ placeNs: bigint; commitNs: bigint }> {
  let placeNs = 0n;
  let commitNs = 0n;
  for (let i = 0; i < count; i += batch) {
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < batch; j++) exchange.place(request(j % 2 === 0 ? 'BUY' : 'SELL'));
    const t1 = process.hrtime.bigint();
    await store.journal.settle();
    commitNs += process.hrtime.bigint() - t1;
    placeNs += t1 - t0;
  }
  return { placeNs, commitNs };
}

await run(Math.min(20_000, orders)); // warm-up
const { placeNs, commitNs } = await run(orders);
const us = (ns: bigint) => (Number(ns) / 1000 / orders).toFixed(2);
process.stdout.write(
  `${orders} MARKET orders, commits of ${batch}: place ${us(placeNs)} µs/order, commit ${us(commitNs)} µs/order, ` +
    `total ${us(placeNs + commitNs)} µs/order\n`,
);
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
