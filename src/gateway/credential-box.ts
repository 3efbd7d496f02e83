// Broker credentials at rest (DESIGN §3.2): sealed with AES-256-GCM under a key that never enters the database, and
// bound to their connection's id, so a sealed text copied onto another connection's row does not open there.
import crypto from 'node:crypto';

/** The HKDF info that derives the credentials key from the data folder's pepper: another use of the pepper, another key. */
const KEY_INFO = 'ordergate broker credentials v1';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** A hint shows the last characters only of a secret long enough to keep most of it hidden. */
const HINT_MASK = '••••';
const HINT_SHOWN = 4;
const HINT_MIN_LENGTH = 12;

/** A sealed credential that does not open: sealed under another key, for another connection, or altered. */
export class SealedCredentialsUnreadable extends Error {
  readonly code = 'CREDENTIALS_UNREADABLE';

  constructor(readonly connectionId: string) {
    super(
      `The credentials of broker connection ${connectionId} cannot be opened: they were sealed under another key ` +
        "(ORDERGATE_CREDENTIALS_KEY, or the data folder's pepper, is not the one they were stored with) or altered; " +
        'restore that key, or give the connection its API key again',
    );
    this.name = 'SealedCredentialsUnreadable';
  }
}

export class CredentialBox {
  private constructor(private readonly key: Buffer) {}

  /**
   * The box of a gateway: under `credentialsKey` (ORDERGATE_CREDENTIALS_KEY, 64 hex characters) when set, so gateways
   * sharing a database but no data folder agree; otherwise under a key derived from the data folder's pepper.
   */
  static of(pepper: Buffer, credentialsKey?: string): CredentialBox {
    return credentialsKey === undefined ? CredentialBox.fromPepper(pepper) : CredentialBox.fromKey(credentialsKey);
  }

  /** HKDF-SHA256 of the pepper (32 random bytes already, so no salt is needed). */
  static fromPepper(pepper: Buffer): CredentialBox {
    return new CredentialBox(Buffer.from(crypto.hkdfSync('sha256', pepper, Buffer.alloc(0), KEY_INFO, KEY_BYTES)));
  }

  /** The key itself: 64 hex characters. */
  static fromKey(hex: string): CredentialBox {
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('a credentials key is 64 hexadecimal characters');
    return new CredentialBox(Buffer.from(hex, 'hex'));
  }

  /** `••••` and the last 4 characters of `secret`; `••••` alone for a secret shorter than 12 characters. */
  hint(secret: string): string {
    const characters = [...secret];
    return characters.length < HINT_MIN_LENGTH ? HINT_MASK : `${HINT_MASK}${characters.slice(-HINT_SHOWN).join('')}`;
  }

  /** `secret` sealed for the connection `connectionId`: `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
  seal(secret: string, connectionId: string): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(connectionId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [VERSION, ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))].join('.');
  }

  /** The secret `sealed` holds; throws SealedCredentialsUnreadable unless this box sealed it for `connectionId`. */
  open(sealed: string, connectionId: string): string {
    const [version, ...encoded] = sealed.split('.');
    if (version !== VERSION || encoded.length !== 3 || !encoded.every((part) => BASE64URL.test(part))) {
      throw new SealedCredentialsUnreadable(connectionId);
    }
    const [iv, tag, ciphertext] = encoded.map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealedCredentialsUnreadable(connectionId);
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(connectionId, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // GCM's tag did not match: the only failure left once the text is well formed.
      throw new SealedCredentialsUnreadable(connectionId);
    }
  }
}
