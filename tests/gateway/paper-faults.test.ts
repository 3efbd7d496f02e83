// PaperFaults: the start's faults replace what an earlier run left in the settings; a change of the setting is
// applied at the next look, to every broker; a setting it cannot read leaves the faults as they were, told once.
import { describe, expect, it } from 'vitest';
import { FaultInjectingBroker } from '../../src/brokers/fault-injecting-broker.js';
import { PAPER_FAULTS_SETTING, PaperFaults } from '../../src/gateway/paper-faults.js';
import type { SettingsRepository } from '../../src/store/store.js';
import { namingBroker as stub, outcome } from '../brokers/naming-broker.js';

function memorySettings(): SettingsRepository & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
  };
}

const fails = async (promise: Promise<unknown>) => (await outcome(promise)) === 'fault';

describe('PaperFaults', () => {
  it('begins with the given faults on every broker, replacing the stored ones', async () => {
    const settings = memorySettings();
    settings.set(PAPER_FAULTS_SETTING, 'hang');
    const brokers = [new FaultInjectingBroker(stub), new FaultInjectingBroker(stub)];
    const faults = new PaperFaults(settings, brokers);
    faults.begin('seed=4');
    expect(faults.injected).toBe(false);
    faults.begin('fail=1@getFunds');
    expect(faults.injected).toBe(true);
    expect(settings.get(PAPER_FAULTS_SETTING)).toBe('fail=1@getFunds');
    for (const broker of brokers) {
      expect(await fails(broker.getFunds('acc'))).toBe(true);
      expect(await fails(broker.listOrders('acc'))).toBe(false);
    }
    faults.begin('');
    expect(faults.injected).toBe(false);
    expect(settings.values.has(PAPER_FAULTS_SETTING)).toBe(false);
    expect(await fails(brokers[0]!.getFunds('acc'))).toBe(false);
  });

  it('applies a changed setting at the next look, and keeps the faults when the setting cannot be read', async () => {
    const settings = memorySettings();
    const broker = new FaultInjectingBroker(stub);
    const faults = new PaperFaults(settings, [broker]);
    const told: string[] = [];
    faults.onChange = (text) => told.push(`changed to "${text}"`);
    faults.onUnreadable = (text, error) => told.push(`unreadable "${text}": ${error.message}`);
    faults.begin('');

    settings.set(PAPER_FAULTS_SETTING, 'fail=1');
    expect(await fails(broker.getQuote('SBIN', 'NSE'))).toBe(false);
    faults.poll();
    expect(await fails(broker.getQuote('SBIN', 'NSE'))).toBe(true);

    settings.set(PAPER_FAULTS_SETTING, 'fail=maybe');
    faults.poll();
    faults.poll();
    expect(await fails(broker.getQuote('SBIN', 'NSE'))).toBe(true);

    settings.delete(PAPER_FAULTS_SETTING);
    faults.poll();
    expect(await fails(broker.getQuote('SBIN', 'NSE'))).toBe(false);
    expect(told).toEqual([
      'changed to ""',
      'changed to "fail=1"',
      'unreadable "fail=maybe": "fail=maybe": expected a fraction of the calls above 0 and at most 1 (0.25 is a quarter)',
      'changed to ""',
    ]);
  });
});
