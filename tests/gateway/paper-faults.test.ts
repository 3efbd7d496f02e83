// PaperFaults: the start's faults replace what an earlier run left in the settings; a change of the setting is
// applied at the next look, to every broker; a setting it cannot read leaves the faults as they were, told once; the
// timer's looks never overlap, and one the store fails is told without touching the faults.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaultInjectingBroker } from '../../src/brokers/fault-injecting-broker.js';
import { PAPER_FAULTS_SETTING, PaperFaults } from '../../src/gateway/paper-faults.js';
import type { SettingsRepository } from '../../src/store/store.js';
import { namingBroker as stub, outcome } from '../brokers/naming-broker.js';

function memorySettings(): SettingsRepository & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (key) => values.get(key),
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
    list: async (prefix) => [...values].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => ({ key, value })),
  };
}

const fails = async (promise: Promise<unknown>) => (await outcome(promise)) === 'fault';

describe('PaperFaults', () => {
  it('begins with the given faults on every broker, replacing the stored ones', async () => {
    const settings = memorySettings();
    settings.values.set(PAPER_FAULTS_SETTING, 'hang');
    const brokers = [new FaultInjectingBroker(stub), new FaultInjectingBroker(stub)];
    const faults = new PaperFaults(settings, brokers);
    await faults.begin('seed=4');
    expect(faults.injected).toBe(false);
    await faults.begin('fail=1@getFunds');
    expect(faults.injected).toBe(true);
    expect(settings.values.get(PAPER_FAULTS_SETTING)).toBe('fail=1@getFunds');
    for (const broker of brokers) {
      expect(await fails(broker.getFunds('acc'))).toBe(true);
      expect(await fails(broker.statusReports('acc'))).toBe(false);
    }
    await faults.begin('');
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
    await faults.begin('');

    settings.values.set(PAPER_FAULTS_SETTING, 'fail=1');
    expect(await fails(broker.getQuote('SBIN', 'NSE'))).toBe(false);
    await faults.poll();
    expect(await fails(broker.getQuote('SBIN', 'NSE'))).toBe(true);

    settings.values.set(PAPER_FAULTS_SETTING, 'fail=maybe');
    await faults.poll();
    await faults.poll();
    expect(await fails(broker.getQuote('SBIN', 'NSE'))).toBe(true);

    settings.values.delete(PAPER_FAULTS_SETTING);
    await faults.poll();
    expect(await fails(broker.getQuote('SBIN', 'NSE'))).toBe(false);
    expect(told).toEqual([
      'changed to ""',
      'changed to "fail=1"',
      'unreadable "fail=maybe": "fail=maybe": expected a fraction of the calls above 0 and at most 1 (0.25 is a quarter)',
      'changed to ""',
    ]);
  });

  describe('watching', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('starts no look while one is under way, and tells a failed look while the faults stay', async () => {
      vi.useFakeTimers();
      const settings = memorySettings();
      const broker = new FaultInjectingBroker(stub);
      const faults = new PaperFaults(settings, [broker]);
      const failures: string[] = [];
      faults.onError = (error) => failures.push((error as Error).message);
      await faults.begin('fail=1');

      let looks = 0;
      let answer: (text: string | undefined) => void = () => {};
      settings.get = () => {
        looks += 1;
        return new Promise((resolve) => (answer = resolve));
      };
      faults.watch(100);
      await vi.advanceTimersByTimeAsync(350);
      expect(looks).toBe(1);
      answer(undefined);
      await vi.advanceTimersByTimeAsync(100);
      expect(looks).toBe(2);
      expect(faults.injected).toBe(false);

      answer('fail=1');
      await vi.advanceTimersByTimeAsync(0);
      expect(faults.injected).toBe(true);
      settings.get = async () => {
        throw new Error('database is locked');
      };
      await vi.advanceTimersByTimeAsync(100);
      expect(failures).toEqual(['database is locked']);
      expect(faults.injected).toBe(true);
      faults.stop();
    });

    it('applies nothing from a look that ends after stop', async () => {
      const settings = memorySettings();
      const broker = new FaultInjectingBroker(stub);
      const faults = new PaperFaults(settings, [broker]);
      await faults.begin('');
      let answer: (text: string | undefined) => void = () => {};
      settings.get = () => new Promise((resolve) => (answer = resolve));
      const look = faults.poll();
      faults.stop();
      answer('fail=1');
      await look;
      expect(faults.injected).toBe(false);
      expect(await fails(broker.getQuote('SBIN', 'NSE'))).toBe(false);
    });
  });
});
