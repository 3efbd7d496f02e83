// Every asynchronous call of the Broker port with arguments of its arity, for tests of decorators that must pass
// calls through unchanged.
import type { AsyncBrokerMethod } from '../../src/brokers/broker.js';
import type { OrderRequest } from '../../src/domain/order.js';

export const PORT_ORDER = {
  accountId: 'acc',
  symbol: 'SBIN',
  exchange: 'NSE',
  side: 'BUY',
  quantity: 1n,
  type: 'MARKET',
} as unknown as OrderRequest;

export const ASYNC_PORT_CALLS: ReadonlyArray<readonly [AsyncBrokerMethod, unknown[]]> = [
  ['placeOrder', [PORT_ORDER]],
  ['modifyOrder', ['acc', 'o1', { quantity: 2n }]],
  ['cancelOrder', ['acc', 'o1']],
  ['statusReports', ['acc']],
  ['listPositions', ['acc']],
  ['listHoldings', ['acc']],
  ['getFunds', ['acc']],
  ['basketMargin', ['acc', [{ symbol: 'SBIN', exchange: 'NSE', side: 'BUY', quantity: 1n, product: 'CNC', type: 'MARKET' }]]],
  ['getQuote', ['SBIN', 'NSE']],
  ['getDepth', ['INFY', 'NSE']],
  ['getHistory', ['TCS', 'BSE']],
];
