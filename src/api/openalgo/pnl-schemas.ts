// Schemas of the v1 pnl/symbols endpoint: validation, types and OpenAPI.
import { type Static, Type } from 'typebox';
import { CURRENCIES } from '../../domain/currency.js';
import { PRODUCTS, apikey, dataBody, stringEnum, success } from './schemas.js';

export const PnlSymbolsBody = dataBody({ apikey: apikey() }, "Today's P&L of the account, position by position.");
export type PnlSymbolsBody = Static<typeof PnlSymbolsBody>;

const money = (description: string) =>
  Type.Number({ description: `${description} In the position's currency: rupees to 2 decimals, dollars (CRYPTO) to the price precision.` });

function totals(currency: string) {
  return {
    total_pnl: money(`Today's P&L of every ${currency} position.`),
    total_unrealized_pnl: money(`Unrealized P&L of the open ${currency} positions.`),
    total_today_realized_pnl: money(`P&L the ${currency} positions realized today.`),
    total_pnl_today: money('The same as total_pnl.'),
  };
}

export const PnlSymbolsResponse = Type.Object({
  status: success(),
  data: Type.Array(
    Type.Object({
      symbol: Type.String({ description: 'OpenAlgo symbol.' }),
      exchange: Type.String({ description: 'Exchange code.' }),
      product: stringEnum(PRODUCTS, { description: 'Product.' }),
      currency: stringEnum(CURRENCIES, { description: 'What the P&L of the position is in: `INR`, or `USD` (CRYPTO).' }),
      quantity: Type.Number({ description: 'Signed net quantity; 0 for a position closed today.' }),
      pnl: money("Today's P&L: realized plus unrealized."),
      unrealized_pnl: money('P&L of the open quantity at the last price (0 when closed).'),
      today_realized_pnl: money('P&L realized today.'),
      total_pnl_today: money('The same as pnl.'),
    }),
    { description: 'Open positions, and positions closed today that realized a profit or loss.' },
  ),
  ...totals('rupee'),
  currency: Type.Literal('INR', { description: 'The totals above are the rupee positions\'.' }),
  by_currency: Type.Optional(
    Type.Record(Type.String(), Type.Object(totals('such')), {
      description: 'The totals of each currency, when a position is in another currency than rupees; never added together.',
    }),
  ),
});
