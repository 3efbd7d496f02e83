// The v1 schemas: what each body requires, allows and defaults, and that the answers they document serialize as sent.
import Fastify from 'fastify';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  ApiKeyBody,
  BasketOrderBody,
  CancelAllOrderBody,
  CancelOrderBody,
  ClosePositionBody,
  ErrorResponse,
  FundsResponse,
  HoldingsResponse,
  ModifyOrderBody,
  OPENALGO_ENDPOINTS,
  OpenPositionBody,
  OrderBookResponse,
  OrderStatusBody,
  OrderStatusResponse,
  PingResponse,
  PlaceOrderBody,
  PlaceSmartOrderBody,
  PlaceSmartOrderResponse,
  PositionBookResponse,
  TradeBookResponse,
} from '../../../src/api/openalgo/schemas.js';
import { MultiQuotesBody } from '../../../src/api/openalgo/market-schemas.js';
import { admitsNull, marshmallowReading } from '../../../src/api/openalgo/request-validation.js';
import { OPENALGO_AJV_OPTIONS } from '../../../src/api/openalgo/validation-errors.js';
import { EXCHANGES } from '../../../src/domain/instrument.js';

type Node = Record<string, unknown>;
const node = (schema: unknown): Node => schema as Node;
const prop = (schema: unknown, name: string): Node => node(node(schema).properties)[name] as Node;

const ORDER_BODIES = {
  PlaceOrderBody,
  PlaceSmartOrderBody,
  ModifyOrderBody,
  CancelOrderBody,
  CancelAllOrderBody,
  ClosePositionBody,
  OrderStatusBody,
  OpenPositionBody,
};

describe('order bodies', () => {
  it('require what OpenAlgo requires, in its field order', () => {
    expect(PlaceOrderBody.required).toEqual(['apikey', 'strategy', 'exchange', 'symbol', 'action', 'quantity']);
    expect(Object.keys(PlaceOrderBody.properties)).toEqual([
      'apikey',
      'strategy',
      'exchange',
      'symbol',
      'action',
      'quantity',
      'pricetype',
      'product',
      'price',
      'trigger_price',
      'disclosed_quantity',
      'underlying_ltp',
    ]);
    expect(PlaceSmartOrderBody.required).toEqual([
      'apikey',
      'strategy',
      'exchange',
      'symbol',
      'action',
      'quantity',
      'position_size',
    ]);
  });

  it('make strategy, disclosed_quantity and trigger_price optional on modifyorder (superset)', () => {
    expect(ModifyOrderBody.required).toEqual([
      'apikey',
      'exchange',
      'symbol',
      'orderid',
      'action',
      'product',
      'pricetype',
      'price',
      'quantity',
    ]);
    expect(prop(ModifyOrderBody, 'strategy').default).toBe('');
    expect(prop(ModifyOrderBody, 'disclosed_quantity').default).toBe(0);
    expect(prop(ModifyOrderBody, 'trigger_price').default).toBe(0);
  });

  it('make strategy optional where OpenAlgo requires it but uses it for nothing (superset)', () => {
    expect(CancelOrderBody.required).toEqual(['apikey', 'orderid']);
    expect(CancelAllOrderBody.required).toEqual(['apikey']);
    expect(ClosePositionBody.required).toEqual(['apikey']);
    expect(OrderStatusBody.required).toEqual(['apikey', 'orderid']);
    expect(OpenPositionBody.required).toEqual(['apikey', 'symbol', 'exchange', 'product']);
  });

  it('reject unknown fields', () => {
    for (const body of Object.values(ORDER_BODIES)) expect(node(body).additionalProperties).toBe(false);
  });

  it('take the 14 exchanges in OpenAlgo order, but leave openposition unchecked as OpenAlgo does', () => {
    expect(prop(PlaceOrderBody, 'exchange').enum).toEqual([...EXCHANGES]);
    expect(EXCHANGES).toHaveLength(14);
    expect(prop(OpenPositionBody, 'exchange')).not.toHaveProperty('enum');
  });

  it('default pricetype, product, prices and disclosed quantity', () => {
    for (const body of [PlaceOrderBody, PlaceSmartOrderBody]) {
      expect(prop(body, 'pricetype')).toMatchObject({ enum: ['MARKET', 'LIMIT', 'SL', 'SL-M'], default: 'MARKET' });
      expect(prop(body, 'product')).toMatchObject({ enum: ['MIS', 'NRML', 'CNC'], default: 'MIS' });
      expect(prop(body, 'price')).toMatchObject({ type: 'number', minimum: 0, default: 0 });
      expect(prop(body, 'trigger_price')).toMatchObject({ type: 'number', minimum: 0, default: 0 });
      expect(prop(body, 'disclosed_quantity')).toMatchObject({ type: 'integer', minimum: 0, default: 0 });
    }
    expect(prop(PlaceOrderBody, 'quantity')).toMatchObject({ type: 'number', exclusiveMinimum: 0 });
    expect(prop(PlaceSmartOrderBody, 'quantity')).toMatchObject({ type: 'number', minimum: 0 });
    expect(prop(PlaceSmartOrderBody, 'position_size')).toEqual(expect.not.objectContaining({ minimum: expect.anything() }));
  });
});

describe('data bodies', () => {
  it('need only an apikey of 1–256 characters and allow other fields', () => {
    for (const name of ['orderbook', 'tradebook', 'positionbook', 'holdings', 'funds', 'ping'] as const) {
      const body = OPENALGO_ENDPOINTS[name].body;
      expect(body.required).toEqual(['apikey']);
      expect(prop(body, 'apikey')).toMatchObject({ type: 'string', minLength: 1, maxLength: 256 });
      expect(node(body)).not.toHaveProperty('additionalProperties');
    }
    expect(Value.Check(ApiKeyBody, { apikey: 'k', extra: true })).toBe(true);
  });
});

describe('as the dialect validates them', () => {
  /** Every object and array of a schema, with its path. */
  function* containers(schema: unknown, path = 'body'): Generator<[string, Node]> {
    if (typeof schema !== 'object' || schema === null) return;
    const each = node(schema);
    if (each.type === 'object' || each.type === 'array') yield [path, each];
    for (const [name, member] of Object.entries(node(each.properties ?? {}))) yield* containers(member, `${path}.${name}`);
    if (each.items) yield* containers(each.items, `${path}[]`);
  }

  it('read numbers as Python does and refuse nulls in every object and list, nested ones too', () => {
    const read = marshmallowReading(BasketOrderBody);
    expect([...containers(read)].map(([path, each]) => [path, each['x-number-text'], each['x-null-check']])).toEqual([
      ['body', 'python', true],
      ['body.orders', undefined, true],
      ['body.orders[]', 'python', true],
    ]);
    const quotes = [...containers(marshmallowReading(MultiQuotesBody))];
    expect(quotes.map(([path, each]) => [path, each['x-number-text'], each['x-null-check']])).toContainEqual(['body.symbols[]', 'python', true]);
    // The schema the route declares, and the OpenAPI document shows, is left as it was.
    expect(node(node(BasketOrderBody.properties.orders).items)).not.toHaveProperty('x-null-check');
  });

  it('take null only where OpenAlgo allows None', () => {
    const nullable = Object.entries(PlaceOrderBody.properties)
      .filter(([, schema]) => admitsNull(schema))
      .map(([name]) => name);
    expect(nullable).toEqual(['underlying_ltp']);
  });
});

describe('documentation', () => {
  const everySchema = Object.entries(OPENALGO_ENDPOINTS).flatMap(([name, { body, response }]) => [
    [`${name} body`, body],
    [`${name} response`, response],
  ] as [string, TSchema][]).concat([['error', ErrorResponse]]);

  /** Paths of object properties without a description, and any `$id`. */
  function undocumented(schema: unknown, path: string): string[] {
    if (Array.isArray(schema)) return schema.flatMap((item, i) => undocumented(item, `${path}/${i}`));
    if (typeof schema !== 'object' || schema === null) return [];
    const found: string[] = '$id' in schema ? [`${path} has $id`] : [];
    const { properties } = schema as { properties?: Record<string, Node> };
    for (const [key, child] of Object.entries(properties ?? {})) {
      if (typeof child.description !== 'string') found.push(`${path}.${key}`);
    }
    for (const [key, child] of Object.entries(schema)) found.push(...undocumented(child, `${path}/${key}`));
    return found;
  }

  it('describes every field of every body and answer, with no $id', () => {
    for (const [name, schema] of everySchema) expect(undocumented(schema, name)).toEqual([]);
  });

  it('names an error style for each endpoint as reference §1.4 does', () => {
    const styles = Object.fromEntries(Object.entries(OPENALGO_ENDPOINTS).map(([name, e]) => [name, e.errorStyle]));
    expect(styles).toEqual({
      placeorder: 'order',
      placesmartorder: 'order',
      modifyorder: 'order',
      cancelorder: 'order',
      cancelallorder: 'order',
      closeposition: 'order',
      orderstatus: 'order',
      openposition: 'order',
      orderbook: 'data',
      tradebook: 'data',
      positionbook: 'data',
      holdings: 'data',
      funds: 'data',
      ping: 'data',
    });
  });
});

const ORDER_ROW = {
  action: 'BUY',
  symbol: 'SBIN',
  exchange: 'NSE',
  orderid: '250408000989443',
  product: 'MIS',
  quantity: 10,
  price: 0,
  pricetype: 'MARKET',
  order_status: 'complete',
  trigger_price: 0,
  average_price: 801.25,
  filled_quantity: 10,
  pending_quantity: 0,
  rejection_reason: '',
  timestamp: '2025-04-08 09:15:02',
  strategy: 'Test',
};

const SAMPLES: [string, TSchema, unknown][] = [
  [
    'orderbook',
    OrderBookResponse,
    {
      status: 'success',
      data: {
        orders: [ORDER_ROW],
        statistics: {
          total_buy_orders: 1,
          total_sell_orders: 0,
          total_completed_orders: 1,
          total_open_orders: 0,
          total_rejected_orders: 0,
          total_trigger_pending_orders: 0,
        },
      },
    },
  ],
  [
    'orderstatus',
    OrderStatusResponse,
    {
      status: 'success',
      data: {
        action: 'BUY',
        exchange: 'NSE',
        orderid: '250408000989443',
        symbol: 'SBIN',
        product: 'MIS',
        pricetype: 'MARKET',
        price: 0,
        trigger_price: 0,
        quantity: 10,
        order_status: 'complete',
        timestamp: '2025-04-08 09:15:02',
        average_price: 801.25,
        filled_quantity: 10,
      },
      mode: 'analyze',
    },
  ],
  [
    'tradebook',
    TradeBookResponse,
    {
      status: 'success',
      data: [
        {
          action: 'SELL',
          symbol: 'SBIN',
          exchange: 'NSE',
          orderid: '1',
          tradeid: 'T1',
          product: 'CNC',
          quantity: 4,
          average_price: 800.5,
          timestamp: '2025-04-08 09:15:02',
          trade_value: 3202,
        },
      ],
    },
  ],
  [
    'positionbook',
    PositionBookResponse,
    {
      status: 'success',
      data: [{ symbol: 'SBIN', exchange: 'NSE', product: 'MIS', currency: 'INR', quantity: -5, average_price: 800, ltp: 799.1, pnl: 4.5 }],
    },
  ],
  [
    'holdings',
    HoldingsResponse,
    {
      status: 'success',
      data: {
        holdings: [{ symbol: 'INFY', exchange: 'NSE', product: 'CNC', currency: 'INR', quantity: 2, pnl: 10, pnlpercent: 0.33 }],
        statistics: { totalholdingvalue: 3010, totalinvvalue: 3000, totalprofitandloss: 10, totalpnlpercentage: 0.33, currency: 'INR' },
      },
    },
  ],
  [
    'funds',
    FundsResponse,
    {
      status: 'success',
      data: {
        availablecash: '99198.75',
        collateral: '0.00',
        m2mrealized: '-12.50',
        m2munrealized: '4.50',
        utiliseddebits: '801.25',
        currency: 'INR',
      },
    },
  ],
  ['ping', PingResponse, { status: 'success', data: { message: 'pong', broker: 'paper' } }],
  ['smart order placed', PlaceSmartOrderResponse, { status: 'success', orderid: '7' }],
  [
    'smart order matched',
    PlaceSmartOrderResponse,
    { status: 'success', message: 'Positions Already Matched. No Action needed.' },
  ],
  ['order error', ErrorResponse, { status: 'error', message: "{'quantity': ['Missing data for required field.']}" }],
  ['data error', ErrorResponse, { status: 'error', message: { apikey: ['Missing data for required field.'] } }],
];

describe('answers', () => {
  it.each(SAMPLES)('the %s sample matches its schema', (_name, schema, sample) => {
    expect(Value.Check(schema, sample)).toBe(true);
  });

  it('keep funds as strings with two decimals', () => {
    const sample = { status: 'success', data: { availablecash: '1', collateral: '0', m2mrealized: '0', m2munrealized: '0', utiliseddebits: '0', currency: 'INR' } };
    expect(Value.Check(FundsResponse, sample)).toBe(false);
  });

  it.each(SAMPLES)('the %s sample serializes unchanged through its response schema', async (_name, schema, sample) => {
    const app = Fastify({ ajv: { customOptions: OPENALGO_AJV_OPTIONS } });
    app.get('/', { schema: { response: { 200: schema } } }, async () => sample);
    const response = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    expect(response.json()).toEqual(sample);
  });
});
