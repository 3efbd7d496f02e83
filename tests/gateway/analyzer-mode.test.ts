// AnalyzerMode's switches: read whole at start, answered from memory, read again only when the store's change signal
// moved; a switch set here counts at once, and a read that started before it never undoes it.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { AnalyzerMode } from '../../src/gateway/analyzer-mode.js';
import type { AnalyzerLogRepository, SettingsRepository } from '../../src/store/store.js';

const noLogs: AnalyzerLogRepository = {
  append: async () => {},
  count: async () => 0,
  list: async () => [],
  entries: async function* () {},
};

/** Settings in memory whose writes move the signal, as the store's do; `hold` keeps the next list waiting. */
function world() {
  const values = new Map<string, string>();
  const state = { version: 0, lists: 0, hold: undefined as Promise<void> | undefined };
  const settings: SettingsRepository = {
    get: async (key) => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
      state.version += 1;
    },
    delete: async (key) => {
      values.delete(key);
      state.version += 1;
    },
    list: async (prefix) => {
      state.lists += 1;
      const rows = [...values].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => ({ key, value }));
      await state.hold;
      return rows;
    },
  };
  const analyzer = new AnalyzerMode(settings, noLogs, new ManualClock(0), { version: () => state.version });
  return { values, state, analyzer };
}

describe('AnalyzerMode switches', () => {
  it('are read whole by load and answered from memory', async () => {
    const { values, state, analyzer } = world();
    values.set('analyze_mode:a1', 'on');
    values.set('analyze_mode:a2', 'off');
    await analyzer.load();
    expect([analyzer.isOn('a1'), analyzer.isOn('a2'), analyzer.isOn('a3')]).toEqual([true, false, false]);
    expect(state.lists).toBe(1);
  });

  it('are read again by refresh only when the signal moved, once for requests that refresh together', async () => {
    const { values, state, analyzer } = world();
    await analyzer.load();
    await analyzer.refresh();
    expect(state.lists).toBe(1);
    // Another gateway switches a1 on.
    values.set('analyze_mode:a1', 'on');
    state.version += 1;
    await Promise.all([analyzer.refresh(), analyzer.refresh()]);
    expect(state.lists).toBe(2);
    expect(analyzer.isOn('a1')).toBe(true);
  });

  it('count a switch set here at once, and a read that started before it does not undo it', async () => {
    const { values, state, analyzer } = world();
    await analyzer.load();
    let answer = () => {};
    state.hold = new Promise((resolve) => (answer = resolve));
    values.set('analyze_mode:a2', 'on');
    state.version += 1;
    const refreshing = analyzer.refresh();
    state.hold = undefined;
    await analyzer.set('a1', true);
    expect(analyzer.isOn('a1')).toBe(true);
    answer();
    await refreshing;
    expect(analyzer.isOn('a1')).toBe(true);
    await analyzer.refresh();
    expect([analyzer.isOn('a1'), analyzer.isOn('a2')]).toEqual([true, true]);

    await analyzer.set('a1', false);
    expect(analyzer.isOn('a1')).toBe(false);
    expect(values.has('analyze_mode:a1')).toBe(false);
  });
});
