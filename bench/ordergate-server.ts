// Ordergate as `npm run bench` loads it: the real gateway from src/app.ts, configured from the environment the runner
// sets (temporary ORDERGATE_DATA_DIR, bootstrap key, frozen market, large starting cash, rate limits out of the way,
// durable group commits, admin password, LOG_LEVEL=warn, PORT=0).
// Prints its URL on stdout, then serves until SIGTERM/SIGINT or, under the runner, until its stdin closes. It closes the gateway and
// exits normally, so `node --cpu-prof` can write its profile.
//   node --import ./bin/typescript.mjs bench/ordergate-server.ts
import { createGateway } from '../src/app.js';
import { benchServerConfig } from './ordergate-config.js';

// Defaults in bench/ordergate-config.ts: everything on (auth, rate limiter with raised limits, validation, risk,
// matching, durable commit with ORDERGATE_DURABILITY=group by default, event publish, traffic log, latency monitor),
// an admin password so the runner can read GET /api/admin/latency.
const config = benchServerConfig(process.env);

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
