import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreatePepper, PEPPER_FILE } from '../../src/gateway/pepper.js';
import { useTempDirs } from '../store/temp-dir.js';

const tempDir = useTempDirs();

describe('loadOrCreatePepper', () => {
  it('creates 32 random bytes as hex in <dataDir>/pepper, readable by the owner only', () => {
    const dataDir = path.join(tempDir(), 'data');
    const pepper = loadOrCreatePepper(dataDir);
    expect(pepper.length).toBe(32);
    const file = path.join(dataDir, PEPPER_FILE);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(pepper.toString('hex'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir)).toEqual([PEPPER_FILE]);
  });

  it('reuses the pepper on later calls', () => {
    const dataDir = tempDir();
    const first = loadOrCreatePepper(dataDir);
    expect(loadOrCreatePepper(dataDir).equals(first)).toBe(true);
  });

  it('differs between data directories', () => {
    expect(loadOrCreatePepper(tempDir()).equals(loadOrCreatePepper(tempDir()))).toBe(false);
  });

  it('refuses a damaged pepper file instead of replacing it', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, PEPPER_FILE), 'not hex', { mode: 0o600 });
    expect(() => loadOrCreatePepper(dataDir)).toThrow(/pepper/);
    expect(fs.readFileSync(path.join(dataDir, PEPPER_FILE), 'utf8')).toBe('not hex');
  });
});
