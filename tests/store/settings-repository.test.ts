import { describe, expect, it } from 'vitest';
import { Changes } from '../../src/store/change-signal.js';
import { SqlSettingsRepository } from '../../src/store/settings-repository.js';
import { useEngines } from './engines.js';

const engines = useEngines();

describe.each(engines)('SqlSettingsRepository on $name', (engine) => {
  async function world() {
    const changes = new Changes(engine.name);
    return { changes, settings: new SqlSettingsRepository(await engine.open(), changes) };
  }

  it('sets, overwrites, reads and deletes a value', async () => {
    const { settings } = await world();
    expect(await settings.get('analyzer')).toBeUndefined();
    await settings.set('analyzer', 'off');
    await settings.set('analyzer', 'on');
    expect(await settings.get('analyzer')).toBe('on');
    await settings.delete('analyzer');
    expect(await settings.get('analyzer')).toBeUndefined();
  });

  it('lists the settings whose key starts with a prefix, by key, taking the prefix literally', async () => {
    const { settings } = await world();
    await settings.set('analyzer.b', '2');
    await settings.set('analyzer.a', '1');
    await settings.set('Analyzer.c', '3');
    await settings.set('analyzerXd', '4');
    await settings.set('other', '5');
    expect(await settings.list('analyzer.')).toEqual([
      { key: 'analyzer.a', value: '1' },
      { key: 'analyzer.b', value: '2' },
    ]);
    expect(await settings.list('analyzer_')).toEqual([]);
    expect(await settings.list('analyzer%')).toEqual([]);
    expect(await settings.list('nothing')).toEqual([]);
  });

  it('moves the change version on every write, after its commit', async () => {
    const { changes, settings } = await world();
    const start = changes.version();
    await settings.set('analyzer', 'on');
    expect(changes.version()).toBe(start + 1);
    await settings.delete('analyzer');
    expect(changes.version()).toBe(start + 2);
    await settings.get('analyzer');
    await settings.list('');
    expect(changes.version()).toBe(start + 2);
  });
});
