// The master lists each session day's instruments from the first look after 03:00 IST, and the catalog follows it.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { MasterCatalog } from '../../../src/exchange/instruments/catalog.js';
import { DailyListing } from '../../../src/exchange/instruments/daily-listing.js';
import { InstrumentMaster, buildInstruments } from '../../../src/exchange/instruments/master.js';

const ist = (text: string) => Date.parse(`${text}+05:30`);

describe('DailyListing', () => {
  it('reloads at the session boundary (03:00 IST), not at midnight, and once per day', () => {
    const clock = new ManualClock(ist('2026-12-01T15:00:00'));
    const master = new InstrumentMaster(buildInstruments('2026-12-01'));
    const built: string[] = [];
    const listing = new DailyListing(master, clock, (day) => {
      built.push(day);
      return buildInstruments(day);
    });
    expect(listing.refresh()).toBe(false);
    clock.set(ist('2026-12-02T02:59:59'));
    expect(listing.refresh()).toBe(false);
    clock.set(ist('2026-12-02T03:00:00'));
    expect(listing.refresh()).toBe(true);
    expect(listing.refresh()).toBe(false);
    expect(built).toEqual(['2026-12-02']);
    expect(listing.listedDay).toBe('2026-12-02');
    expect(master.version).toBe(1);
  });

  it("the catalog's expiry lists and search follow the reload", () => {
    const clock = new ManualClock(ist('2026-12-01T15:00:00'));
    const master = new InstrumentMaster(buildInstruments('2026-12-01'));
    const catalog = new MasterCatalog(master);
    const listing = new DailyListing(master, clock);
    const before = catalog.expiries('NIFTY', 'NFO', 'options');
    expect(before[0]).toBe('2026-12-01');
    const expired = catalog.search('NIFTY 01DEC26 26000 CE');
    expect(expired.map((i) => i.symbol)).toEqual(['NIFTY01DEC2626000CE']);

    clock.set(ist('2026-12-09T09:15:00')); // the weeklies of 1 and 8 December have expired
    expect(listing.refresh()).toBe(true);
    const after = catalog.expiries('NIFTY', 'NFO', 'options');
    expect(after[0]).toBe('2026-12-15');
        expect(after.some((day) => !before.includes(day))).toBe(true);
    expect(catalog.search('NIFTY 01DEC26 26000 CE')).toEqual([]);
    expect(catalog.get('NIFTY01DEC2626000CE', 'NFO')).toBeUndefined();
    expect(master.get('NIFTY01DEC2626000CE', 'NFO')).toBeDefined();
  });
});
