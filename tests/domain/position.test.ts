import { describe, expect, it } from 'vitest';
import { type Decimal, dec, toString } from '../../src/domain/decimal.js';
import type { Fill, Side } from '../../src/domain/order.js';
import { type Position, applyFill, averagePrice, emptyPosition, unrealizedPnl } from '../../src/domain/position.js';

function fill(side: Side, quantity: number, price: string): Fill {
  return {
    tradeId: 't',
    orderId: 'o',
    accountId: 'a',
    symbol: 'SBIN',
    exchange: 'NSE',
    product: 'MIS',
    side,
    quantity: dec(quantity),
    price: dec(price),
    at: 0,
  };
}

function run(...fills: Fill[]): { position: Position; realized: Decimal[] } {
  let position = emptyPosition('a', 'SBIN', 'NSE', 'MIS');
  const realized: Decimal[] = [];
  for (const f of fills) {
    const next = applyFill(position, f);
    position = next.position;
    realized.push(next.realized);
  }
  return { position, realized };
}

describe('position P&L', () => {
  it('averages buys at different prices exactly', () => {
    const { position } = run(fill('BUY', 10, '100.05'), fill('BUY', 30, '100.10'));
    expect(toString(position.quantity)).toBe('40');
    // (1000.5 + 3003) / 40 = 100.0875
    expect(toString(averagePrice(position))).toBe('100.0875');
    expect(toString(unrealizedPnl(position, dec('101')))).toBe('36.5');
  });

  it('a partial close realizes on the average cost and keeps the average of the rest', () => {
    const { position, realized } = run(fill('BUY', 10, '100'), fill('BUY', 10, '101'), fill('SELL', 5, '102'));
    expect(toString(realized[2]!)).toBe('7.5');
    expect(toString(averagePrice(position))).toBe('100.5');
  });

  it('a closed position realizes exactly its cash flow even with a repeating average', () => {
    const { position } = run(fill('BUY', 1, '100'), fill('BUY', 1, '100'), fill('BUY', 1, '100.01'), fill('SELL', 3, '100.02'));
    // average 100.00333…; realized must be 300.06 − 300.01 = 0.05 to the paisa
    expect(toString(position.realizedPnl)).toBe('0.05');
    expect(toString(position.openCost)).toBe('0');
  });

  it('reversing a long into a short opens the new side at the fill price', () => {
    const { position, realized } = run(fill('BUY', 100, '50'), fill('SELL', 150, '52'));
    expect(toString(realized[1]!)).toBe('200');
    expect(toString(position.quantity)).toBe('-50');
    expect(toString(averagePrice(position))).toBe('52');
    expect(toString(unrealizedPnl(position, dec('51')))).toBe('50');
  });
});
