// The client addresses each user has logged in from lately, kept in the store so a restart does not forget them. The
// login route spares them the per-username limit, so strangers who spend a username's budget cannot lock its owner out.
import type { Clock } from '../domain/clock.js';
import type { LoginAddressRepository } from '../store/store.js';

/** Addresses kept per user: enough for home, office and phone; the least recently used one goes first. */
const ADDRESSES_PER_USER = 32;

export class KnownAddresses {
  constructor(
    private readonly addresses: LoginAddressRepository,
    private readonly clock: Clock,
    /** How long after its last successful login an address stays known. */
    private readonly rememberMs: number,
  ) {}

  /** Records a successful login of the user from `address`. */
  remember(userId: string, address: string): Promise<void> {
    return this.addresses.remember(userId, address, this.clock.now(), ADDRESSES_PER_USER);
  }

  /** Whether the user logged in successfully from `address` within the remembered time. */
  async isKnown(userId: string, address: string): Promise<boolean> {
    const at = await this.addresses.lastLoginAt(userId, address);
    return at !== undefined && this.clock.now() - at < this.rememberMs;
  }
}
