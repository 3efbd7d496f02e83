// Ordergate with the OpenAlgo WebSocket stream, as `bench/ws-run.ts` loads it: the real gateway from src/app.ts with the
// stream registered at /ws (ticking every ORDERGATE_TICK_MS), configured from the environment the runner sets. Prints
// its URL on stdout, then serves until SIGTERM/SIGINT or, under the runner, until its stdin closes. With
// BENCH_WS_NUDGE it also moves prices on every tick (see below).
//   node --import ./bin/typescript.mjs bench/ws-server.ts
import { createGateway } from '../src/app.js';
import { registerMarketStream } from '../src/api/ws/plugin.js';
import { loadConfig } from '../src/config.js';
import { add, sub } from '../src/domain/decimal.js';
import { ApiKeyVerifier } from '../src/gateway/api-keys.js';
import { loadOrCreatePepper } from '../src/gateway/pepper.js';

const env = process.env;
const config = loadConfig({
  ...env,
  PORT: env.PORT ?? '0',
  LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  ORDERGATE_MARKET: env.ORDERGATE_MARKET ?? 'walk',
});

const gateway = await createGateway({ config });
// Once app.ts wires the stream itself, /ws is taken and the one wired there is what the clients reach.
if (!gateway.app.hasRoute({ method: 'GET', url: '/ws' })) {
  await registerMarketStream(gateway.app, {
    verifier: new ApiKeyVerifier(loadOrCreatePepper(config.dataDir), gateway.store.apiKeys, gateway.store.changes),
    instruments: gateway.master,
    market: gateway.market,
    bus: gateway.bus,
    getOrder: (accountId, orderId) => gateway.exchange.getOrder(accountId, orderId),
    tickMs: config.tickMs,
  });
}
const url = await gateway.listen();
process.stdout.write(`${url}\n`);

// BENCH_WS_NUDGE=N: every tick, move the first N NSE equities by one price tick (up, then down), so every subscribed
// symbol changes on every tick instead of once per market step.
const nudged = Number(env.BENCH_WS_NUDGE ?? 0);
if (nudged > 0) {
  const instruments = gateway.master
    .all()
    .filter((i) => i.exchange === 'NSE' && i.instrumentType === 'EQ')
    .slice(0, nudged);
  let up = true;
  setInterval(() => {
    for (const instrument of instruments) {
      const last = gateway.market.quote(instrument).lastPrice;
      gateway.market.setPrice(instrument, up ? add(last, instrument.tickSize) : sub(last, instrument.tickSize));
    }
    up = !up;
  }, config.tickMs).unref();
}

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  setTimeout(() => process.exit(1), 5000).unref();
  try {
    await gateway.close();
  } catch (error) {
    process.stderr.write(`closing the gateway failed: ${String(error)}\n`);
  }
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
if (process.env.BENCH_STDIN_GUARD === '1') {
  process.stdin.on('end', () => void shutdown());
  process.stdin.on('close', () => void shutdown());
  process.stdin.resume();
}
