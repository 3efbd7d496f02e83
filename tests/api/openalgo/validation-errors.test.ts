// OpenAlgo's 400 answers for schema failures: exact bodies, through a Fastify instance configured as the app is.
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';
import { HistoryBody } from '../../../src/api/openalgo/history-schemas.js';
import { MultiQuotesBody } from '../../../src/api/openalgo/market-schemas.js';
import { FULL_REPORT_LIMIT, openAlgoValidatorCompiler } from '../../../src/api/openalgo/request-validation.js';
import {
  AnalyzerToggleBody,
  BasketOrderBody,
  CancelOrderBody,
  FundsBody,
  ModifyOrderBody,
  PlaceOrderBody,
  PlaceSmartOrderBody,
} from '../../../src/api/openalgo/schemas.js';
import {
  OPENALGO_AJV_OPTIONS,
  type ValidationIssue,
  fieldErrorMessage,
  openAlgoErrorHandler,
  pythonRepr,
  validationMessage,
} from '../../../src/api/openalgo/validation-errors.js';

/** Order routes and data routes in their own scopes, each with the error style of its group and the dialect's
 * validators, under a root configured as the app's is. */
function buildApp(): FastifyInstance {
  const app = Fastify({ ajv: { customOptions: OPENALGO_AJV_OPTIONS } });
  void app.register(async (scope) => {
    scope.setValidatorCompiler(openAlgoValidatorCompiler());
    const orders = scope.withTypeProvider<TypeBoxTypeProvider>();
    orders.setErrorHandler(openAlgoErrorHandler('order'));
    orders.post('/placeorder', { schema: { body: PlaceOrderBody } }, async (request) => ({ received: request.body }));
    orders.post('/placesmartorder', { schema: { body: PlaceSmartOrderBody } }, async (request) => ({
      received: request.body,
    }));
    orders.post('/modifyorder', { schema: { body: ModifyOrderBody } }, async (request) => ({ received: request.body }));
    orders.post('/cancelorder', { schema: { body: CancelOrderBody } }, async (request) => ({ received: request.body }));
    orders.post('/basketorder', { schema: { body: BasketOrderBody } }, async (request) => ({ received: request.body }));
    orders.post('/analyzer/toggle', { schema: { body: AnalyzerToggleBody } }, async (request) => ({ received: request.body }));
  });
  void app.register(async (scope) => {
    scope.setValidatorCompiler(openAlgoValidatorCompiler());
    const data = scope.withTypeProvider<TypeBoxTypeProvider>();
    data.setErrorHandler(openAlgoErrorHandler('data'));
    data.post('/funds', { schema: { body: FundsBody } }, async (request) => ({ received: request.body }));
    data.post('/history', { schema: { body: HistoryBody } }, async (request) => ({ received: request.body }));
    data.post('/multiquotes', { schema: { body: MultiQuotesBody } }, async (request) => ({ received: request.body }));
    data.post('/broken', { schema: { body: FundsBody } }, async () => {
      throw new Error('boom');
    });
  });
  // The root's validators, as the native API has them: the first error only.
  app.post('/native', { schema: { body: PlaceOrderBody } }, async (request) => ({ received: request.body }));
  app.setErrorHandler((error: { message: string; validation?: unknown }, _request, reply) =>
    reply.code(error.validation ? 400 : 500).send({ message: error.message }),
  );
  return app;
}

const ORDER = { apikey: 'k'.repeat(64), strategy: 'Test', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1 };
const SMART = { ...ORDER, position_size: 5 };
const MODIFY = { ...ORDER, orderid: '250408000989443', product: 'MIS', pricetype: 'LIMIT', price: 100 };

let app: FastifyInstance;
beforeAll(async () => {
  app = buildApp();
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

async function post(url: string, payload: unknown) {
  const response = await app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  return { statusCode: response.statusCode, body: response.json() as unknown };
}

function without<T extends object>(value: T, key: keyof T): Partial<T> {
  const copy: Partial<T> = { ...value };
  delete copy[key];
  return copy;
}

const orderError = (message: string) => ({ statusCode: 400, body: { status: 'error', message } });

describe('order endpoints answer 400 with the Python repr of the field errors', () => {
  it('reports a missing quantity', async () => {
    expect(await post('/placeorder', without(ORDER, 'quantity'))).toEqual(
      orderError("{'quantity': ['Missing data for required field.']}"),
    );
  });

  it('reports position_size as an unknown field on placeorder', async () => {
    expect(await post('/placeorder', { ...ORDER, position_size: 10 })).toEqual(
      orderError("{'position_size': ['Unknown field.']}"),
    );
  });

  it('lists the allowed price types for a bad pricetype', async () => {
    expect(await post('/placeorder', { ...ORDER, pricetype: 'STOP' })).toEqual(
      orderError("{'pricetype': ['Must be one of: MARKET, LIMIT, SL, SL-M.']}"),
    );
  });

  it('lists the allowed actions and all 14 exchanges', async () => {
    expect(await post('/placeorder', { ...ORDER, action: 'HOLD' })).toEqual(
      orderError("{'action': ['Must be one of: BUY, SELL, buy, sell.']}"),
    );
    expect(await post('/placeorder', { ...ORDER, exchange: 'NASDAQ' })).toEqual(
      orderError(
        "{'exchange': ['Must be one of: NSE, NFO, CDS, BSE, BFO, BCD, MCX, NCDEX, NCO, NSE_INDEX, BSE_INDEX, MCX_INDEX, GLOBAL_INDEX, CRYPTO.']}",
      ),
    );
  });

  it('says a non-numeric quantity is not a valid number', async () => {
    expect(await post('/placeorder', { ...ORDER, quantity: 'abc' })).toEqual(
      orderError("{'quantity': ['Not a valid number.']}"),
    );
  });

  it("uses OpenAlgo's own range messages", async () => {
    expect(await post('/placeorder', { ...ORDER, price: -1 })).toEqual(
      orderError("{'price': ['Price must be a non-negative number.']}"),
    );
    expect(await post('/placeorder', { ...ORDER, quantity: 0 })).toEqual(
      orderError("{'quantity': ['Quantity must be a positive number.']}"),
    );
    expect(await post('/placeorder', { ...ORDER, trigger_price: '-0.05' })).toEqual(
      orderError("{'trigger_price': ['Trigger price must be a non-negative number.']}"),
    );
    expect(await post('/placeorder', { ...ORDER, disclosed_quantity: -1 })).toEqual(
      orderError("{'disclosed_quantity': ['Disclosed quantity must be a non-negative integer.']}"),
    );
  });

  it('says a fractional disclosed quantity is not a valid integer', async () => {
    expect(await post('/placeorder', { ...ORDER, disclosed_quantity: 1.5 })).toEqual(
      orderError("{'disclosed_quantity': ['Not a valid integer.']}"),
    );
  });

  it('gives the apikey length rule as marshmallow words it', async () => {
    expect(await post('/placeorder', { ...ORDER, apikey: '' })).toEqual(
      orderError("{'apikey': ['Length must be between 1 and 256.']}"),
    );
    expect(await post('/placeorder', { ...ORDER, apikey: 'k'.repeat(257) })).toEqual(
      orderError("{'apikey': ['Length must be between 1 and 256.']}"),
    );
  });

  it('refuses infinite numbers that coercion would otherwise let through', async () => {
    expect(await post('/placeorder', { ...ORDER, quantity: 'Infinity' })).toEqual(
      orderError("{'quantity': ['Special numeric values (nan or infinity) are not permitted.']}"),
    );
    expect(await post('/placesmartorder', { ...SMART, position_size: '-1e400' })).toEqual(
      orderError("{'position_size': ['Special numeric values (nan or infinity) are not permitted.']}"),
    );
    expect(await post('/placeorder', { ...ORDER, disclosed_quantity: 'Infinity' })).toEqual(
      orderError("{'disclosed_quantity': ['Not a valid integer.']}"),
    );
  });

  it('says an object where a string belongs is not a valid string', async () => {
    expect(await post('/placeorder', { ...ORDER, symbol: { name: 'SBIN' } })).toEqual(
      orderError("{'symbol': ['Not a valid string.']}"),
    );
  });

  it("words the smart order's quantity rule its own way and requires position_size", async () => {
    expect(await post('/placesmartorder', { ...SMART, quantity: -1 })).toEqual(
      orderError("{'quantity': ['Quantity must be a non-negative number.']}"),
    );
    expect(await post('/placesmartorder', without(SMART, 'position_size'))).toEqual(
      orderError("{'position_size': ['Missing data for required field.']}"),
    );
    expect(await post('/placesmartorder', { ...SMART, position_size: 'flat' })).toEqual(
      orderError("{'position_size': ['Not a valid number.']}"),
    );
  });

  it('still rejects unknown fields on cancelorder', async () => {
    expect(await post('/cancelorder', { apikey: 'k', orderid: '1', symbol: 'SBIN' })).toEqual(
      orderError("{'symbol': ['Unknown field.']}"),
    );
  });

  it('quotes a field name the way Python does', async () => {
    expect(await post('/placeorder', { ...ORDER, "trader's note": 'x' })).toEqual(
      orderError('{"trader\'s note": [\'Unknown field.\']}'),
    );
  });
});

describe('a body that is not a JSON object', () => {
  const invalid = orderError("{'_schema': ['Invalid input type.']}");
  const cases: [string, string | undefined, string][] = [
    ['an array', 'application/json', '[1, 2]'],
    ['a JSON string', 'application/json', '"placeorder"'],
    ['null', 'application/json', 'null'],
    ['an empty JSON body', 'application/json', ''],
    ['malformed JSON', 'application/json', '{"apikey": '],
    ['plain text', 'text/plain', 'apikey=k'],
    ['no body at all', undefined, ''],
  ];
  for (const [name, contentType, payload] of cases) {
    it(`answers _schema: Invalid input type. for ${name}`, async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/placeorder',
        payload,
        headers: contentType ? { 'content-type': contentType } : {},
      });
      expect({ statusCode: response.statusCode, body: response.json() as unknown }).toEqual(invalid);
    });
  }

  it('is a JSON object message on a data endpoint', async () => {
    expect(await post('/funds', ['k'])).toEqual({
      statusCode: 400,
      body: { status: 'error', message: { _schema: ['Invalid input type.'] } },
    });
  });
});

describe('accepted order bodies', () => {
  it('coerces numeric strings to numbers', async () => {
    const { statusCode, body } = await post('/placeorder', {
      ...ORDER,
      quantity: '10',
      pricetype: 'LIMIT',
      price: '100.5',
      disclosed_quantity: '2',
    });
    expect(statusCode).toBe(200);
    expect(body).toEqual({
      received: {
        ...ORDER,
        quantity: 10,
        pricetype: 'LIMIT',
        product: 'MIS',
        price: 100.5,
        trigger_price: 0,
        disclosed_quantity: 2,
      },
    });
  });

  it('fills the defaults: MARKET, MIS, zero prices and disclosed quantity', async () => {
    expect(await post('/placeorder', { ...ORDER, action: 'sell' })).toEqual({
      statusCode: 200,
      body: {
        received: {
          ...ORDER,
          action: 'sell',
          pricetype: 'MARKET',
          product: 'MIS',
          price: 0,
          trigger_price: 0,
          disclosed_quantity: 0,
        },
      },
    });
  });

  it('lets a smart order ask for quantity 0 with a signed target', async () => {
    const { statusCode, body } = await post('/placesmartorder', { ...SMART, quantity: '0', position_size: '-5' });
    expect(statusCode).toBe(200);
    expect(body).toMatchObject({ received: { quantity: 0, position_size: -5, pricetype: 'MARKET', product: 'MIS' } });
  });

  it("accepts the Node SDK's modifyorder body without disclosed_quantity, trigger_price or strategy", async () => {
    const sdkBody = { ...without(MODIFY, 'strategy'), quantity: '2', price: '101.5' };
    const { statusCode, body } = await post('/modifyorder', sdkBody);
    expect(statusCode).toBe(200);
    expect(body).toEqual({
      received: { ...sdkBody, quantity: 2, price: 101.5, strategy: '', disclosed_quantity: 0, trigger_price: 0 },
    });
  });

  it('still requires the fields modifyorder cannot default', async () => {
    expect(await post('/modifyorder', without(MODIFY, 'pricetype'))).toEqual(
      orderError("{'pricetype': ['Missing data for required field.']}"),
    );
  });

  it('takes cancelorder without a strategy', async () => {
    expect(await post('/cancelorder', { apikey: 'k', orderid: '1' })).toEqual({
      statusCode: 200,
      body: { received: { apikey: 'k', orderid: '1' } },
    });
  });

  it('accepts underlying_ltp, which OpenAlgo’s order schema declares', async () => {
    const { statusCode } = await post('/placeorder', { ...ORDER, underlying_ltp: null });
    expect(statusCode).toBe(200);
  });
});

describe('data endpoints', () => {
  it('take a numeric apikey as its string', async () => {
    expect(await post('/funds', { apikey: 7 })).toEqual({ statusCode: 200, body: { received: { apikey: '7' } } });
  });

  it('accept extra fields', async () => {
    expect(await post('/funds', { apikey: 'k', client: 'excel' })).toEqual({
      statusCode: 200,
      body: { received: { apikey: 'k', client: 'excel' } },
    });
  });

  it('answer 400 with a JSON object of field errors', async () => {
    expect(await post('/funds', {})).toEqual({
      statusCode: 400,
      body: { status: 'error', message: { apikey: ['Missing data for required field.'] } },
    });
    expect(await post('/funds', { apikey: '' })).toEqual({
      statusCode: 400,
      body: { status: 'error', message: { apikey: ['Length must be between 1 and 256.'] } },
    });
  });

  it('pass any other error to the parent error handler', async () => {
    const response = await app.inject({ method: 'POST', url: '/broken', payload: { apikey: 'k' } });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ message: 'boom' });
  });
});

const EXCHANGES_RULE =
  'Must be one of: NSE, NFO, CDS, BSE, BFO, BCD, MCX, NCDEX, NCO, NSE_INDEX, BSE_INDEX, MCX_INDEX, GLOBAL_INDEX, CRYPTO.';
const MISSING = 'Missing data for required field.';
const NOT_NULL = 'Field may not be null.';

// Each expected message below is what OpenAlgo's own schema (marshmallow 3.26) answers for the same body.
describe('every failing field is reported at once, in marshmallow order', () => {
  it('names strategy, exchange, symbol, action and quantity when placeorder gets only an apikey', async () => {
    expect(await post('/placeorder', { apikey: 'k' })).toEqual(
      orderError(
        `{'strategy': ['${MISSING}'], 'exchange': ['${MISSING}'], 'symbol': ['${MISSING}'], ` +
          `'action': ['${MISSING}'], 'quantity': ['${MISSING}']}`,
      ),
    );
  });

  it('reports two bad fields together, each with its own message', async () => {
    expect(await post('/placeorder', { ...ORDER, pricetype: 'STOP', price: -1 })).toEqual(
      orderError("{'pricetype': ['Must be one of: MARKET, LIMIT, SL, SL-M.'], 'price': ['Price must be a non-negative number.']}"),
    );
    expect(await post('/placeorder', { ...ORDER, exchange: 'NASDAQ', quantity: 0 })).toEqual(
      orderError(`{'exchange': ['${EXCHANGES_RULE}'], 'quantity': ['Quantity must be a positive number.']}`),
    );
  });

  it('orders fields as declared, unknown fields last in the order they came', async () => {
    expect(await post('/placeorder', { zeta: 1, price: -1, action: 'HOLD', alpha: 2, strategy: 'S', exchange: 'NSE', symbol: 'X' })).toEqual(
      orderError(
        `{'apikey': ['${MISSING}'], 'action': ['Must be one of: BUY, SELL, buy, sell.'], ` +
          `'quantity': ['${MISSING}'], 'price': ['Price must be a non-negative number.'], ` +
          "'zeta': ['Unknown field.'], 'alpha': ['Unknown field.']}",
      ),
    );
  });

  it('lists every field modifyorder requires', async () => {
    expect(await post('/modifyorder', { apikey: 'k' })).toEqual(
      orderError(
        `{'exchange': ['${MISSING}'], 'symbol': ['${MISSING}'], 'orderid': ['${MISSING}'], 'action': ['${MISSING}'], ` +
          `'product': ['${MISSING}'], 'pricetype': ['${MISSING}'], 'price': ['${MISSING}'], 'quantity': ['${MISSING}']}`,
      ),
    );
  });

  it('gives a field of the wrong type only its type message, not its rules too', async () => {
    expect(await post('/placeorder', { ...ORDER, exchange: { code: 'NSE' }, quantity: 'abc', price: 'x' })).toEqual(
      orderError("{'exchange': ['Not a valid string.'], 'quantity': ['Not a valid number.'], 'price': ['Not a valid number.']}"),
    );
  });

  it('reports the bad legs of a basket by position, fields in order, unknown ones last', async () => {
    const good = { exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1 };
    const body = {
      apikey: 'k',
      strategy: 'S',
      orders: [good, { exchange: 'X', symbol: 'A', action: 'HOLD', quantity: 0 }, { symbol: 'A', action: 'BUY', quantity: 'q', extra: 1 }],
    };
    expect(await post('/basketorder', body)).toEqual(
      orderError(
        `{'orders': {1: {'exchange': ['${EXCHANGES_RULE}'], 'action': ['Must be one of: BUY, SELL, buy, sell.'], ` +
          "'quantity': ['Quantity must be a positive number.']}, " +
          `2: {'exchange': ['${MISSING}'], 'quantity': ['Not a valid number.'], 'extra': ['Unknown field.']}}}`,
      ),
    );
  });

  it('says a basket leg that is not an object is invalid input, and one that is null may not be', async () => {
    expect(await post('/basketorder', { apikey: 'k', strategy: 'S', orders: [1, null, 'x'] })).toEqual(
      orderError(`{'orders': {0: {'_schema': ['Invalid input type.']}, 1: ['${NOT_NULL}'], 2: {'_schema': ['Invalid input type.']}}}`),
    );
    expect(await post('/basketorder', { apikey: 'k', strategy: 'S', orders: { a: 1 } })).toEqual(
      orderError("{'orders': ['Not a valid list.']}"),
    );
    expect(await post('/basketorder', { apikey: 'k' })).toEqual(
      orderError(`{'strategy': ['${MISSING}'], 'orders': ['${MISSING}']}`),
    );
  });
});

describe('null fields', () => {
  it('may not be null, whatever their type, and say nothing else', async () => {
    const body = { ...ORDER, strategy: null, exchange: null, quantity: null, price: null, underlying_ltp: null };
    expect(await post('/placeorder', body)).toEqual(
      orderError(`{'strategy': ['${NOT_NULL}'], 'exchange': ['${NOT_NULL}'], 'quantity': ['${NOT_NULL}'], 'price': ['${NOT_NULL}']}`),
    );
  });

  it('may not be null where the field has a default either', async () => {
    const body = { ...ORDER, pricetype: null, product: null, trigger_price: null, disclosed_quantity: null };
    expect(await post('/placeorder', body)).toEqual(
      orderError(
        `{'pricetype': ['${NOT_NULL}'], 'product': ['${NOT_NULL}'], 'trigger_price': ['${NOT_NULL}'], 'disclosed_quantity': ['${NOT_NULL}']}`,
      ),
    );
  });

  it('are refused beside other errors of the same body', async () => {
    expect(await post('/placesmartorder', { ...SMART, quantity: 'abc', position_size: null, price: 'x' })).toEqual(
      orderError(`{'quantity': ['Not a valid number.'], 'position_size': ['${NOT_NULL}'], 'price': ['Not a valid number.']}`),
    );
  });

  it('never switch the analyzer (null is not false)', async () => {
    expect(await post('/analyzer/toggle', { apikey: 'k', mode: null })).toEqual(orderError(`{'mode': ['${NOT_NULL}']}`));
  });

  it('are refused on a data endpoint too', async () => {
    expect(await post('/funds', { apikey: null })).toEqual({
      statusCode: 400,
      body: { status: 'error', message: { apikey: [NOT_NULL] } },
    });
  });
});

describe('data endpoints report every failing field as a JSON object', () => {
  it('with its keys sorted, as Flask sends it', async () => {
    const body = { apikey: '', symbol: null, exchange: 'X', interval: '7m', start_date: '2024/01/01' };
    const response = await post('/history', body);
    expect(response).toEqual({
      statusCode: 400,
      body: {
        status: 'error',
        message: {
          apikey: ['Length must be between 1 and 256.'],
          end_date: [MISSING],
          exchange: [EXCHANGES_RULE],
          interval: ['Must be one of: 1s, 5s, 10s, 15s, 30s, 45s, 1m, 2m, 3m, 5m, 10m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, D, W, M, Q, Y.'],
          start_date: ['Not a valid date.'],
          symbol: [NOT_NULL],
        },
      },
    });
    expect(Object.keys((response.body as { message: object }).message)).toEqual([
      'apikey',
      'end_date',
      'exchange',
      'interval',
      'start_date',
      'symbol',
    ]);
  });

  it('with the entries of a list under their positions', async () => {
    expect(await post('/multiquotes', { apikey: 'k', symbols: [{ symbol: 'A' }, { exchange: 'NSE', symbol: null }, null] })).toEqual({
      statusCode: 400,
      body: {
        status: 'error',
        message: { symbols: { 0: { exchange: [MISSING] }, 1: { symbol: [NOT_NULL] }, 2: [NOT_NULL] } },
      },
    });
    expect(await post('/multiquotes', { apikey: 'k', symbols: [] })).toEqual({
      statusCode: 400,
      body: { status: 'error', message: { symbols: ['Shorter than minimum length 1.'] } },
    });
  });
});

describe('the size of an error report', () => {
  it(`lists every error of a body of up to ${FULL_REPORT_LIMIT} values`, async () => {
    const orders = Array.from({ length: 90 }, () => ({ exchange: 'NSE', symbol: 'SBIN', action: 'HOLD', quantity: 1 }));
    const { body } = await post('/basketorder', { apikey: 'k', strategy: 'S', orders });
    const message = (body as { message: string }).message;
    expect(message.match(/Must be one of: BUY, SELL, buy, sell\./g)).toHaveLength(90);
  });

  it('gives only the first error of a larger one, so a flood of bad legs costs no more than one', async () => {
    const orders = Array.from({ length: FULL_REPORT_LIMIT }, () => ({}));
    expect(await post('/basketorder', { apikey: 'k', strategy: 'S', orders })).toEqual(
      orderError(`{'orders': {0: {'exchange': ['${MISSING}']}}}`),
    );
  });

  it('leaves the root validators, which the native API uses, stopping at the first error', async () => {
    const response = await app.inject({ method: 'POST', url: '/native', payload: { apikey: 'k' } });
    expect(response.json()).toEqual({ message: "body must have required property 'strategy'" });
  });
});

describe('objects nested without the dialect\'s keywords', () => {
  it('still read numbers as Python does and refuse nulls', async () => {
    const legs = Type.Object(
      { legs: Type.Array(Type.Object({ quantity: Type.Integer(), offset: Type.String() })) },
      { additionalProperties: false },
    );
    const nested = Fastify({ ajv: { customOptions: OPENALGO_AJV_OPTIONS } });
    nested.setValidatorCompiler(openAlgoValidatorCompiler());
    nested.setErrorHandler(openAlgoErrorHandler('order'));
    nested.post('/legs', { schema: { body: legs } }, async (request) => ({ received: request.body }));
    const send = async (payload: unknown) => (await nested.inject({ method: 'POST', url: '/legs', payload: payload as object })).json() as unknown;
    expect(await send({ legs: [{ quantity: '1_0', offset: 'ATM' }] })).toEqual({ received: { legs: [{ quantity: 10, offset: 'ATM' }] } });
    expect(await send({ legs: [{ quantity: '0x10', offset: null }, { quantity: 'true', offset: 'ITM1' }] })).toEqual({
      status: 'error',
      message: "{'legs': {0: {'quantity': ['Not a valid integer.'], 'offset': ['Field may not be null.']}, 1: {'quantity': ['Not a valid integer.']}}}",
    });
    await nested.close();
  });

  it("report a union of one type and null as that type's field", async () => {
    const body = Type.Object({ strike_int: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])) });
    const nullable = Fastify({ ajv: { customOptions: OPENALGO_AJV_OPTIONS } });
    nullable.setValidatorCompiler(openAlgoValidatorCompiler());
    nullable.setErrorHandler(openAlgoErrorHandler('order'));
    nullable.post('/n', { schema: { body } }, async (request) => ({ received: request.body }));
    const send = async (payload: object) => (await nullable.inject({ method: 'POST', url: '/n', payload })).json() as unknown;
    expect(await send({ strike_int: null })).toEqual({ received: { strike_int: null } });
    expect(await send({ strike_int: 0 })).toEqual({ status: 'error', message: "{'strike_int': ['Must be greater than or equal to 1.']}" });
    expect(await send({ strike_int: 'abc' })).toEqual({ status: 'error', message: "{'strike_int': ['Not a valid integer.']}" });
    await nullable.close();
  });
});

describe('through the gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway();
  });
  afterAll(() => h.close());

  it('/api/v1 reports every failing field, while the native API still answers with the first', async () => {
    expect(await h.post('/api/v1/placeorder', { apikey: h.key, quantity: null })).toEqual({
      status: 400,
      body: {
        status: 'error',
        message:
          `{'strategy': ['${MISSING}'], 'exchange': ['${MISSING}'], 'symbol': ['${MISSING}'], ` +
          `'action': ['${MISSING}'], 'quantity': ['${NOT_NULL}']}`,
      },
    });
    expect(await h.post('/api/auth/login', { password: null })).toEqual({
      status: 400,
      body: { status: 'error', code: 'invalid_request', message: "body must have required property 'username'" },
    });
  });
});

describe('validationMessage', () => {
  it("reads custom messages from Fastify's errors alone (Ajv verbose)", async () => {
    const captured: ValidationIssue[][] = [];
    const probe = Fastify({ ajv: { customOptions: OPENALGO_AJV_OPTIONS } });
    probe.setErrorHandler((error: { validation?: ValidationIssue[] }, _request, reply) => {
      captured.push(error.validation ?? []);
      return reply.code(400).send();
    });
    probe.post('/placeorder', { schema: { body: PlaceOrderBody } }, async () => ({}));
    await probe.inject({ method: 'POST', url: '/placeorder', payload: { ...ORDER, quantity: 0 } });
    await probe.close();
    expect(validationMessage(captured[0] ?? [], 'order')).toBe("{'quantity': ['Quantity must be a positive number.']}");
  });

  it("falls back to marshmallow's default rule messages without any schema", () => {
    const issues: ValidationIssue[] = [
      { instancePath: '/quantity', keyword: 'exclusiveMinimum', params: { comparison: '>', limit: 0 } },
      { instancePath: '/apikey', keyword: 'minLength', params: { limit: 1 } },
      { instancePath: '/note', keyword: 'maxLength', params: { limit: 10 } },
      { instancePath: '/size', keyword: 'maximum', params: { comparison: '<=', limit: 2.5 } },
    ];
    expect(validationMessage(issues, 'data')).toEqual({
      apikey: ['Shorter than minimum length 1.'],
      note: ['Longer than maximum length 10.'],
      quantity: ['Must be greater than 0.'],
      size: ['Must be less than or equal to 2.5.'],
    });
  });

  it('sorts the keys of a data-endpoint message as Flask does, and keeps schema order for order endpoints', () => {
    const issues: ValidationIssue[] = [
      { instancePath: '', keyword: 'required', params: { missingProperty: 'symbol' } },
      { instancePath: '', keyword: 'required', params: { missingProperty: 'exchange' } },
      { instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'Zed' } },
    ];
    expect(Object.keys(validationMessage(issues, 'data'))).toEqual(['Zed', 'exchange', 'symbol']);
    expect(validationMessage(issues, 'order', PlaceOrderBody)).toBe(
      "{'exchange': ['Missing data for required field.'], 'symbol': ['Missing data for required field.'], 'Zed': ['Unknown field.']}",
    );
  });

  it('nests errors inside lists under int keys', () => {
    const issues: ValidationIssue[] = [
      { instancePath: '/orders/1', keyword: 'required', params: { missingProperty: 'symbol' } },
      { instancePath: '/orders/0/quantity', keyword: 'type', params: { type: 'number' } },
    ];
    expect(validationMessage(issues, 'order')).toBe(
      "{'orders': {0: {'quantity': ['Not a valid number.']}, 1: {'symbol': ['Missing data for required field.']}}}",
    );
    expect(validationMessage(issues, 'data')).toEqual({
      orders: { 0: { quantity: ['Not a valid number.'] }, 1: { symbol: ['Missing data for required field.'] } },
    });
  });

  it('merges several messages for one field without repeating them', () => {
    const issues: ValidationIssue[] = [
      { instancePath: '/symbol', keyword: 'pattern', params: { pattern: '^[A-Z]+$' } },
      { instancePath: '/symbol', keyword: 'pattern', params: { pattern: '^[A-Z]+$' } },
      { instancePath: '/symbol', keyword: 'enum', params: { allowedValues: ['SBIN', 'INFY'] } },
    ];
    expect(validationMessage(issues, 'order')).toBe(
      "{'symbol': ['String does not match expected pattern.', 'Must be one of: SBIN, INFY.']}",
    );
  });
});

describe('fieldErrorMessage', () => {
  it('renders one late field error in either style', () => {
    const message = 'Fractional quantity (1.9) is not allowed for non-crypto exchanges.';
    expect(fieldErrorMessage('quantity', message, 'order')).toBe(`{'quantity': ['${message}']}`);
    expect(fieldErrorMessage('quantity', message, 'data')).toEqual({ quantity: [message] });
  });
});

describe('pythonRepr', () => {
  it('prints dicts, lists and strings as str(dict) does', () => {
    expect(pythonRepr({ quantity: ['Missing data for required field.'], action: ['a', 'b'] })).toBe(
      "{'quantity': ['Missing data for required field.'], 'action': ['a', 'b']}",
    );
    expect(pythonRepr({})).toBe('{}');
    expect(pythonRepr([])).toBe('[]');
  });

  it('chooses quotes and escapes like CPython', () => {
    expect(pythonRepr("it's")).toBe('"it\'s"');
    expect(pythonRepr('say "hi"')).toBe("'say \"hi\"'");
    expect(pythonRepr(`both ' and "`)).toBe(`'both \\' and "'`);
    expect(pythonRepr('back\\slash\nnew\ttab')).toBe("'back\\\\slash\\nnew\\ttab'");
    expect(pythonRepr('\u0000\u007f\u00a0\u200b')).toBe("'\\x00\\x7f\\xa0\\u200b'");
    expect(pythonRepr('₹ नमस्ते 🚀')).toBe("'₹ नमस्ते 🚀'");
  });

  it('prints scalars as Python literals', () => {
    expect(pythonRepr(null)).toBe('None');
    expect(pythonRepr(true)).toBe('True');
    expect(pythonRepr(false)).toBe('False');
    expect(pythonRepr(42)).toBe('42');
    expect(pythonRepr(-0.5)).toBe('-0.5');
    expect(pythonRepr(0.00001)).toBe('1e-05');
    expect(pythonRepr(1e22)).toBe('10000000000000000000000');
    expect(pythonRepr(Number.POSITIVE_INFINITY)).toBe('inf');
  });

  it('prints Map keys that are numbers without quotes', () => {
    expect(pythonRepr(new Map<string | number, string[]>([[0, ['x']], ['1', ['y']]]))).toBe("{0: ['x'], '1': ['y']}");
  });
});
