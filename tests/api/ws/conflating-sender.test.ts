// The per-client sender against a socket double whose send buffer the test controls.
import { describe, expect, it } from 'vitest';
import { CLOSE_TOO_SLOW, ConflatingSender, type SenderSocket } from '../../../src/api/ws/conflating-sender.js';

class FakeSocket implements SenderSocket {
  bufferedAmount = 0;
  readyState = 1;
  readonly sent: string[] = [];
  readonly callbacks: Array<(error?: Error) => void> = [];
  closedWith: { code: number; reason: string } | undefined;
  terminated = false;

  send(data: Buffer, _options: { binary: boolean }, callback: (error?: Error) => void): void {
    this.sent.push(data.toString());
    this.bufferedAmount += data.length;
    this.callbacks.push(callback);
  }
  /** The peer read everything: the buffer empties and the write callbacks run. */
  drain(): void {
    this.bufferedAmount = 0;
    for (const callback of this.callbacks.splice(0)) callback();
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.readyState = 2;
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }
}

const limits = { softBytes: 10, hardBytes: 30, closeGraceMs: 10 };
const frame = (text: string) => Buffer.from(text);

function setup() {
  const socket = new FakeSocket();
  const overflows: unknown[] = [];
  const sender = new ConflatingSender(socket, limits, (stats) => overflows.push(stats));
  return { socket, sender, overflows };
}

describe('ConflatingSender', () => {
  it('writes straight through while the buffer is under the soft limit', () => {
    const { socket, sender } = setup();
    sender.send(frame('a'));
    sender.sendConflated('k', frame('b'));
    expect(socket.sent).toEqual(['a', 'b']);
    expect(sender.pending).toBe(false);
  });

  it('above the soft limit keeps only the latest frame per key, and sends replies before market frames', () => {
    const { socket, sender } = setup();
    sender.send(frame('0123456789')); // the buffer is now at the soft limit
    sender.sendConflated('SBIN', frame('s1'));
    sender.sendConflated('INFY', frame('i1'));
    sender.sendConflated('SBIN', frame('s2'));
    sender.send(frame('reply'));
    expect(socket.sent).toEqual(['0123456789']);
    expect(sender.stats()).toMatchObject({ queuedFrames: 1, queuedBytes: 5, conflatedFrames: 2, conflatedBytes: 4 });

    socket.drain();
    expect(socket.sent).toEqual(['0123456789', 'reply', 's2', 'i1']);
    expect(sender.pending).toBe(false);
  });

  it('drop forgets the waiting frame of an ended subscription', () => {
    const { socket, sender } = setup();
    sender.send(frame('0123456789'));
    sender.sendConflated('SBIN', frame('s1'));
    sender.drop('SBIN');
    socket.drain();
    expect(socket.sent).toEqual(['0123456789']);
  });

  it('stops flushing when the buffer reaches the soft limit again', () => {
    const { socket, sender } = setup();
    sender.send(frame('0123456789'));
    for (const text of ['aaaaaa', 'bbbbbb', 'cccccc']) sender.send(frame(text));
    socket.drain();
    expect(socket.sent).toEqual(['0123456789', 'aaaaaa', 'bbbbbb']);
    socket.drain();
    expect(socket.sent.at(-1)).toBe('cccccc');
  });

  it('closes with 1013 when frames that may not be dropped pass the hard limit, then cuts the peer off', async () => {
    const { socket, sender, overflows } = setup();
    sender.send(frame('0123456789'));
    sender.send(frame('0123456789'));
    expect(socket.closedWith).toBeUndefined();
    sender.send(frame('0123456789x'));
    expect(socket.closedWith).toEqual({ code: CLOSE_TOO_SLOW, reason: 'Client too slow: send buffer limit exceeded' });
    expect(overflows).toHaveLength(1);
    expect(sender.stats()).toMatchObject({ queuedFrames: 0, conflatedFrames: 0 });
    sender.send(frame('late'));
    expect(socket.sent).toEqual(['0123456789']);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(socket.terminated).toBe(true);
  });

  it('closes with 1013 a client that takes no write while its market frames replace each other past the hard limit', () => {
    const { socket, sender, overflows } = setup();
    sender.send(frame('0123456789')); // the buffer is at the soft limit: market frames wait
    for (const text of ['s1__', 's2__', 's3__', 's4__', 's5__']) sender.sendConflated('SBIN', frame(text));
    // Behind by 10 (buffer) + 4 (waiting) + 16 (skipped) = 30: at the limit, not past it.
    expect(sender.stats()).toMatchObject({ bufferedBytes: 10, conflatedFrames: 1, conflatedBytes: 4, supersededBytes: 16 });
    expect(socket.closedWith).toBeUndefined();

    sender.sendConflated('SBIN', frame('s6__'));
    expect(socket.closedWith).toEqual({ code: CLOSE_TOO_SLOW, reason: 'Client too slow: send buffer limit exceeded' });
    expect(overflows).toEqual([
      { bufferedBytes: 10, queuedFrames: 0, queuedBytes: 0, conflatedFrames: 1, conflatedBytes: 4, supersededBytes: 20 },
    ]);
    expect(sender.stats()).toMatchObject({ conflatedFrames: 0, supersededBytes: 0 });
  });

  it('never closes a client that keeps taking writes, however much it skips between them', () => {
    const { socket, sender, overflows } = setup();
    sender.send(frame('0123456789'));
    for (let round = 0; round < 1000; round++) {
      for (let i = 0; i < 4; i++) sender.sendConflated(`k${i % 3}`, frame(`${round % 10}:${i}`));
      socket.drain();
    }
    expect(overflows).toEqual([]);
    expect(socket.closedWith).toBeUndefined();
    // Each key's latest frame went out last.
    expect(socket.sent.slice(-3).sort()).toEqual(['9:1', '9:2', '9:3']);
  });

  it('sends nothing once the socket is not open', () => {
    const { socket, sender } = setup();
    socket.readyState = 3;
    sender.send(frame('a'));
    sender.sendConflated('k', frame('b'));
    expect(socket.sent).toEqual([]);
  });
});
