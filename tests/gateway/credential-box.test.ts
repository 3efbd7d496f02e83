// CredentialBox (gateway/credential-box.ts): broker credentials sealed with AES-256-GCM, bound to their connection,
// under a key from ORDERGATE_CREDENTIALS_KEY or derived from the pepper; what does not open is a typed error.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CredentialBox, SealedCredentialsUnreadable } from '../../src/gateway/credential-box.js';

const PEPPER = Buffer.from('11'.repeat(32), 'hex');
const OTHER_PEPPER = Buffer.from('22'.repeat(32), 'hex');
const ENV_KEY = '3c'.repeat(32);
const SECRET = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f03f9a';
const CONNECTION = '6f1c3a52-8d0e-4b7a-9c21-5e4d3b2a1f00';
const SEALED_SHAPE = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/;

/** Opens a sealed text by hand with `key`: the format and the key derivation as documented, not as the box does them. */
function openByHand(sealed: string, key: Buffer, connectionId: string): string {
  const [, iv, tag, ciphertext] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv!);
  decipher.setAAD(Buffer.from(connectionId));
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8');
}

function unreadable(open: () => string): SealedCredentialsUnreadable {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(SealedCredentialsUnreadable);
    return error as SealedCredentialsUnreadable;
  }
  throw new Error('it opened');
}

describe('CredentialBox', () => {
  it('seals a secret as v1.<iv>.<tag>.<ciphertext> and opens it again; each seal draws a fresh IV', () => {
    const box = CredentialBox.fromPepper(PEPPER);
    const sealed = box.seal(SECRET, CONNECTION);
    const again = box.seal(SECRET, CONNECTION);
    expect(sealed).toMatch(SEALED_SHAPE);
    expect(sealed).not.toContain(SECRET);
    expect(again).not.toBe(sealed);
    expect(box.open(sealed, CONNECTION)).toBe(SECRET);
    expect(box.open(again, CONNECTION)).toBe(SECRET);
    expect(box.open(box.seal('ключ 🔑', CONNECTION), CONNECTION)).toBe('ключ 🔑');
  });

  it('derives its key from the pepper with HKDF-SHA256 and the info "ordergate broker credentials v1"', () => {
    const sealed = CredentialBox.fromPepper(PEPPER).seal(SECRET, CONNECTION);
    const key = Buffer.from(crypto.hkdfSync('sha256', PEPPER, Buffer.alloc(0), 'ordergate broker credentials v1', 32));
    expect(openByHand(sealed, key, CONNECTION)).toBe(SECRET);
    // The same pepper gives the same key: another gateway on the data folder opens it.
    expect(CredentialBox.fromPepper(Buffer.from(PEPPER)).open(sealed, CONNECTION)).toBe(SECRET);
  });

  it('uses ORDERGATE_CREDENTIALS_KEY itself when set, whatever the pepper', () => {
    const box = CredentialBox.of(PEPPER, ENV_KEY);
    const sealed = box.seal(SECRET, CONNECTION);
    expect(openByHand(sealed, Buffer.from(ENV_KEY, 'hex'), CONNECTION)).toBe(SECRET);
    expect(CredentialBox.of(OTHER_PEPPER, ENV_KEY).open(sealed, CONNECTION)).toBe(SECRET);
    expect(CredentialBox.of(PEPPER).open(CredentialBox.fromPepper(PEPPER).seal(SECRET, CONNECTION), CONNECTION)).toBe(SECRET);
  });

  it('refuses to open under another key: another pepper, the env key instead of the pepper, or the reverse', () => {
    const byPepper = CredentialBox.fromPepper(PEPPER).seal(SECRET, CONNECTION);
    const byEnvKey = CredentialBox.fromKey(ENV_KEY).seal(SECRET, CONNECTION);
    const error = unreadable(() => CredentialBox.fromPepper(OTHER_PEPPER).open(byPepper, CONNECTION));
    expect(error.code).toBe('CREDENTIALS_UNREADABLE');
    expect(error.message).toBe(
      `The credentials of broker connection ${CONNECTION} cannot be opened: they were sealed under another key ` +
        "(ORDERGATE_CREDENTIALS_KEY, or the data folder's pepper, is not the one they were stored with) or altered; " +
        'restore that key, or give the connection its API key again',
    );
    unreadable(() => CredentialBox.fromKey(ENV_KEY).open(byPepper, CONNECTION));
    unreadable(() => CredentialBox.fromPepper(PEPPER).open(byEnvKey, CONNECTION));
  });

  it('refuses a text sealed for another connection (the id is authenticated data)', () => {
    const box = CredentialBox.fromPepper(PEPPER);
    const sealed = box.seal(SECRET, CONNECTION);
    expect(unreadable(() => box.open(sealed, '00000000-0000-4000-8000-000000000000')).connectionId).toBe(
      '00000000-0000-4000-8000-000000000000',
    );
  });

  it('refuses a tampered text, whichever part was changed, and any text not of its shape', () => {
    const box = CredentialBox.fromPepper(PEPPER);
    const sealed = box.seal(SECRET, CONNECTION);
    const parts = sealed.split('.');
    for (const index of [1, 2, 3]) {
      const changed = [...parts];
      const part = changed[index]!;
      // The first character carries six whole bits of the first byte: another letter is another byte.
      changed[index] = `${part[0] === 'A' ? 'B' : 'A'}${part.slice(1)}`;
      unreadable(() => box.open(changed.join('.'), CONNECTION));
    }
    const shortened = [...parts];
    shortened[3] = parts[3]!.slice(0, -2);
    for (const text of [
      shortened.join('.'),
      `v2.${parts.slice(1).join('.')}`,
      parts.slice(0, 3).join('.'),
      `${sealed}.AAAA`,
      `v1.${parts[1]!.slice(0, -1)}.${parts[2]}.${parts[3]}`,
      sealed.replace(/\./g, ':'),
      `${parts[0]}.${parts[1]}.${parts[2]}.${parts[3]}=`,
      '',
      SECRET,
    ]) {
      unreadable(() => box.open(text, CONNECTION));
    }
  });

  it('hints a secret by its last 4 characters, and hides a short one whole', () => {
    const box = CredentialBox.fromPepper(PEPPER);
    expect(box.hint(SECRET)).toBe('••••3f9a');
    expect(box.hint('abcdefghijkl')).toBe('••••ijkl');
    expect(box.hint('abcdefghijk')).toBe('••••');
    expect(box.hint('')).toBe('••••');
  });
});

describe('ORDERGATE_CREDENTIALS_KEY', () => {
  it('is optional, and read as 64 hex characters (in lower case)', () => {
    expect(loadConfig({}).credentialsKey).toBeUndefined();
    expect(loadConfig({ ORDERGATE_CREDENTIALS_KEY: '' }).credentialsKey).toBeUndefined();
    expect(loadConfig({ ORDERGATE_CREDENTIALS_KEY: ` ${'3C'.repeat(32)} ` }).credentialsKey).toBe(ENV_KEY);
  });

  it('is refused with a ConfigError naming it when it is anything else', () => {
    for (const value of ['3c'.repeat(31), '3c'.repeat(33), 'zz'.repeat(32)]) {
      expect(() => loadConfig({ ORDERGATE_CREDENTIALS_KEY: value })).toThrow(
        new ConfigError('ORDERGATE_CREDENTIALS_KEY must be 64 hexadecimal characters (32 random bytes, e.g. from `openssl rand -hex 32`)'),
      );
    }
  });
});
