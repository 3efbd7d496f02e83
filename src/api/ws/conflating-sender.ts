// Sending to one client without letting a slow one cost memory or hold anybody up. While the socket's send buffer is
// under `softBytes`, frames go straight out. Above it they wait here: market frames keep only the latest per
// (instrument, mode), so the waiting market data never exceeds one frame per subscription; every other frame (replies,
// order updates) is never dropped. Waiting frames go out as the socket reports earlier writes done, replies and order
// updates first.
//
// How far behind a client is: the bytes in the socket's buffer (ws's `bufferedAmount`: written, not yet taken by the
// kernel), the waiting frames, and the market frames replaced by newer ones before they could go out since the socket
// last took a write. A client that reads, however slowly, takes writes, and what it skipped is forgotten; one that has
// stopped reading falls further behind on every tick, even though conflation holds its memory still. Past `hardBytes`
// it is closed with 1013 (try again later), then cut off if it does not complete the close in `closeGraceMs`.

/** What the sender needs of a `ws` WebSocket. */
export interface SenderSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: Buffer, options: { binary: boolean }, callback: (error?: Error) => void): void;
  close(code: number, reason: string): void;
  terminate(): void;
}

export interface SenderLimits {
  softBytes: number;
  hardBytes: number;
  closeGraceMs: number;
}

export interface SenderStats {
  /** Bytes written to the socket and not yet on the wire. */
  bufferedBytes: number;
  queuedFrames: number;
  queuedBytes: number;
  conflatedFrames: number;
  conflatedBytes: number;
  /** Market frames replaced by newer ones before they went out, since the socket last took a write. */
  supersededBytes: number;
}

export const CLOSE_TOO_SLOW = 1013;
const OPEN = 1;
const TEXT = { binary: false };
/** Drop the consumed head of the queue once it is this long (keeps taking from the queue O(1)). */
const COMPACT_AT = 1024;

export class ConflatingSender {
  private queue: Buffer[] = [];
  private head = 0;
  private queuedBytes = 0;
  private readonly latest = new Map<string, Buffer>();
  private latestBytes = 0;
  private supersededBytes = 0;
  private overflowed = false;
  private readonly afterWrite = (error?: Error): void => {
    if (error) return;
    this.supersededBytes = 0;
    this.flush();
  };

  constructor(
    private readonly socket: SenderSocket,
    private readonly limits: SenderLimits,
    private readonly onOverflow: (stats: SenderStats) => void,
  ) {}

  /** A frame that must arrive (a reply or an order update). */
  send(frame: Buffer): void {
    if (!this.writable()) return;
    if (this.idle() && this.socket.bufferedAmount < this.limits.softBytes) {
      this.write(frame);
      return;
    }
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    if (this.behind() > this.limits.hardBytes) this.overflow();
    else this.flush();
  }

  /** A frame that a later frame with the same key replaces while it waits. */
  sendConflated(key: string, frame: Buffer): void {
    if (!this.writable()) return;
    if (this.idle() && this.socket.bufferedAmount < this.limits.softBytes) {
      this.write(frame);
      return;
    }
    const previous = this.latest.get(key);
    if (previous) {
      this.latestBytes -= previous.length;
      this.supersededBytes += previous.length;
    }
    this.latest.set(key, frame);
    this.latestBytes += frame.length;
    if (this.behind() > this.limits.hardBytes) this.overflow();
    else this.flush();
  }

  /** Forgets the waiting frame of `key` (its subscription ended). */
  drop(key: string): void {
    const previous = this.latest.get(key);
    if (!previous) return;
    this.latest.delete(key);
    this.latestBytes -= previous.length;
  }

  /** Writes waiting frames while the socket's buffer is under the soft limit. */
  flush(): void {
    while (this.writable() && this.socket.bufferedAmount < this.limits.softBytes) {
      const frame = this.take();
      if (!frame) return;
      this.write(frame);
    }
  }

  get pending(): boolean {
    return !this.idle();
  }

  stats(): SenderStats {
    return {
      bufferedBytes: this.socket.readyState === OPEN ? this.socket.bufferedAmount : 0,
      queuedFrames: this.queue.length - this.head,
      queuedBytes: this.queuedBytes,
      conflatedFrames: this.latest.size,
      conflatedBytes: this.latestBytes,
      supersededBytes: this.supersededBytes,
    };
  }

  // Bytes the client has yet to take, and those it skipped without taking anything since.
  private behind(): number {
    return this.socket.bufferedAmount + this.queuedBytes + this.latestBytes + this.supersededBytes;
  }

  private take(): Buffer | undefined {
    if (this.head < this.queue.length) {
      const frame = this.queue[this.head] as Buffer;
      this.head += 1;
      this.queuedBytes -= frame.length;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      } else if (this.head >= COMPACT_AT) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return frame;
    }
    const next = this.latest.entries().next();
    if (next.done) return undefined;
    const [key, frame] = next.value;
    this.latest.delete(key);
    this.latestBytes -= frame.length;
    return frame;
  }

  private write(frame: Buffer): void {
    this.socket.send(frame, TEXT, this.afterWrite);
  }

  private idle(): boolean {
    return this.head === this.queue.length && this.latest.size === 0;
  }

  private writable(): boolean {
    return !this.overflowed && this.socket.readyState === OPEN;
  }

  private overflow(): void {
    const stats = this.stats();
    this.overflowed = true;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.latest.clear();
    this.latestBytes = 0;
    this.supersededBytes = 0;
    this.onOverflow(stats);
    this.socket.close(CLOSE_TOO_SLOW, 'Client too slow: send buffer limit exceeded');
    setTimeout(() => this.socket.terminate(), this.limits.closeGraceMs).unref();
  }
}
