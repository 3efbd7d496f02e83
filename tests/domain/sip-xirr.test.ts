// XIRR with OpenAlgo's own vectors (test/test_sip_xirr.py): the spreadsheet reference, actual/365, undefined inputs.
import { describe, expect, it } from 'vitest';
import { type CashFlow, XirrError, absoluteReturn, npv, xirr, xirrOrNull } from '../../src/domain/sip-xirr.js';

const flows = (pairs: Array<[string, number]>): CashFlow[] => pairs.map(([date, amount]) => ({ date, amount }));

describe('XIRR', () => {
  it("matches the spreadsheet's documented XIRR example", () => {
    const rate = xirr(flows([['2008-01-01', -10000], ['2008-03-01', 2750], ['2008-10-30', 4250], ['2009-02-15', 3250], ['2009-04-01', 2750]]));
    expect(rate).toBeCloseTo(0.373362535, 6);
  });

  it('returns a rate that zeroes the NPV of a monthly SIP', () => {
    const sip = flows([...Array.from({ length: 12 }, (_, m): [string, number] => [`2020-${String(m + 1).padStart(2, '0')}-01`, -5000]), ['2021-01-01', 64000]]);
    expect(Math.abs(npv(xirr(sip), sip, '2020-01-01'))).toBeLessThan(1e-6);
  });

  it('counts days actual/365: doubling over 365 days is 100 %, over the 366 days of 2020 slightly less; a flat series is 0', () => {
    expect(xirr(flows([['2021-01-01', -1000], ['2022-01-01', 2000]]))).toBeCloseTo(1, 9);
    expect(xirr(flows([['2020-01-01', -1000], ['2021-01-01', 2000]]))).toBeCloseTo(2 ** (365 / 366) - 1, 9);
    expect(Math.abs(xirr(flows([['2020-01-01', -100000], ['2023-01-01', 100000]])))).toBeLessThan(1e-9);
    const loss = xirr(flows([['2020-01-01', -100000], ['2022-01-01', 60000]]));
    expect(loss).toBeGreaterThan(-1);
    expect(loss).toBeLessThan(0);
  });

  it('is undefined, never invented, for empty, single, same-day and one-signed series', () => {
    const cases: Array<Array<[string, number]>> = [
      [],
      [['2020-01-01', -1000]],
      [['2020-01-01', -1000], ['2020-01-01', 2000]],
      [['2020-01-01', -1000], ['2021-01-01', -2000]],
      [['2020-01-01', 1000], ['2021-01-01', 2000]],
    ];
    for (const each of cases) expect(() => xirr(flows(each))).toThrow(XirrError);
    expect(xirrOrNull(flows([['2020-01-01', -1000]]))).toBeNull();
    expect(xirrOrNull(flows([['2020-01-01', -1000], ['2021-01-01', 1100]]))).not.toBeNull();
    expect(absoluteReturn(600000, 942310)).toBeCloseTo(0.5705, 4);
    expect(absoluteReturn(0, 100)).toBe(0);
  });
});
