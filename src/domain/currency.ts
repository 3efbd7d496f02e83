// The currencies money is kept in: rupees on the Indian venues, US dollars for the crypto perpetuals. Each amount
// carries its currency, balances are kept per currency, and no sum ever adds one currency to another.

/** Every currency, home currency first: the order funds and totals are listed in. */
export const CURRENCIES = ['INR', 'USD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** The currency an account's balance is in when nothing says otherwise (journals written before USD, config). */
export const HOME_CURRENCY: Extract<Currency, 'INR'> = 'INR';

export const CURRENCY_SYMBOLS: Readonly<Record<Currency, string>> = { INR: '₹', USD: '$' };

/** Venues whose prices are in US dollars; every other venue trades in rupees. */
const USD_EXCHANGES: ReadonlySet<string> = new Set(['CRYPTO']);

/**
 * The currency an instrument (or an order, fill, position of it) is priced in, and so its margin and P&L; it follows
 * from the exchange. (Typed on the exchange's text: instrument.ts imports this module.)
 */
export function currencyOf(instrument: { readonly exchange: string }): Currency {
  return USD_EXCHANGES.has(instrument.exchange) ? 'USD' : 'INR';
}

/** Sort order of currencies: the home currency first, then as CURRENCIES lists them. */
export function compareCurrencies(a: Currency, b: Currency): number {
  return CURRENCIES.indexOf(a) - CURRENCIES.indexOf(b);
}
