// A basket's margin through OpenAlgo's /margin: the legs as its `positions` (quantities and prices as text, as its
// schema has them) and its answer as the neutral BasketMargin.
import { CURRENCIES, type Currency, HOME_CURRENCY } from '../../domain/currency.js';
import { toString } from '../../domain/decimal.js';
import type { BasketMargin, MarginLeg } from '../../domain/margin-basket.js';
import { hasLimitPrice, isStopType } from '../../domain/order.js';
import { PRICE_TYPE_OF } from './v1-orders.js';
import type { MarginData } from './v1-schemas.js';
import { UpstreamFailure, type WireObject, decimalOf } from './wire-values.js';

/** One leg as a position of OpenAlgo's margin request. */
export function marginPosition(leg: MarginLeg): WireObject {
  return {
    symbol: leg.symbol,
    exchange: leg.exchange,
    action: leg.side,
    quantity: toString(leg.quantity),
    product: leg.product,
    pricetype: PRICE_TYPE_OF[leg.type],
    price: hasLimitPrice(leg.type) && leg.limitPrice !== undefined ? toString(leg.limitPrice) : '0',
    trigger_price: isStopType(leg.type) && leg.stopPrice !== undefined ? toString(leg.stopPrice) : '0',
  };
}

/**
 * OpenAlgo's margin figures. Its adapters send `margin_benefit` or not (then it is unknown, not zero); rupees unless
 * the answer names its currency (an Ordergate upstream does).
 */
export function basketMarginOf(data: MarginData): BasketMargin {
  const margin: BasketMargin = {
    currency: data.currency === undefined ? HOME_CURRENCY : currencyNamed(data.currency),
    total: decimalOf(data.total_margin_required, 'total_margin_required'),
    span: decimalOf(data.span_margin, 'span_margin'),
    exposure: decimalOf(data.exposure_margin, 'exposure_margin'),
  };
  if (data.margin_benefit !== undefined) margin.benefit = decimalOf(data.margin_benefit, 'margin_benefit');
  return margin;
}

function currencyNamed(text: string): Currency {
  if (!(CURRENCIES as readonly string[]).includes(text)) throw new UpstreamFailure(`The upstream sent an unknown currency "${text}"`);
  return text as Currency;
}
