// The client addresses each user has logged in from lately, kept in this process's memory. The login route spares
// them the per-username limit, so strangers who spend a username's budget of attempts cannot lock its owner out.
import type { Clock } from '../domain/clock.js';

/** Addresses kept per user: enough for home, office and phone; the least recently used one goes first. */
const ADDRESSES_PER_USER = 32;

export class KnownAddresses {
  /** Per username, each address and the time of its last successful login; insertion order is recency order. */
  private readonly byUser = new Map<string, Map<string, number>>();

  constructor(
    private readonly clock: Clock,
    /** How long after its last successful login an address stays known. */
    private readonly rememberMs: number,
  ) {}

  /** Records a successful login of `username` from `address`. */
  remember(username: string, address: string): void {
    const now = this.clock.now();
    const addresses = this.byUser.get(username) ?? new Map<string, number>();
    addresses.delete(address);
    addresses.set(address, now);
    for (const [old, at] of addresses) {
      if (addresses.size <= ADDRESSES_PER_USER && now - at < this.rememberMs) break;
      addresses.delete(old);
    }
    this.byUser.set(username, addresses);
  }

  /** Whether `username` logged in successfully from `address` within the remembered time. */
  isKnown(username: string, address: string): boolean {
    const at = this.byUser.get(username)?.get(address);
    return at !== undefined && this.clock.now() - at < this.rememberMs;
  }
}
