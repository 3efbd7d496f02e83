import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/domain/instrument.js';
import { CURRENCY_SYMBOLS, HOME_CURRENCY, compareCurrencies, currencyOf } from '../../src/domain/currency.js';

describe('currencies', () => {
  it('are dollars on CRYPTO and rupees on every Indian venue', () => {
    const exchanges: Exchange[] = ['CRYPTO', 'NSE', 'NFO', 'MCX', 'CDS', 'BSE'];
    expect(exchanges.map((exchange) => currencyOf({ exchange }))).toEqual(['USD', 'INR', 'INR', 'INR', 'INR', 'INR']);
  });

  it('list the home currency, rupees, first; each has its symbol', () => {
    expect(HOME_CURRENCY).toBe('INR');
    expect((['USD', 'INR'] as const).slice().sort(compareCurrencies)).toEqual(['INR', 'USD']);
    expect(CURRENCY_SYMBOLS).toEqual({ INR: '₹', USD: '$' });
  });
});
