// A broker answering each asynchronous call with its method name, and a way to tell an injected fault from an answer:
// for tests of the fault injector and of what drives it.
import type { Broker } from '../../src/brokers/broker.js';
import { InjectedFault } from '../../src/brokers/fault-injecting-broker.js';

export const namingBroker = new Proxy({ name: 'stub' } as Broker, {
  get(target, property) {
    if (property === 'name') return target.name;
    if (property === 'capabilities') return () => ({ idempotentPlacement: false, fractionalQuantity: false, orderUpdates: 'push' });
    return async () => String(property);
  },
});

/** Settles `promise` into 'ok', 'fault' (an InjectedFault) or rethrows anything else. */
export async function outcome(promise: Promise<unknown>): Promise<'ok' | 'fault'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof InjectedFault) return 'fault';
    throw error;
  }
}
