// An account's funds in one currency, as every broker reports them: cash free for new orders, margin in use, P&L.
import type { Currency } from './currency.js';
import type { Decimal } from './decimal.js';

export interface Funds {
  currency: Currency;
  /** Cash free for new orders: deposits + realized P&L − margin in use − cost of holdings. */
  availableCash: Decimal;
  /** Value of pledged holdings counted as margin. */
  collateral: Decimal;
  /** The session's realized P&L. */
  realizedPnl: Decimal;
  /** Mark-to-market P&L of the open positions. */
  unrealizedPnl: Decimal;
  /** Margin blocked by working orders and held by open positions. */
  usedMargin: Decimal;
}
