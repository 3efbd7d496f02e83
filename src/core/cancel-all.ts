// Cancel every working order of an account (OpenAlgo cancelallorder: account-wide, the strategy is not a filter).
import { DomainError } from '../domain/errors.js';
import { isWorking } from '../domain/order.js';
import type { TradingService } from './trading.js';

export interface CancelAllResult {
  cancelled: string[];
  failed: string[];
}

export async function cancelAllOrders(trading: TradingService, accountId: string): Promise<CancelAllResult> {
  const result: CancelAllResult = { cancelled: [], failed: [] };
  for (const order of await trading.listOrders(accountId)) {
    if (!isWorking(order.status)) continue;
    try {
      await trading.cancelOrder(accountId, order.id);
      result.cancelled.push(order.id);
    } catch (error) {
      // A broker's refusal (the order filled meanwhile) is a result to report; anything else is a bug.
      if (!(error instanceof DomainError)) throw error;
      result.failed.push(order.id);
    }
  }
  return result;
}
