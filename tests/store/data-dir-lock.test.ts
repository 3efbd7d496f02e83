// One gateway per data folder: the lock refuses a second holder, in this process or another, and the operating
// system frees it with its process however that ends (no stale lock after a crash).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUse, DataDirLock } from '../../src/store/data-dir-lock.js';

const HOOKS = fileURLToPath(new URL('../../bin/typescript.mjs', import.meta.url));
const LOCK_MODULE = new URL('../../src/store/data-dir-lock.ts', import.meta.url).href;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-lock-'));
  dirs.push(dir);
  return dir;
}

describe('the data folder lock', () => {
  it('refuses a second holder in the same process, naming the owner, until the first releases it', () => {
    const dir = tempDir();
    const first = DataDirLock.acquire(dir);
    expect(() => DataDirLock.acquire(dir)).toThrow(DataDirInUse);
    expect(() => DataDirLock.acquire(dir)).toThrow(
      `${dir} is in use by another Ordergate (process ${process.pid}): stop it first, or set ORDERGATE_DATA_DIR to another folder`,
    );
    first.release();
    first.release();
    const second = DataDirLock.acquire(dir);
    second.release();
  });

  it('is refused while another process holds it, and free the moment that process is SIGKILLed', async () => {
    const dir = tempDir();
    const holder = spawn(
      process.execPath,
      ['--import', HOOKS, '--input-type=module', '-e', `const { DataDirLock } = await import(${JSON.stringify(LOCK_MODULE)}); DataDirLock.acquire(${JSON.stringify(dir)}); console.log('held'); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    try {
      await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()));
      expect(() => DataDirLock.acquire(dir)).toThrow(`(process ${holder.pid})`);
    } finally {
      holder.kill('SIGKILL');
      await exited;
    }
    DataDirLock.acquire(dir).release();
  });
});
