// The operator's fault text (ORDERGATE_PAPER_FAULTS, `ordergate faults set`): what it reads to, the words it is
// described in, the precise refusals, and what it does to a FaultInjectingBroker.
import { describe, expect, it } from 'vitest';
import { FaultInjectingBroker } from '../../src/brokers/fault-injecting-broker.js';
import { applyFaultSpec, describeFaultSpec, injectsFaults, parseFaultSpec } from '../../src/brokers/fault-spec.js';
import { namingBroker as stub, outcome } from './naming-broker.js';

describe('parseFaultSpec', () => {
  it('reads each kind, with and without a scope of broker calls (named in any case)', () => {
    expect(parseFaultSpec('latency=300; fail=0.25 ; lose=.1@placeorder ;hang@getQuote, GETDEPTH; seed=42')).toEqual({
      latency: { ms: 300, scope: undefined },
      fail: { fraction: 0.25, scope: undefined },
      lose: { fraction: 0.1, scope: ['placeOrder'] },
      hang: { scope: ['getQuote', 'getDepth'] },
      seed: 42,
    });
    expect(parseFaultSpec('latency=250ms')).toEqual({ latency: { ms: 250, scope: undefined } });
    expect(parseFaultSpec('fail=1')).toEqual({ fail: { fraction: 1, scope: undefined } });
  });

  it('reads an empty text, "none" and stray separators as no fault', () => {
    expect(parseFaultSpec('')).toEqual({});
    expect(parseFaultSpec('  None ')).toEqual({});
    expect(parseFaultSpec(';fail=0.5;;')).toEqual({ fail: { fraction: 0.5, scope: undefined } });
  });

  it.each([
    ['slow=1', '"slow=1": unknown fault "slow"; the faults are latency, fail, lose, hang, seed'],
    ['fail=0', '"fail=0": expected a fraction of the calls above 0 and at most 1 (0.25 is a quarter)'],
    ['fail=1.5', '"fail=1.5": expected a fraction of the calls above 0 and at most 1 (0.25 is a quarter)'],
    ['lose=half', '"lose=half": expected a fraction of the calls above 0 and at most 1 (0.25 is a quarter)'],
    ['fail', '"fail": expected a fraction of the calls above 0 and at most 1 (0.25 is a quarter)'],
    ['latency=0', '"latency=0": expected milliseconds from 1 to 600000'],
    ['latency=1.5', '"latency=1.5": expected milliseconds from 1 to 600000'],
    ['latency=600001', '"latency=600001": expected milliseconds from 1 to 600000'],
    ['hang=1', '"hang=1": hang takes no value (hang, or hang@getQuote)'],
    ['seed=-1', '"seed=-1": expected a seed from 0 to 4294967295'],
    ['seed=1@getQuote', '"seed=1@getQuote": seed applies to every fault; it takes no @calls'],
    ['fail=0.5;fail=0.2', '"fail=0.2": fail is given twice'],
    [
      'hang@quotes',
      '"hang@quotes": "quotes" is no broker call; the calls are placeOrder, modifyOrder, cancelOrder, statusReports, ' +
        'listPositions, listHoldings, getFunds, basketMargin, getQuote, getDepth, getHistory',
    ],
  ])('refuses %j: %s', (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(message);
  });
});

describe('describeFaultSpec', () => {
  it('says each fault in words', () => {
    expect(describeFaultSpec(parseFaultSpec('latency=300;fail=0.25;lose=0.1@placeOrder;hang@getQuote,getDepth;seed=7'))).toBe(
      'calls wait 300 ms; 25 % of calls fail before reaching the broker; ' +
        '10 % of placeOrder calls lose their answer after the broker acted; getQuote, getDepth calls never answer; drawn with seed 7',
    );
    expect(describeFaultSpec(parseFaultSpec('fail=0.333'))).toBe('33.3 % of calls fail before reaching the broker');
    expect(describeFaultSpec({})).toBe('no faults');
    expect(describeFaultSpec(parseFaultSpec('seed=3'))).toBe('no faults');
  });
});

describe('injectsFaults', () => {
  it('is true for any fault, false for nothing, none or a seed alone', () => {
    for (const text of ['latency=1', 'fail=0.1', 'lose=1@placeOrder', 'hang@getQuote', 'seed=2;hang']) {
      expect(injectsFaults(parseFaultSpec(text))).toBe(true);
    }
    for (const text of ['', 'none', 'seed=2']) expect(injectsFaults(parseFaultSpec(text))).toBe(false);
  });
});

describe('applyFaultSpec', () => {
  it('replaces the faults a broker had: scoped failures strike only their calls', async () => {
    const broker = new FaultInjectingBroker(stub);
    broker.failNext(5);
    applyFaultSpec(broker, parseFaultSpec('fail=1@getQuote'));
    expect(await outcome(broker.getFunds('acc'))).toBe('ok');
    expect(await outcome(broker.getQuote('SBIN', 'NSE'))).toBe('fault');
    applyFaultSpec(broker, {});
    expect(await outcome(broker.getQuote('SBIN', 'NSE'))).toBe('ok');
  });

  it('draws the same faults for the same seed, on every broker it is applied to', async () => {
    const draws = async () => {
      const broker = new FaultInjectingBroker(stub);
      applyFaultSpec(broker, parseFaultSpec('fail=0.5;seed=11'));
      const results: string[] = [];
      for (let i = 0; i < 40; i++) results.push(await outcome(broker.statusReports('acc')));
      return results;
    };
    const first = await draws();
    expect(await draws()).toEqual(first);
    expect(first).toContain('ok');
    expect(first).toContain('fault');
  });
});
