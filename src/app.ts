// Wiring: store, exchange, brokers, core and HTTP assembled from the configuration. Nothing else constructs them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { buildHttpServer } from './api/server.js';
import { type MarketStreamHandle, registerMarketStream } from './api/ws/plugin.js';
import { PaperBroker } from './brokers/paper/paper-broker.js';
import type { Broker } from './brokers/broker.js';
import { QuoteCachingBroker } from './brokers/quote-cache.js';
import { FaultInjectingBroker } from './brokers/fault-injecting-broker.js';
import { describeFaultSpec } from './brokers/fault-spec.js';
import { ResilientBroker } from './brokers/resilient-broker.js';
import { type CircuitGaugeSource, observeBrokerCircuits, observePaperFaults } from './api/observability/metrics.js';
import type { Config } from './config.js';
import { type EventBus, InProcessEventBus } from './core/event-bus.js';
import { KeyedLock } from './core/keyed-lock.js';
import { TradingService } from './core/trading.js';
import { GttDesk } from './core/gtt-desk.js';
import { gttId } from './domain/gtt.js';
import { AccountRouting } from './core/account-routing.js';
import { OrderDesk } from './core/order-desk.js';
import { NO_RISK_RULES } from './core/pre-trade.js';
import { type OpenedUpstream, openUpstream } from './upstream-brokers.js';
import { type Clock, systemClock } from './domain/clock.js';
import { type Decimal, dec } from './domain/decimal.js';
import type { Currency } from './domain/currency.js';
import type { JournaledEvent } from './domain/events.js';
import { MasterCatalog } from './exchange/instruments/catalog.js';
import { DailyListing } from './exchange/instruments/daily-listing.js';
import { retiredFromJournal } from './exchange/instruments/journal-instruments.js';
import { InstrumentMaster, underlyingInstruments } from './exchange/instruments/master.js';
import { marketListing } from './exchange/instruments/market-listing.js';
import { type MarketOptions, MarketSimulator } from './exchange/market/market-simulator.js';
import { MarketHistory } from './exchange/history/market-history.js';
import { BUNDLED_REPLAYS } from './exchange/history/replay-series.js';
import { isTradingDay } from './domain/market-calendar.js';
import { PaperExchange } from './exchange/paper-exchange.js';
import { sessionDay } from './domain/session-day.js';
import { ExchangeSessions } from './exchange/session-hours.js';
import { ApiKeyIssuer, ApiKeyVerifier } from './gateway/api-keys.js';
import { AuthTokens } from './gateway/auth-tokens.js';
import { bootstrapIdentity, ensureAdminPassword } from './gateway/bootstrap.js';
import { IdempotencyGuard } from './gateway/idempotency.js';
import { LatencyMonitor } from './gateway/latency-monitor.js';
import { LatencyRecorder } from './gateway/latency-recorder.js';
import { loadOrCreatePepper } from './gateway/pepper.js';
import { CredentialBox } from './gateway/credential-box.js';
import { createRateLimits } from './gateway/rate-limits.js';
import { TrafficLog } from './gateway/traffic-log.js';
import { TrafficWriter } from './store/traffic-writer.js';
import { type Account, PAPER_BROKER, type StoreJournal } from './store/store.js';
import { DataDirLock } from './store/data-dir-lock.js';
import { type EngineStore, openStore } from './store/open-store.js';
import { AnalyzerMode } from './gateway/analyzer-mode.js';
import { PaperFaults } from './gateway/paper-faults.js';
import { JournalRecovery } from './core/journal-recovery.js';
import { type Backtests, createBacktests } from './backtests.js';

export const VERSION = '0.1.0';
export { ANALYZER_DATABASE_FILE, DATABASE_FILE } from './store/open-store.js';
/** Begins the sandbox exchange's order and trade ids, so that logs and clients never take one for a live id. */
export const SANDBOX_ID_PREFIX = 'SB-';
/** The analyzer's broker connection: the sandbox paper exchange. */
const SANDBOX_CONNECTION = 'analyzer';
/** A backtest that finishes within this is answered at once; a longer one answers 202 with its job. */
const BACKTEST_SYNC_WAIT_MS = 1000;

export interface GatewayOptions {
  config: Config;
  /** Defaults to the system clock; tests pass a manual one. */
  clock?: Clock;
  /** Where log lines go; standard output when absent. */
  logStream?: DestinationStream;
  /**
   * Wraps each paper broker inside the resilience layer, outside the operator's faults (tests insert a
   * FaultInjectingBroker of their own here, so timeouts, retries and the circuit breaker meet its faults).
   */
  wrapBroker?: (broker: Broker, connection: BrokerConnection) => Broker;
}

/** The broker connections of a gateway: the live one and the analyzer's sandbox, each with its own circuit. */
export type BrokerConnection = 'live' | 'analyzer';

export interface Gateway {
  app: FastifyInstance;
  /** Every committed order and account event, with its per-account sequence number. */
  bus: EventBus;
  /** The same for the analyzer (sandbox) exchange, kept off `bus` so nothing acting on live events sees them. */
  analyzerBus: EventBus;
  /** The OpenAlgo WebSocket stream on /ws (and WEBSOCKET_PORT when set). */
  stream: MarketStreamHandle;
  store: EngineStore;
  master: InstrumentMaster;
  market: MarketSimulator;
  /** The paper exchange behind the `paper` connection (its ledger is its private state; its ids are its own). */
  exchange: PaperExchange;
  /** The sandbox exchange serving accounts in analyzer mode: same market and instruments, its own ledger. */
  analyzerExchange: PaperExchange;
  /** The core's record of every live order, on whichever broker, under Ordergate's ids. */
  orders: OrderDesk;
  /** The same for the analyzer's sandbox orders. */
  sandboxOrders: OrderDesk;
  /** Latency of the v1 order calls: total, validation, broker round-trip and gateway overhead per endpoint and broker. */
  latency: LatencyMonitor;
  /** Backtests: their worker pool and the service behind /api/backtest. */
  backtests: Backtests;
  /** The traffic log's writer (buffered; `settle()` resolves once everything recorded so far is written). */
  traffic: TrafficLog;
  /** The default account made at first start. */
  account: Account;
  /** The API key this start created (first start only); shown once. */
  createdKey?: string;
  /** The `admin` user's password when this start generated it (first start only); shown once. */
  createdPassword?: string;
  /** Starts listening and the market's matching loop; returns the base URL. */
  listen(): Promise<string>;
  /** One pass of the matching loop now (the loop runs it every ORDERGATE_TICK_MS; tests with a manual clock call it). */
  tick(): void;
  /**
   * One pass over the GTTs now, against the last prices of now: due ones fire, expired ones expire (a timer runs it
   * every ORDERGATE_TICK_MS once listening; tests with a manual clock await it).
   */
  checkGtts(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the gateway on its data folder, which it holds alone until `close` (DataDirLock: a second gateway on the same
 * folder, in this process or another, is refused with DataDirInUse).
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  fs.mkdirSync(options.config.dataDir, { recursive: true });
  const lock = DataDirLock.acquire(options.config.dataDir);
  try {
    const gateway = await assembleGateway(options);
    const close = gateway.close;
    gateway.close = async () => {
      try {
        await close();
      } finally {
        lock.release();
      }
    };
    return gateway;
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function assembleGateway({ config, clock = systemClock, logStream, wrapBroker }: GatewayOptions): Promise<Gateway> {
  // Journals commit as ORDERGATE_DURABILITY says. A failed commit stops its journal (503s, /ready fails) until the
  // database answers again and the exchange is rebuilt from what the journal holds (recoverJournals below).
  // Both are told to the log once the server (and its logger) exists.
  let journalFailed: (error: unknown) => void = () => undefined;
  let connectionLost: (error: Error) => void = () => undefined;
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    clock,
    durability: config.durability,
    onCommitError: (error) => journalFailed(error),
    onConnectionError: (error) => connectionLost(error),
  });
  const analyzerJournal = store.sandboxJournal;
  const pepper = loadOrCreatePepper(config.dataDir);
  const credentials = CredentialBox.of(pepper, config.credentialsKey);

  // The market prices derivatives from their underlyings in the master, and the master lists option strikes around
  // the market's prices: first the underlyings alone, then at once, before anything reads it, the day's listing from
  // the market (the same builder serves the daily listing and the contracts rebuilt from the journal).
  const today = sessionDay(clock.now());
  const master = new InstrumentMaster(underlyingInstruments());
  const marketOptions: MarketOptions = {
    seed: config.seed,
    clock,
    underlyingOf: (instrument) => master.underlyingOf(instrument),
    frozen: config.market === 'frozen',
  };
  const market = new MarketSimulator(marketOptions);
  const buildListing = marketListing(master, market);
  const listed = buildListing(today);
  master.reload(listed, await retiredFromJournal(listed, eventsOf([store.journal, analyzerJournal]), buildListing));
  const history = new MarketHistory({ market, marketOptions, instruments: master, replays: BUNDLED_REPLAYS });
  const paperExchange = async (journal: StoreJournal, idPrefix: string) => {
    const built = new PaperExchange({
      instruments: master,
      market,
      underlyingOf: (instrument) => master.underlyingOf(instrument),
      clock,
      journal,
      sessions: config.sessions === 'exchange-hours' ? new ExchangeSessions((day) => isTradingDay(day)) : undefined,
      idPrefix,
    });
    await built.restore();
    return built;
  };
  const listing = new DailyListing(master, clock, buildListing);
  const startingCash = new Map<Currency, Decimal>([
    ['INR', dec(config.startingCash)],
    ['USD', dec(config.startingCashUsd)],
  ]);
  const exchange = await paperExchange(store.journal, '');
  const paper = new PaperBroker({ exchange, history, instruments: master, startingCash, listing, ticks: market });
  const analyzerExchange = await paperExchange(analyzerJournal, SANDBOX_ID_PREFIX);
  const analyzerPaper = new PaperBroker({ exchange: analyzerExchange, history, instruments: master, startingCash, listing, ticks: market });
  const analyzer = new AnalyzerMode(store.settings, store.analyzerLogs, clock, store.changes);
  await analyzer.load();
  // On SQLite, traffic rows are committed by a thread of their own into traffic.db, off the thread that serves HTTP
  // (PostgreSQL commits on its own server).
  const trafficWriter = store.engine === 'sqlite' ? await TrafficWriter.start(store.trafficFile, store.traffic) : undefined;
  const traffic = new TrafficLog({
    repository: store.traffic,
    sink: trafficWriter,
    clock,
    retentionDays: config.trafficRetentionDays,
  });
  // The v1 order calls' handlers time the brokers `trading` resolves for them (LatencyRecorder.brokerTimer), so their
  // broker round-trips are told apart from the gateway's own time.
  const latency = new LatencyRecorder(new LatencyMonitor());
  // Each connection gets its own timeouts, retries and circuit, so a failing live broker leaves the sandbox serving.
  // Timed outside them: the latency monitor's broker time is what a request waited on the broker layer, retries,
  // backoff and timed-out attempts included; a call inside a timeout that never settles would never be reported.
  // Innermost, the operator's faults (ORDERGATE_PAPER_FAULTS, `ordergate faults`): a count per call while none is set.
  const faultyPaper = new FaultInjectingBroker(paper);
  const faultyAnalyzerPaper = new FaultInjectingBroker(analyzerPaper);
  const paperFaults = new PaperFaults(store.settings, [faultyPaper, faultyAnalyzerPaper]);
  const guard = (broker: Broker, connection: BrokerConnection) =>
    new ResilientBroker(wrapBroker ? wrapBroker(broker, connection) : broker, { connection, ...config.brokerResilience });
  const resilientPaper = guard(faultyPaper, 'live');
  const resilientAnalyzerPaper = guard(faultyAnalyzerPaper, 'analyzer');
  // Quotes and depth outside the resilience layer: a kept answer costs no broker call and passes no breaker.
  const cached = (broker: Broker): Broker =>
    config.quoteCacheMs > 0 ? new QuoteCachingBroker(broker, config.quoteCacheMs, clock) : broker;
  const livePaper = cached(resilientPaper);
  const sandboxPaper = cached(resilientAnalyzerPaper);

  // The core's order desks: the live one records the orders of every account on its broker connection; the sandbox
  // one those of accounts in analyzer mode. Reports they could not apply are told once the server's log exists.
  let deskError: (error: unknown) => void = () => undefined;
  const liveDesk = new OrderDesk({ journal: store.orderJournal, clock, preTrade: NO_RISK_RULES, onError: (error) => deskError(error) });
  const sandboxDesk = new OrderDesk({
    journal: store.sandboxOrderJournal,
    clock,
    idPrefix: SANDBOX_ID_PREFIX,
    preTrade: NO_RISK_RULES,
    onError: (error) => deskError(error),
  });
  await Promise.all([liveDesk.restore(), sandboxDesk.restore()]);
  const routing = new AccountRouting({
    accounts: store.accounts,
    changes: store.changes,
    live: liveDesk,
    sandbox: sandboxDesk,
    sandboxConnection: SANDBOX_CONNECTION,
    analyzerOn: (accountId) => analyzer.isOn(accountId),
    builtIn: new Map([
      [PAPER_BROKER, livePaper],
      [SANDBOX_CONNECTION, sandboxPaper],
    ]),
    open: async (connection) => {
      const opened = await openUpstream(connection, {
        store,
        credentials,
        instruments: master,
        clock,
        resilience: config.brokerResilience,
        quoteCacheMs: config.quoteCacheMs,
        log: () => log,
      });
      upstreams.push(opened);
      observeUpstream(opened);
      // Back after a drop: what happened upstream meanwhile is taken in.
      opened.adapter.onReconnect(() => void reconcileConnection(connection, opened.broker));
      return opened.broker;
    },
    onOpened: (connection, broker) => {
      liveDesk.follow(connection, broker);
      reconciling.push(reconcileConnection(connection, broker));
    },
  });
  /** Reconciliations of connections opened so far; those of the start are awaited before serving. */
  const reconciling: Promise<void>[] = [];
  /** The upstream connections opened so far (closed with the gateway). */
  const upstreams: OpenedUpstream[] = [];
  let log: { warn(object: object, message: string): void; error(object: object, message: string): void } = {
    warn: () => undefined,
    error: () => undefined,
  };
  let observeUpstream: (opened: OpenedUpstream) => void = () => undefined;
  /** Every broker connection's circuit, for `/metrics`. */
  const circuits: CircuitGaugeSource[] = [];
  /** Every account with orders or a binding on `connection`, compared with what the broker reports. */
  const reconcileConnection = async (connection: string, broker: Broker): Promise<void> => {
    const accounts = liveDesk.accountsWorkingOn(connection);
    for (const account of await store.accounts.list()) if (account.broker === connection) accounts.add(account.id);
    for (const accountId of accounts) {
      try {
        await liveDesk.reconcile(accountId, connection, broker);
      } catch (error) {
        log.warn({ err: error, connection, accountId }, 'reconciliation with the broker failed; it runs again when the connection comes back');
      }
    }
  };
  liveDesk.follow(PAPER_BROKER, livePaper);
  sandboxDesk.follow(SANDBOX_CONNECTION, sandboxPaper);
  // What a broker did while the gateway was down (or what a crash kept from the core's journal) is taken in before
  // serving, and again after the journals recovered from a failed commit: every account's orders on the paper
  // exchanges are compared with the record.
  const reconcilePaper = async (): Promise<void> => {
    for (const account of await store.accounts.list()) {
      await liveDesk.reconcile(account.id, PAPER_BROKER, livePaper);
      await sandboxDesk.reconcile(account.id, SANDBOX_CONNECTION, sandboxPaper);
    }
  };
  await reconcilePaper();
  const trading = new TradingService(routing);
  // A GTT is of the mode its account was in when it was placed (as OpenAlgo's sandbox keeps its own GTTs): a live one
  // quotes and fires on the account's own broker through the live desk, a sandbox one on the analyzer's paper exchange
  // through the sandbox desk, whatever the switch says when it fires (the sandbox's resting orders match all the same).
  const gtts = new GttDesk({
    gtts: store.gtts,
    trading: {
      live: new TradingService({ route: (accountId) => routing.liveRoute(accountId), broker: (connection) => routing.broker(connection) }),
      sandbox: new TradingService({ route: () => routing.sandboxRoute(), broker: (connection) => routing.broker(connection) }),
    },
    modeOf: (accountId) => (analyzer.isOn(accountId) ? 'sandbox' : 'live'),
    clock,
    newId: () => gttId(clock.now(), crypto.randomBytes(4).toString('hex')),
    onError: (error, gtt) => log.warn({ err: error, gtt: gtt.id, accountId: gtt.accountId, mode: gtt.mode }, 'a GTT could not be evaluated or fired; the next pass tries again'),
  });
  let gttTimer: NodeJS.Timeout | undefined;
  // Connections serving accounts are opened now, so what their brokers did while the gateway was down is taken in
  // before serving; one that does not answer is opened at its first use instead.
  const startupWarnings: Array<{ connection: string; error: unknown }> = [];
  const upstreamAtStart = new Set((await store.accounts.list()).map((account) => account.broker).filter((broker) => broker !== PAPER_BROKER));
  await Promise.all(
    [...upstreamAtStart].map(async (connection) => {
      try {
        await routing.broker(connection);
      } catch (error) {
        startupWarnings.push({ connection, error });
      }
    }),
  );
  await Promise.all(reconciling);

  // Once per database, however many gateways start on it together.
  const { account, createdKey, createdPassword } = await store.exclusively(async () => ({
    ...(await bootstrapIdentity(store, pepper, config.bootstrapApiKey)),
    createdPassword: await ensureAdminPassword(store, config.adminPassword),
  }));
  const verifier = new ApiKeyVerifier(pepper, store.apiKeys, store.changes);
  const idempotency = new IdempotencyGuard(store.idempotency, clock);
  await idempotency.purgeExpired();
  const rateLimits = await createRateLimits({
    limits: config.rateLimits,
    store: config.rateLimitStore,
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
  });
  const backtests = createBacktests({ config, store, paper, clock });
  const app = await buildHttpServer({
    trading,
    verifier,
    instruments: new MasterCatalog(master),
    smartOrderLock: new KeyedLock(),
    idempotency,
    rateLimits,
    analyzer,
    latency,
    gtt: gtts,
    clock,
    chartPreferences: store.chartPreferences,
    traffic,
    admin: {
      auth: new AuthTokens({
        users: store.users,
        sessions: store.authSessions,
        loginAddresses: store.loginAddresses,
        clock,
        pepper,
        accessTtlSeconds: config.accessTokenTtlSeconds,
        refreshTtlSeconds: config.refreshTokenTtlSeconds,
      }),
      verifier,
      keys: new ApiKeyIssuer(pepper, store.apiKeys),
      users: store.users,
      accounts: store.accounts,
      apiKeys: store.apiKeys,
      analyzer,
      rateLimits,
      latency: latency.monitor,
      traffic: store.traffic,
      clock,
      brokerConnections: store.brokerConnections,
      credentials,
    },
    backtests: { backtests: backtests.service, syncWaitMs: BACKTEST_SYNC_WAIT_MS },
    logLevel: config.logLevel,
    logStream,
    version: VERSION,
    cors: config.cors,
    requestTimeoutMs: config.requestTimeoutMs,
    readiness: {
      store: async () => {
        await store.ping();
        const journals = [store.journal, analyzerJournal, store.orderJournal, store.sandboxOrderJournal];
        if (journals.some((journal) => journal.failed)) throw new Error('the order journal failed to commit');
      },
      broker: () => {
        assertRunning(paper);
        assertRunning(analyzerPaper);
        assertCircuitClosed(resilientPaper);
        assertCircuitClosed(resilientAnalyzerPaper);
      },
    },
  });
  rateLimits.onStoreError = (error) => app.log.error({ err: error }, 'rate-limit store failed');
  traffic.onError = (error, lost) => app.log.error({ err: error, lost }, 'traffic log write failed');
  if (trafficWriter) trafficWriter.onError = traffic.onError;
  const recovery = new JournalRecovery(
    [
      { journal: store.journal, rebuild: () => exchange.restore() },
      { journal: analyzerJournal, rebuild: () => analyzerExchange.restore() },
      { journal: store.orderJournal, rebuild: () => liveDesk.restore() },
      { journal: store.sandboxOrderJournal, rebuild: () => sandboxDesk.restore() },
    ],
    app.log,
    // A placement answered 503 may stand at the broker all the same: taken in once every journal is back.
    reconcilePaper,
  );
  deskError = (error) => app.log.error({ err: error }, 'a broker report could not be applied to the order record');
  log = app.log;
  for (const { connection, error } of startupWarnings) {
    app.log.warn({ err: error, connection }, 'broker connection not reachable at start; it is opened at its first use');
  }
  observeUpstream = ({ resilient }) => {
    circuits.push({ broker: resilient.connection, state: () => resilient.circuitState });
    const upstreamLog = app.log.child({ broker: resilient.name, connection: resilient.connection });
    resilient.onFailure = (method, error) => upstreamLog.warn({ err: error, method }, 'broker call failed');
    resilient.onStateChange = (state) => upstreamLog.warn({ state }, `broker circuit ${state}`);
  };
  connectionLost = (error) => app.log.warn({ err: error }, 'database connection lost; reconnecting');
  journalFailed = (error) => {
    app.log.fatal({ err: error }, 'order journal commit failed; orders are refused until the database answers again');
    recovery.start();
  };
  traffic.start();
  // The start's own faults are in the banner (cli.ts); changes while running are logged.
  await paperFaults.begin(config.paperFaults);
  paperFaults.onChange = (text, spec) =>
    app.log.warn({ faults: text }, text === '' ? 'paper broker faults cleared' : `paper broker faults: ${describeFaultSpec(spec)}`);
  paperFaults.onUnreadable = (text, error) =>
    app.log.error({ faults: text }, `paper broker faults not changed: ${error.message}`);
  paperFaults.onError = (error) => app.log.error({ err: error }, 'paper broker faults not read: the store failed');
  paperFaults.watch();
  observePaperFaults(app.metricsRegistry, () => paperFaults.injected);
  for (const resilient of [resilientPaper, resilientAnalyzerPaper]) {
    const log = app.log.child({ broker: resilient.name, connection: resilient.connection });
    resilient.onFailure = (method, error) => log.warn({ err: error, method }, 'broker call failed');
    resilient.onStateChange = (state) => log.warn({ state }, `broker circuit ${state}`);
  }
  // Upstream connections join the gauge as they are opened (observeUpstream), under their connection's name.
  circuits.push(
    { broker: resilientPaper.connection, state: () => resilientPaper.circuitState },
    { broker: resilientAnalyzerPaper.connection, state: () => resilientAnalyzerPaper.circuitState },
  );
  observeBrokerCircuits(app.metricsRegistry, circuits);

  const bus = new InProcessEventBus((error) => app.log.error({ err: error }, 'event subscriber failed'));
  liveDesk.onEvents((events) => {
    for (const event of events) bus.publish(event);
  });
  // Sandbox events get a bus of their own rather than a source field on the live one: whatever subscribes to `bus`
  // (webhooks, strategies, monitors) then acts on live events without having to filter, and no analyzer order ever
  // reaches it. The order stream listens to both, each with its own exchange.
  const analyzerBus = new InProcessEventBus((error) => app.log.error({ err: error }, 'analyzer event subscriber failed'));
  sandboxDesk.onEvents((events) => {
    for (const event of events) analyzerBus.publish(event);
  });
  // The market stream reads the market through the paper broker's port (its feed), as it would a real broker's.
  const ticks = livePaper.ticks;
  if (!ticks) throw new Error('the paper broker keeps no market feed for the WebSocket stream');
  const stream = await registerMarketStream(app, {
    verifier,
    instruments: master,
    market: ticks,
    // The stream's market is the paper exchange's: an account on another broker is told so rather than sent its prices.
    orderBroker: (order) => routing.brokerName(order.broker),
    marketRefusal: async (accountId) => {
      const { connection } = await routing.route(accountId);
      if (connection === PAPER_BROKER || connection === SANDBOX_CONNECTION) return undefined;
      return 'Market data is not streamed for accounts on broker connections other than paper; use /api/v1/quotes, /api/v1/depth or /api/v1/history';
    },
    bus,
    getOrder: (accountId, orderId) => liveDesk.getOrder(accountId, orderId),
    analyzer: { bus: analyzerBus, getOrder: (accountId, orderId) => sandboxDesk.getOrder(accountId, orderId) },
    tickMs: config.tickMs,
    standalonePort: config.websocketPort,
    standaloneHost: config.host,
    requestTimeoutMs: config.requestTimeoutMs,
  });

  return {
    app,
    bus,
    analyzerBus,
    stream,
    store,
    master,
    market,
    exchange,
    analyzerExchange,
    orders: liveDesk,
    sandboxOrders: sandboxDesk,
    latency: latency.monitor,
    backtests,
    traffic,
    account,
    createdKey,
    createdPassword,
    async listen() {
      const address = await app.listen({ host: config.host, port: config.port });
      paper.start(config.tickMs, (error) => app.log.error({ err: error }, 'matching loop failed'));
      analyzerPaper.start(config.tickMs, (error) => app.log.error({ err: error }, 'analyzer matching loop failed'));
      gttTimer = setInterval(() => {
        gtts.evaluate().catch((error: unknown) => app.log.error({ err: error }, 'GTT pass failed'));
      }, config.tickMs);
      gttTimer.unref();
      return address;
    },
    tick() {
      paper.tick();
      analyzerPaper.tick();
    },
    checkGtts: () => gtts.evaluate(),
    async close() {
      clearInterval(gttTimer);
      // A firing in flight places its order before the brokers and the store go.
      await gtts.idle();
      paper.stop();
      analyzerPaper.stop();
      // Calls held by a hang fail now, so the requests waiting on them are answered before the server closes.
      paperFaults.stop();
      // Fastify stops accepting, answers what is in flight (their commits run meanwhile), then resolves.
      await app.close();
      await backtests.close();
      resilientPaper.close();
      resilientAnalyzerPaper.close();
      for (const { adapter, resilient } of upstreams) {
        adapter.close();
        resilient.close();
      }
      recovery.stop();
      // After the server: requests still in flight at close are recorded, then written here.
      await traffic.close();
      await rateLimits.close();
      // What the journals still stage is committed before their connections end.
      await store.close();
    },
  };
}

/** Every journal's events, one journal after the other. */
async function* eventsOf(journals: readonly StoreJournal[]): AsyncGenerator<JournaledEvent> {
  for (const journal of journals) yield* journal.readAll();
}

function assertRunning(broker: PaperBroker): void {
  if (!broker.running) throw new Error('the paper broker is not running');
}

/** Not ready while a connection's circuit is open (half-open is: the next call is the probe that may close it). */
function assertCircuitClosed(broker: ResilientBroker): void {
  if (broker.circuitState === 'open') {
    throw new Error(`the ${broker.connection} broker connection (${broker.name}) has its circuit open; probe in ${broker.retryAfterSeconds} s`);
  }
}
