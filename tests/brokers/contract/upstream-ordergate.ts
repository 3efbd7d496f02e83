// A second Ordergate as a child process (`node bin/ordergate.js start`), to be the OpenAlgo upstream of the adapter
// under test: its own temporary data folder, a free port, a known API key, a seeded walking market (so a test can know
// its prices ahead, market-oracle.ts) and, when asked, its paper faults from the start.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENEROUS_RATE_LIMITS } from '../../api/harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'bin', 'ordergate.js');
const RUNNING = /at (http:\/\/127\.0\.0\.1:\d+)/;

/** The upstream's API key (ORDERGATE_BOOTSTRAP_API_KEY): its default account's. */
export const UPSTREAM_KEY = 'cd'.repeat(32);
/** Seed of the upstream's market. */
export const UPSTREAM_SEED = 424_242;

export interface UpstreamOrdergate {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  apiKey: string;
  seed: number;
  dataDir: string;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s; removes the data folder. */
  stop(): Promise<void>;
  /**
   * Stops it (SIGTERM) and starts it again on the same port and data folder, the upstream's own restart; `whileDown`
   * runs in between.
   */
  restart(whileDown?: () => Promise<void>): Promise<UpstreamOrdergate>;
}

export interface UpstreamOptions {
  /** ORDERGATE_PAPER_FAULTS at start (brokers/fault-spec.ts). */
  paperFaults?: string;
  /** How long its own broker calls may take before it answers 503, in ms. */
  brokerTimeoutMs?: number;
  /** An existing data folder (a restart); a new temporary one when absent. */
  dataDir?: string;
  /** The port to serve on; any free one when absent. */
  port?: number;
}

/** Starts the upstream and resolves once its banner says it serves. */
export async function startUpstream(options: UpstreamOptions = {}): Promise<UpstreamOrdergate> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-upstream-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...GENEROUS_RATE_LIMITS,
    ORDERGATE_DATA_DIR: dataDir,
    PORT: String(options.port ?? 0),
    ORDERGATE_BOOTSTRAP_API_KEY: UPSTREAM_KEY,
    ORDERGATE_ADMIN_PASSWORD: 'upstream test password',
    ORDERGATE_SEED: String(UPSTREAM_SEED),
    ORDERGATE_MARKET: 'walk',
    // Working orders are matched 20 times per market step, so a crossing fills within 50 ms of the step.
    ORDERGATE_TICK_MS: '50',
    ORDERGATE_PAPER_FAULTS: options.paperFaults ?? '',
    // Its own circuit stays closed and its calls are not retried: every injected failure reaches the adapter as one 503.
    ORDERGATE_BREAKER_THRESHOLD: '1000',
    ORDERGATE_BROKER_RETRIES: '0',
    ORDERGATE_BROKER_TIMEOUT_MS: String(options.brokerTimeoutMs ?? 3000),
    LOG_LEVEL: 'silent',
  };
  // The upstream keeps its own embedded store, whatever database the test run uses.
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const match = RUNNING.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      void exited.then(() => reject(new Error(`the upstream Ordergate exited before serving:\n${output}`)));
    });
    return {
      url,
      apiKey: UPSTREAM_KEY,
      seed: UPSTREAM_SEED,
      dataDir,
      stop: () => stop(child, exited, dataDir),
      async restart(whileDown) {
        await stop(child, exited);
        await whileDown?.();
        return startUpstream({ ...options, dataDir, port: Number(new URL(url).port) });
      },
    };
  } catch (error) {
    await stop(child, exited, dataDir);
    throw error;
  }
}

/** Ends the process; removes `dataDir` when given. */
async function stop(child: ChildProcess, exited: Promise<void>, dataDir?: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
  if (dataDir !== undefined) fs.rmSync(dataDir, { recursive: true, force: true });
}
