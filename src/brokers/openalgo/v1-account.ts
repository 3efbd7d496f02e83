// An account's positions, holdings and funds from OpenAlgo's positionbook, holdings and funds answers. OpenAlgo gives
// less than the neutral views hold (one P&L per position, no cost per holding); what is derived is said where.
import { CURRENCIES, type Currency, HOME_CURRENCY, currencyOf } from '../../domain/currency.js';
import { type Decimal, ZERO, add, div, dec, isZero, mul, sub } from '../../domain/decimal.js';
import type { Funds } from '../../domain/funds.js';
import type { HoldingView, PositionView } from '../../domain/position.js';
import type { FundsBalance, FundsData, HoldingRow, PositionRow } from './v1-schemas.js';
import { exchangeOf, productOf } from './v1-orders.js';
import { UpstreamFailure, decimalOf } from './wire-values.js';

const HUNDRED = dec(100);

/**
 * A positionbook row. OpenAlgo reports one `pnl` (realized and unrealized together): the unrealized part is the open
 * quantity marked from its average to the last price, the rest is taken as realized. Both rest on the row's average,
 * which OpenAlgo rounds to 2 decimals.
 */
export function positionOf(row: PositionRow): PositionView {
  const exchange = exchangeOf(row.exchange);
  const quantity = decimalOf(row.quantity, 'position quantity');
  const averagePrice = isZero(quantity) ? ZERO : decimalOf(row.average_price, 'position average_price');
  const lastPrice = decimalOf(row.ltp, 'position ltp');
  const unrealizedPnl = isZero(quantity) ? ZERO : mul(quantity, sub(lastPrice, averagePrice));
  return {
    symbol: row.symbol,
    exchange,
    product: productOf(row.product),
    currency: currencyOf({ exchange }),
    quantity,
    averagePrice,
    lastPrice,
    realizedPnl: sub(decimalOf(row.pnl, 'position pnl'), unrealizedPnl),
    unrealizedPnl,
  };
}

/**
 * A holdings row. Its cost is average × quantity when the row has an average (Ordergate's and some adapters' rows do);
 * otherwise it is worked back from the P&L and its percentage, or from the last price; the last price, when absent,
 * from cost and P&L.
 */
export function holdingOf(row: HoldingRow): HoldingView {
  const exchange = exchangeOf(row.exchange);
  const quantity = decimalOf(row.quantity, 'holding quantity');
  const pnl = decimalOf(row.pnl, 'holding pnl');
  const percent = decimalOf(row.pnlpercent, 'holding pnlpercent');
  const cost =
    row.average_price !== undefined
      ? mul(decimalOf(row.average_price, 'holding average_price'), quantity)
      : !isZero(percent)
        ? div(mul(pnl, HUNDRED), percent)
        : row.ltp !== undefined
          ? sub(mul(decimalOf(row.ltp, 'holding ltp'), quantity), pnl)
          : ZERO;
  const perShare = (amount: Decimal): Decimal => (isZero(quantity) ? ZERO : div(amount, quantity));
  return {
    symbol: row.symbol,
    exchange,
    currency: currencyOf({ exchange }),
    quantity,
    cost,
    averagePrice: row.average_price !== undefined ? decimalOf(row.average_price, 'holding average_price') : perShare(cost),
    lastPrice: row.ltp !== undefined ? decimalOf(row.ltp, 'holding ltp') : perShare(add(cost, pnl)),
  };
}

/**
 * OpenAlgo's funds are one set of figures, in rupees. An Ordergate upstream holding other currencies as well lists
 * every balance, rupees first, each in its own currency.
 */
export function fundsOf(data: FundsData): Funds[] {
  if (data.balances && data.balances.length > 0) return data.balances.map((balance) => balanceOf(balance, currencyNamed(balance.currency)));
  return [balanceOf(data, HOME_CURRENCY)];
}

function balanceOf(data: Omit<FundsBalance, 'currency'>, currency: Currency): Funds {
  return {
    currency,
    availableCash: decimalOf(data.availablecash, 'availablecash'),
    collateral: decimalOf(data.collateral, 'collateral'),
    realizedPnl: decimalOf(data.m2mrealized, 'm2mrealized'),
    unrealizedPnl: decimalOf(data.m2munrealized, 'm2munrealized'),
    usedMargin: decimalOf(data.utiliseddebits, 'utiliseddebits'),
  };
}

function currencyNamed(text: string): Currency {
  if (!(CURRENCIES as readonly string[]).includes(text)) throw new UpstreamFailure(`The upstream sent an unknown currency "${text}"`);
  return text as Currency;
}
