import { describe, expect, it } from 'vitest';
import { InProcessEventBus } from '../../src/core/event-bus.js';
import { dec } from '../../src/domain/decimal.js';
import type { JournaledEvent } from '../../src/domain/events.js';

const funded: JournaledEvent = { type: 'account.funded', accountId: 'a', amount: dec(1), at: 0, seq: 1 };

describe('in-process event bus', () => {
  it('delivers to every subscriber, even when one throws, and stops after unsubscribe', () => {
    const errors: unknown[] = [];
    const bus = new InProcessEventBus((error) => errors.push(error));
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('bad subscriber');
    });
    const unsubscribe = bus.subscribe((event) => seen.push(event.seq));
    bus.publish(funded);
    unsubscribe();
    bus.publish({ ...funded, seq: 2 });
    expect(seen).toEqual([1]);
    expect(errors).toEqual([new Error('bad subscriber'), new Error('bad subscriber')]);
  });
});
