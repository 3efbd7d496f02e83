// Numeric fields of the v1 order endpoints over HTTP: read as OpenAlgo's marshmallow reads them (Python's float() for
// Float fields, int() for Integer fields), so a value OpenAlgo refuses is refused here, in its words, on every
// endpoint, and a value it accepts places the quantity it means.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startGateway({ env: { ORDER_RATE_LIMIT: '1000 per second' } });
  h.setPrice('SBIN', 'NSE', '10');
});
afterAll(() => h.close());

const ORDER = { strategy: 'numbers', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', product: 'MIS', pricetype: 'MARKET', quantity: 1 };
const v1 = (route: string, body: Record<string, unknown>) => h.post(`/api/v1/${route}`, { apikey: h.key, ...body });
const refused = (message: string) => ({ status: 400, body: { status: 'error', message } });

const NOT_A_NUMBER = 'Not a valid number.';
const NOT_AN_INTEGER = 'Not a valid integer.';
const SPECIAL = 'Special numeric values (nan or infinity) are not permitted.';

/** The quantity of the order placed with `quantity` as sent. */
async function placedQuantity(quantity: unknown): Promise<unknown> {
  const placed = await v1('placeorder', { ...ORDER, quantity });
  expect(placed.status).toBe(200);
  const status = await v1('orderstatus', { strategy: 'numbers', orderid: placed.body.orderid });
  return (status.body.data as Record<string, unknown>).quantity;
}

describe('a Float field (quantity, price, trigger_price, position_size)', () => {
  it.each([
    ['a hexadecimal literal', '0x10'],
    ['an octal literal', '0o17'],
    ['a binary literal', '0b11'],
    ['true', true],
    ['false', false],
    ['an empty string', ''],
    ['blanks', '  '],
    ['two numbers', '1 2'],
    ['a doubled underscore', '1__000'],
    ['a leading underscore', '_1'],
    ['a sign with a space after it', '- 5'],
    ['a word', 'five'],
    ['a list', [5]],
    ['an object', { value: 5 }],
  ])('refuses %s as not a valid number', async (_name, quantity) => {
    expect(await v1('placeorder', { ...ORDER, quantity })).toEqual(refused(`{'quantity': ['${NOT_A_NUMBER}']}`));
  });

  it.each(['NaN', 'nan', 'inf', '-inf', 'Infinity', 'iNfInItY', '1e400'])(
    'refuses %s as a special value',
    async (quantity) => {
      expect(await v1('placeorder', { ...ORDER, quantity })).toEqual(refused(`{'quantity': ['${SPECIAL}']}`));
    },
  );

  it('refuses null: the field may not be null', async () => {
    expect(await v1('placeorder', { ...ORDER, quantity: null })).toEqual(
      refused("{'quantity': ['Field may not be null.']}"),
    );
  });

  it.each([
    ['surrounding blanks', ' 5 ', 5],
    ['a plus sign', '+5', 5],
    ['an exponent', '1e3', 1000],
    ['an upper-case exponent with a fraction', '1.5E1', 15],
    ['underscores between digits', '1_000', 1000],
    ['leading zeros', '007', 7],
    ['a trailing point', '5.', 5],
    ['tabs and newlines', '\t5\n', 5],
    ['Arabic-Indic digits', '١٢', 12],
    ['full-width digits', '１２', 12],
    ['a JSON number', 3, 3],
  ])('accepts %s as Python does', async (_name, quantity, expected) => {
    expect(await placedQuantity(quantity)).toBe(expected);
  });

  it('reads a price the same way: "0x10" is refused, " +8.5e0 " is 8.5', async () => {
    const limit = { ...ORDER, pricetype: 'LIMIT' };
    expect(await v1('placeorder', { ...limit, price: '0x10' })).toEqual(refused(`{'price': ['${NOT_A_NUMBER}']}`));
    expect(await v1('placeorder', { ...limit, price: true })).toEqual(refused(`{'price': ['${NOT_A_NUMBER}']}`));
    expect(await v1('placeorder', { ...ORDER, pricetype: 'SL-M', trigger_price: '0b1' })).toEqual(
      refused(`{'trigger_price': ['${NOT_A_NUMBER}']}`),
    );
    const placed = await v1('placeorder', { ...limit, price: ' +8.5e0 ' });
    expect(placed.status).toBe(200);
    const status = await v1('orderstatus', { strategy: 'numbers', orderid: placed.body.orderid });
    expect(status.body.data).toMatchObject({ price: 8.5, pricetype: 'LIMIT', order_status: 'open' });
  });
});

describe('an Integer field (disclosed_quantity, splitsize)', () => {
  it.each([
    ['a hexadecimal literal', '0x10', NOT_AN_INTEGER],
    ['a fraction', '5.0', NOT_AN_INTEGER],
    ['an exponent', '1e1', NOT_AN_INTEGER],
    ['true', true, NOT_AN_INTEGER],
    ['infinity', 'inf', NOT_AN_INTEGER],
    ['null', null, 'Field may not be null.'],
  ])('refuses %s', async (_name, disclosed, message) => {
    expect(await v1('placeorder', { ...ORDER, disclosed_quantity: disclosed })).toEqual(
      refused(`{'disclosed_quantity': ['${message}']}`),
    );
  });

  it('takes " +1_0 " as 10, as int() does', async () => {
    const reply = await v1('splitorder', { ...ORDER, quantity: 25, splitsize: ' +1_0 ' });
    expect(reply.status).toBe(200);
    expect((reply.body.results as Record<string, unknown>[]).map((r) => r.quantity)).toEqual([10, 10, 5]);
  });
});

describe('every order endpoint reads its numbers the same way', () => {
  it('placesmartorder', async () => {
    expect(await v1('placesmartorder', { ...ORDER, position_size: '0x10' })).toEqual(
      refused(`{'position_size': ['${NOT_A_NUMBER}']}`),
    );
    expect(await v1('placesmartorder', { ...ORDER, quantity: true, position_size: 1 })).toEqual(
      refused(`{'quantity': ['${NOT_A_NUMBER}']}`),
    );
  });

  it('splitorder', async () => {
    expect(await v1('splitorder', { ...ORDER, quantity: '0o17', splitsize: 5 })).toEqual(
      refused(`{'quantity': ['${NOT_A_NUMBER}']}`),
    );
    expect(await v1('splitorder', { ...ORDER, quantity: 10, splitsize: '0b11' })).toEqual(
      refused(`{'splitsize': ['${NOT_AN_INTEGER}']}`),
    );
  });

  it('basketorder, leg by leg', async () => {
    const { strategy: _strategy, ...leg } = ORDER;
    expect(await v1('basketorder', { strategy: 'numbers', orders: [leg, { ...leg, quantity: '0x10' }] })).toEqual(
      refused(`{'orders': {1: {'quantity': ['${NOT_A_NUMBER}']}}}`),
    );
    const placed = await v1('basketorder', { strategy: 'numbers', orders: [{ ...leg, quantity: ' 2e1 ' }] });
    expect(placed.status).toBe(200);
    const [result] = placed.body.results as Record<string, unknown>[];
    const status = await v1('orderstatus', { strategy: 'numbers', orderid: result?.orderid });
    expect((status.body.data as Record<string, unknown>).quantity).toBe(20);
  });

  it('modifyorder', async () => {
    const placed = await v1('placeorder', { ...ORDER, pricetype: 'LIMIT', price: 8 });
    const modify = { ...ORDER, orderid: placed.body.orderid, pricetype: 'LIMIT', price: 9, disclosed_quantity: 0, trigger_price: 0 };
    expect(await v1('modifyorder', { ...modify, price: '0x10' })).toEqual(refused(`{'price': ['${NOT_A_NUMBER}']}`));
    expect(await v1('modifyorder', { ...modify, quantity: false })).toEqual(refused(`{'quantity': ['${NOT_A_NUMBER}']}`));
    expect((await v1('modifyorder', { ...modify, quantity: '+3', price: ' 9.5 ' })).status).toBe(200);
    const status = await v1('orderstatus', { strategy: 'numbers', orderid: placed.body.orderid });
    expect(status.body.data).toMatchObject({ quantity: 3, price: 9.5 });
  });

  it('keeps underlying_ltp nullable, as OpenAlgo declares it', async () => {
    expect((await v1('placeorder', { ...ORDER, underlying_ltp: null })).status).toBe(200);
    expect(await v1('placeorder', { ...ORDER, underlying_ltp: '0x10' })).toEqual(
      refused(`{'underlying_ltp': ['${NOT_A_NUMBER}']}`),
    );
  });
});
