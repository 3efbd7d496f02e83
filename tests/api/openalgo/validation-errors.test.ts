// OpenAlgo's 400 answers for schema failures: exact bodies, through a Fastify instance configured as the app is.
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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

/** Order routes and data routes in their own scopes, each with the error style of its group. */
function buildApp(ajvOverrides: Record<string, unknown> = {}): FastifyInstance {
  const app = Fastify({ ajv: { customOptions: { ...OPENALGO_AJV_OPTIONS, ...ajvOverrides } } });
  void app.register(async (scope) => {
    const orders = scope.withTypeProvider<TypeBoxTypeProvider>();
    orders.setErrorHandler(openAlgoErrorHandler('order'));
    orders.post('/placeorder', { schema: { body: PlaceOrderBody } }, async (request) => ({ received: request.body }));
    orders.post('/placesmartorder', { schema: { body: PlaceSmartOrderBody } }, async (request) => ({
      received: request.body,
    }));
    orders.post('/modifyorder', { schema: { body: ModifyOrderBody } }, async (request) => ({ received: request.body }));
    orders.post('/cancelorder', { schema: { body: CancelOrderBody } }, async (request) => ({ received: request.body }));
  });
  void app.register(async (scope) => {
    const data = scope.withTypeProvider<TypeBoxTypeProvider>();
    data.setErrorHandler(openAlgoErrorHandler('data'));
    data.post('/funds', { schema: { body: FundsBody } }, async (request) => ({ received: request.body }));
    data.post('/broken', { schema: { body: FundsBody } }, async () => {
      throw new Error('boom');
    });
  });
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

describe('with allErrors every failure is reported, in marshmallow order', () => {
  let all: FastifyInstance;
  beforeAll(async () => {
    all = buildApp({ allErrors: true });
    await all.ready();
  });
  afterAll(async () => {
    await all.close();
  });

  it('orders fields as declared, unknown fields last', async () => {
    const response = await all.inject({
      method: 'POST',
      url: '/placeorder',
      payload: { zeta: 1, price: -1, action: 'HOLD', alpha: 2, strategy: 'S', exchange: 'NSE', symbol: 'X' },
    });
    expect(response.json()).toEqual({
      status: 'error',
      message:
        "{'apikey': ['Missing data for required field.'], 'action': ['Must be one of: BUY, SELL, buy, sell.'], " +
        "'quantity': ['Missing data for required field.'], 'price': ['Price must be a non-negative number.'], " +
        "'zeta': ['Unknown field.'], 'alpha': ['Unknown field.']}",
    });
  });

  it('reports a data endpoint the same way, as an object', async () => {
    const response = await all.inject({ method: 'POST', url: '/funds', payload: { apikey: '' } });
    expect(response.json()).toEqual({ status: 'error', message: { apikey: ['Length must be between 1 and 256.'] } });
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
