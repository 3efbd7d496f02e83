// The India delivery charge schedule and its per-line overrides, as OpenAlgo's portfolio/costs.py builds and edits them.
import { describe, expect, it } from 'vitest';
import { ChargeScheduleError, indiaDelivery, withOverrides } from '../../src/domain/delivery-charges.js';

describe('indiaDelivery', () => {
  it('lists brokerage, STT, exchange fee, SEBI fee and stamp duty, with GST 18 % on the taxed ones', () => {
    expect(indiaDelivery('NSE')).toEqual({
      taxRate: 0.18,
      slippage: 0,
      lines: [
        { key: 'brokerage', basis: 'order', rate: 0, flat: 0, cap: 20, taxed: true },
        { key: 'stt', basis: 'turnover', rate: 0.001, flat: 0, cap: 0, taxed: false },
        { key: 'exchange_txn', basis: 'turnover', rate: 0.0000307, flat: 0, cap: 0, taxed: true },
        { key: 'sebi', basis: 'turnover', rate: 0.000001, flat: 0, cap: 0, taxed: true },
        { key: 'stamp_duty', basis: 'buy', rate: 0.00015, flat: 0, cap: 0, taxed: false },
      ],
    });
  });

  it('charges the BSE exchange fee on BSE, every other line alike', () => {
    const [nse, bse] = [indiaDelivery('NSE'), indiaDelivery('BSE')];
    expect(bse.lines.find((line) => line.key === 'exchange_txn')?.rate).toBe(0.0000375);
    expect(bse.lines.filter((line) => line.key !== 'exchange_txn')).toEqual(nse.lines.filter((line) => line.key !== 'exchange_txn'));
  });
});

describe('withOverrides', () => {
  it('sets rate, flat and cap per line, reading text as float() does; null, unknown lines and unknown fields change nothing', () => {
    const edited = withOverrides(indiaDelivery('NSE'), {
      brokerage: { flat: '20', cap: null, taxed: false },
      stt: { rate: 0.00125 },
      dp_charge: { flat: 15 },
    });
    expect(edited.lines[0]).toEqual({ key: 'brokerage', basis: 'order', rate: 0, flat: 20, cap: 20, taxed: true });
    expect(edited.lines[1]?.rate).toBe(0.00125);
    expect(edited.lines.slice(2)).toEqual(indiaDelivery('NSE').lines.slice(2));
  });

  it("keeps the fields of a schedule's wrapper", () => {
    const named = { ...indiaDelivery('NSE'), name: 'India delivery (NSE)' };
    expect(withOverrides(named, { stt: { rate: 0 } }).name).toBe('India delivery (NSE)');
  });

  it("refuses a value float() cannot read, and a negative or infinite one, in OpenAlgo's words", () => {
    const schedule = indiaDelivery('NSE');
    expect(() => withOverrides(schedule, { stt: { rate: 'abc' } })).toThrow(new ChargeScheduleError('could not convert "abc" to float'));
    expect(() => withOverrides(schedule, { stt: { rate: '' } })).toThrow(new ChargeScheduleError('could not convert "" to float'));
    expect(() => withOverrides(schedule, { brokerage: { cap: -1 } })).toThrow(new ChargeScheduleError('charge cap must be finite and non-negative'));
    expect(() => withOverrides(schedule, { sebi: { flat: '1e400' } })).toThrow(new ChargeScheduleError('charge flat must be finite and non-negative'));
  });
});
