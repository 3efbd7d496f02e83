// Ordergate as `npm run bench` loads it: the real gateway from src/app.ts, configured from the environment the runner
// sets (temporary ORDERGATE_DATA_DIR, bootstrap key, frozen market, large starting cash, rate limits out of the way,
// LOG_LEVEL=warn, PORT=0).
// Prints its URL on stdout, then serves until SIGTERM/SIGINT or, under the runner, until its stdin closes. It closes the gateway and
// exits normally, so `node --cpu-prof` can write its profile.
//   node --import tsx bench/ordergate-server.ts
import { createGateway } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const env = process.env;
const config = loadConfig({
  ...env,
  PORT: env.PORT ?? '0',
  LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  ORDERGATE_MARKET: env.ORDERGATE_MARKET ?? 'frozen',
  ORDERGATE_STARTING_CASH: env.ORDERGATE_STARTING_CASH ?? '1000000000000',
  // The bench measures the gateway, not its rate limits: out of the way unless the environment sets them.
  ORDER_RATE_LIMIT: env.ORDER_RATE_LIMIT ?? '1000000 per second',
  SMART_ORDER_RATE_LIMIT: env.SMART_ORDER_RATE_LIMIT ?? '1000000 per second',
  API_RATE_LIMIT: env.API_RATE_LIMIT ?? '1000000 per second',
});

const gateway = await createGateway({ config });
const url = await gateway.listen();
process.stdout.write(`${url}\n`);

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
// The runner sets BENCH_STDIN_GUARD=1 and holds our stdin: when it dies, even by SIGKILL, stdin ends and we go.
if (process.env.BENCH_STDIN_GUARD === '1') {
  process.stdin.on('end', () => void shutdown());
  process.stdin.on('close', () => void shutdown());
  process.stdin.resume();
}
