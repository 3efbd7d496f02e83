// The pepper: a 32-byte server secret mixed into every API key digest. It lives in a file beside the database, not
// in it, so a leaked database alone cannot be used to test guessed keys. Losing it invalidates every issued key.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const PEPPER_FILE = 'pepper';
export const PEPPER_BYTES = 32;
const PEPPER_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Reads `<dataDir>/pepper` (64 hex characters), creating it with fresh random bytes and mode 0600 when absent.
 * Creation is atomic and never overwrites: two processes starting together end up with the same pepper.
 * A pepper file with bad content is an error, never silently replaced.
 */
export function loadOrCreatePepper(dataDir: string): Buffer {
  const file = path.join(dataDir, PEPPER_FILE);
  const existing = readPepper(file);
  if (existing) return existing;

  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(temporary, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${crypto.randomBytes(PEPPER_BYTES).toString('hex')}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    // link() fails if the name exists, unlike rename(): a pepper another process just created is kept.
    fs.linkSync(temporary, file);
  } catch (error) {
    if (!isErrnoException(error) || error.code !== 'EEXIST') throw error;
  } finally {
    fs.unlinkSync(temporary);
  }
  const created = readPepper(file);
  if (!created) throw new Error(`pepper file ${file} vanished while being created`);
  return created;
}

function readPepper(file: string): Buffer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
  const hex = text.trim().toLowerCase();
  if (!PEPPER_PATTERN.test(hex)) {
    throw new Error(`pepper file ${file} is not ${PEPPER_BYTES * 2} hex characters; restore it from a backup`);
  }
  return Buffer.from(hex, 'hex');
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
