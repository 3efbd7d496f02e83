// Server processes for the benchmarks: each runs in its own Node process (so the load generator never shares an
// event loop with it), prints its URL as its first `http://` line on stdout, and is stopped with SIGTERM (SIGKILL
// after a grace period). Every child still alive when the runner exits, however it exits, is killed; the children
// also watch their stdin (BENCH_STDIN_GUARD) so that even a SIGKILLed runner leaves none behind.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export interface ServerChild {
  name: string;
  url: string;
  pid: number;
  /** Stops the process (SIGTERM, then SIGKILL after `graceMs`) and resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** Script path, relative to `cwd`. */
  script: string;
  cwd: string;
  env: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** How long to wait for the URL line. */
  startTimeoutMs?: number;
}

/** What bin/ordergate.js runs the gateway with: its TypeScript through Ordergate's module hooks. */
const TYPESCRIPT_HOOKS = new URL('../bin/typescript.mjs', import.meta.url).href;

const live = new Set<ChildProcess>();

/** Kills every child still running, synchronously (for `process.on('exit')`). */
export function killAllChildrenSync(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

export function liveChildren(): number {
  return live.size;
}

export function startServer(options: StartOptions): Promise<ServerChild> {
  const { name, script, cwd, env, nodeArgs = [], startTimeoutMs = 30_000 } = options;
  const child = spawn(process.execPath, ['--import', TYPESCRIPT_HOOKS, ...nodeArgs, script], {
    cwd,
    env: { ...process.env, ...env, BENCH_STDIN_GUARD: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      resolve();
    });
  });
  // A write to a child that died must not crash the runner.
  child.stdin?.on('error', () => undefined);

  const prefix = `[${name}] `;
  if (child.stderr) {
    readline.createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(prefix + line + '\n'));
  }

  return new Promise<ServerChild>((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => {
      if (started) return;
      child.kill('SIGKILL');
      reject(new Error(`${name} printed no URL within ${startTimeoutMs} ms`));
    }, startTimeoutMs);

    if (!child.stdout) throw new Error('child has no stdout');
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (!started && /^https?:\/\//.test(line.trim())) {
        started = true;
        clearTimeout(timer);
        resolve({
          name,
          url: line.trim(),
          pid: child.pid ?? -1,
          stop: (graceMs = 10_000) => stopChild(child, exited, graceMs),
        });
      } else {
        process.stderr.write(prefix + line + '\n');
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      if (!started) reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`${name} exited before listening (code ${code}, signal ${signal})`));
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** CPU time (user + system, ms) a process has used so far, from /proc; undefined where there is no /proc. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(path.join('/proc', String(pid), 'stat'), 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return ((utime + stime) * 1000) / clockTicksPerSecond();
  } catch {
    return undefined;
  }
}

// USER_HZ is 100 on every Linux Node supports; there is no portable way to read sysconf(_SC_CLK_TCK) from Node.
function clockTicksPerSecond(): number {
  return 100;
}
