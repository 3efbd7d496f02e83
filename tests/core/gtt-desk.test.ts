// GttDesk (core/gtt-desk.ts) against scripted trading services (live and sandbox): a firing whose placement meets an
// unreachable broker is placed again by a later pass under the same client order id, a refusal is final, a GTT fires
// once however many passes see its trigger, and a GTT stays in the mode it was placed in.
import { describe, expect, it } from 'vitest';
import { GTT_RETRY_AFTER_MS, GttDesk } from '../../src/core/gtt-desk.js';
import { ManualClock } from '../../src/domain/clock.js';
import { type Decimal, dec } from '../../src/domain/decimal.js';
import { BrokerUnavailable, GttNotFound, InvalidOrder } from '../../src/domain/errors.js';
import type { GttSpec } from '../../src/domain/gtt.js';
import type { QuoteView } from '../../src/domain/market.js';
import type { Order, OrderRequest } from '../../src/domain/order.js';
import { SqlGttRepository } from '../../src/store/gtt-repository.js';
import { useEngines } from '../store/engines.js';
import { equity } from '../exchange/builders.js';

const [sqlite] = useEngines();
const T0 = Date.UTC(2026, 10, 25, 4, 30);

const spec: GttSpec = {
  accountId: 'acc-1',
  strategy: 'swing',
  triggerType: 'single',
  symbol: 'SBIN',
  exchange: 'NSE',
  side: 'BUY',
  quantity: dec(10),
  product: 'CNC',
  orderType: 'LIMIT',
  legs: [{ direction: 'below', triggerPrice: dec(790), price: dec('790.5') }],
};

/** A trading service whose last price the test sets and whose placements answer from a script, one per call. */
function scripted(answers: Array<'ok' | Error>) {
  const placed: OrderRequest[] = [];
  let lastPrice: Decimal = dec(800);
  const trading = {
    instrument: async () => equity('SBIN'),
    getQuote: async () => ({ lastPrice }) as QuoteView,
    placeOrder: async (request: OrderRequest): Promise<Order> => {
      placed.push(request);
      const answer = answers.shift() ?? 'ok';
      if (answer instanceof Error) throw answer;
      return { ...request, id: `order-${placed.length}`, status: 'open', filledQuantity: dec(0), averagePrice: dec(0), createdAt: T0, updatedAt: T0 };
    },
  };
  return { trading, placed, setPrice: (price: string) => void (lastPrice = dec(price)) };
}

/** A desk whose live trading answers from `answers`, with a sandbox of its own and the account's analyzer switch. */
async function world(answers: Array<'ok' | Error>) {
  const gtts = new SqlGttRepository(await sqlite!.open());
  const clock = new ManualClock(T0);
  const market = scripted(answers);
  const sandbox = scripted([]);
  const errors: unknown[] = [];
  let analyzing = false;
  const desk = new GttDesk({
    gtts,
    trading: { live: market.trading, sandbox: sandbox.trading },
    modeOf: () => (analyzing ? 'sandbox' : 'live'),
    clock,
    newId: () => 'GTT-261125-0000abcd',
    onError: (error) => errors.push(error),
  });
  const analyzer = (on: boolean) => void (analyzing = on);
  return { gtts, clock, market, sandbox, analyzer, errors, desk };
}

describe('GttDesk firing', () => {
  it('fires once, placing the leg as a LIMIT order under the GTT’s client order id', async () => {
    const { desk, market, gtts } = await world([]);
    await desk.place(spec);
    market.setPrice('790');
    await desk.evaluate();
    await desk.evaluate();
    expect(market.placed).toEqual([
      {
        accountId: 'acc-1',
        symbol: 'SBIN',
        exchange: 'NSE',
        side: 'BUY',
        quantity: dec(10),
        type: 'LIMIT',
        limitPrice: dec('790.5'),
        product: 'CNC',
        timeInForce: 'DAY',
        strategyTag: 'swing',
        clientOrderId: 'gtt:GTT-261125-0000abcd',
      },
    ]);
    expect(await gtts.listUnplaced(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(await desk.book('acc-1')).toEqual([]);
  });

  it('a placement that meets an unreachable broker is tried again by a pass 30 s on, with the same client order id', async () => {
    const { desk, market, gtts, errors, clock } = await world([new BrokerUnavailable('paper broker timed out')]);
    await desk.place(spec);
    market.setPrice('789');
    await desk.evaluate();
    expect(errors).toEqual([new BrokerUnavailable('paper broker timed out')]);
    expect((await gtts.listUnplaced(Number.MAX_SAFE_INTEGER)).map((gtt) => gtt.id)).toEqual(['GTT-261125-0000abcd']);

    clock.advance(GTT_RETRY_AFTER_MS - 1);
    await desk.evaluate();
    expect(market.placed).toHaveLength(1);
    clock.advance(1);
    await desk.evaluate();
    expect(market.placed.map((request) => request.clientOrderId)).toEqual(['gtt:GTT-261125-0000abcd', 'gtt:GTT-261125-0000abcd']);
    expect(await gtts.listUnplaced(Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('a refused placement is final: recorded, never tried again', async () => {
    const { desk, market, gtts } = await world([new InvalidOrder('Market closed')]);
    await desk.place(spec);
    market.setPrice('790');
    await desk.evaluate();
    await desk.evaluate();
    expect(market.placed).toHaveLength(1);
    expect(await gtts.listUnplaced(Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('gives up on a placement the broker could not take within the client order id’s day, saying why', async () => {
    const unreachable = new BrokerUnavailable('paper broker timed out');
    const { desk, market, gtts, clock } = await world([unreachable, unreachable]);
    await desk.place(spec);
    market.setPrice('790');
    await desk.evaluate();
    clock.advance(24 * 3600 * 1000);
    await desk.evaluate();
    expect(await gtts.listUnplaced(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(market.placed).toHaveLength(2);
  });

  it('a GTT placed in analyzer mode quotes and fires in the sandbox, even once the switch is off, and only there', async () => {
    const { desk, market, sandbox, analyzer } = await world([]);
    analyzer(true);
    sandbox.setPrice('700');
    const placed = await desk.place({ ...spec, legs: [{ direction: 'below', triggerPrice: dec(690), price: dec('690.5') }] });
    expect(placed).toMatchObject({ mode: 'sandbox', lastPrice: dec(700) });
    expect((await desk.book('acc-1')).map((gtt) => gtt.id)).toEqual([placed.id]);

    analyzer(false);
    expect(await desk.book('acc-1')).toEqual([]);
    await expect(desk.cancel('acc-1', placed.id)).rejects.toThrow(GttNotFound);
    // The live market at 690 fires nothing: the GTT watches the sandbox's price.
    market.setPrice('690');
    await desk.evaluate();
    expect(market.placed).toEqual([]);
    sandbox.setPrice('690');
    await desk.evaluate();
    expect(sandbox.placed).toEqual([expect.objectContaining({ accountId: 'acc-1', limitPrice: dec('690.5'), clientOrderId: `gtt:${placed.id}` })]);
    expect(market.placed).toEqual([]);
  });

  it('a live GTT is out of reach in analyzer mode and fires live all the same', async () => {
    const { desk, market, sandbox, analyzer } = await world([]);
    const placed = await desk.place(spec);
    analyzer(true);
    expect(await desk.book('acc-1')).toEqual([]);
    await expect(desk.modify(placed.id, spec)).rejects.toThrow(GttNotFound);
    await expect(desk.cancel('acc-1', placed.id)).rejects.toThrow(GttNotFound);
    sandbox.setPrice('790');
    await desk.evaluate();
    expect(sandbox.placed).toEqual([]);
    market.setPrice('790');
    await desk.evaluate();
    expect(market.placed).toEqual([expect.objectContaining({ clientOrderId: `gtt:${placed.id}` })]);
  });
});
