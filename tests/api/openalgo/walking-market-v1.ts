// A Fastify app set up as the server sets it up (OpenAlgo's Ajv options and validator compiler, the v1 plugin's
// authentication and error handler) over a walking market on the harness's manual clock, with accounts on the paper
// broker and no orders: what the tests of the history-reading routes (history, ticker, portfolio) call.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { openAlgoV1 } from '../../../src/api/openalgo/plugin.js';
import { OPENALGO_AJV_OPTIONS } from '../../../src/api/openalgo/validation-errors.js';
import { openAlgoValidatorCompiler } from '../../../src/api/openalgo/request-validation.js';
import { PaperBroker } from '../../../src/brokers/paper/paper-broker.js';
import { loadConfig } from '../../../src/config.js';
import { KeyedLock } from '../../../src/core/keyed-lock.js';
import type { OrderDesk } from '../../../src/core/order-desk.js';
import { TradingService } from '../../../src/core/trading.js';
import { ManualClock, istDate } from '../../../src/domain/clock.js';
import { MarketHistory } from '../../../src/exchange/history/market-history.js';
import { BUNDLED_REPLAYS } from '../../../src/exchange/history/replay-series.js';
import { MasterCatalog } from '../../../src/exchange/instruments/catalog.js';
import { InstrumentMaster, buildInstruments } from '../../../src/exchange/instruments/master.js';
import { MarketSimulator, type MarketOptions } from '../../../src/exchange/market/market-simulator.js';
import { PaperExchange } from '../../../src/exchange/paper-exchange.js';
import { AnalyzerMode } from '../../../src/gateway/analyzer-mode.js';
import { ApiKeyVerifier } from '../../../src/gateway/api-keys.js';
import { bootstrapIdentity } from '../../../src/gateway/bootstrap.js';
import { IdempotencyGuard } from '../../../src/gateway/idempotency.js';
import { loadOrCreatePepper } from '../../../src/gateway/pepper.js';
import { RateLimits } from '../../../src/gateway/rate-limits.js';
import { openStore } from '../../../src/store/open-store.js';
import { databaseEnvFor } from '../../postgres-database.js';
import { GENEROUS_RATE_LIMITS, T0, TEST_KEY } from '../harness.js';

export interface WalkingMarketV1 {
  readonly app: FastifyInstance;
  readonly market: MarketSimulator;
  readonly master: InstrumentMaster;
  /** A POST of `route` with the test key, and its JSON answer. */
  post(route: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** These routes place no orders: the route's desk is never used. */
const NO_DESK = undefined as unknown as OrderDesk;

export async function walkingMarketV1(): Promise<WalkingMarketV1> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-walking-'));
  const { DATABASE_URL: databaseUrl } = await databaseEnvFor(dataDir);
  const store = await openStore({ dataDir, databaseUrl });
  const pepper = loadOrCreatePepper(dataDir);
  await bootstrapIdentity(store, pepper, TEST_KEY);
  const clock = new ManualClock(T0);
  const master = new InstrumentMaster(buildInstruments(istDate(T0)));
  const marketOptions: MarketOptions = { seed: 20260101, clock, underlyingOf: (i) => master.underlyingOf(i) };
  const market = new MarketSimulator(marketOptions);
  const history = new MarketHistory({ market, marketOptions, instruments: master, replays: BUNDLED_REPLAYS });
  const exchange = new PaperExchange({ instruments: master, market, clock, journal: store.journal });
  const broker = new PaperBroker({ exchange, history, instruments: master, startingCash: new Map() });

  const app = Fastify({ ajv: { customOptions: OPENALGO_AJV_OPTIONS }, routerOptions: { ignoreTrailingSlash: true } });
  await app.register(swagger, { openapi: { openapi: '3.1.0', info: { title: 'test', version: '0' } } });
  await app.register(
    async (v1) => {
      v1.setValidatorCompiler(openAlgoValidatorCompiler());
      await openAlgoV1(v1, {
        // History is read from the broker the account is bound to; these accounts have the paper broker and no orders.
        trading: new TradingService({ route: () => ({ desk: NO_DESK, connection: 'paper' }), broker: () => broker }),
        verifier: new ApiKeyVerifier(pepper, store.apiKeys, store.changes),
        instruments: new MasterCatalog(master),
        smartOrderLock: new KeyedLock(),
        idempotency: new IdempotencyGuard(store.idempotency, clock),
        rateLimits: new RateLimits(loadConfig(GENEROUS_RATE_LIMITS).rateLimits),
        analyzer: new AnalyzerMode(store.settings, store.analyzerLogs, clock, store.changes),
        clock,
        chartPreferences: store.chartPreferences,
      });
    },
    { prefix: '/api/v1' },
  );
  await app.ready();
  return {
    app,
    market,
    master,
    async post(route, body) {
      const response = await app.inject({ method: 'POST', url: `/api/v1/${route}`, payload: { apikey: TEST_KEY, ...body } });
      return { status: response.statusCode, body: response.json() as Record<string, unknown> };
    },
    async close() {
      await app.close();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
