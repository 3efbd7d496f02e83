// Temporary directories for tests that use real SQLite files; each is removed after its test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/** Registers cleanup in the calling file and returns a factory of fresh directories. */
export function useTempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-test-'));
    made.push(dir);
    return dir;
  };
}
