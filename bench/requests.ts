// What the bench's clients send and the environment its Ordergate servers start with: shared by the runner
// (bench/run.ts) and the A/B comparison (bench/ab.ts), so both measure the same requests against the same setup.

/** The key every bench server is bootstrapped with (ORDERGATE_BOOTSTRAP_API_KEY). */
export const API_KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

export const JSON_HEADERS = { 'content-type': 'application/json' };

/** A v1 placeorder body for SBIN MIS on NSE with the given fields. */
export function order(fields: Record<string, string>): string {
  return JSON.stringify({ apikey: API_KEY, strategy: 'bench', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', ...fields });
}

export const MARKET_BUY = order({ action: 'BUY', quantity: '1', pricetype: 'MARKET' });
export const MARKET_SELL = order({ action: 'SELL', quantity: '1', pricetype: 'MARKET' });
export const KEY_ONLY = JSON.stringify({ apikey: API_KEY });
export const QUOTE_SBIN = JSON.stringify({ apikey: API_KEY, symbol: 'SBIN', exchange: 'NSE' });

/** True for a v1 success envelope. */
export const success = (body: string): boolean => body.startsWith('{"status":"success"');

/** The environment of an Ordergate bench server on `dataDir` (bench/ordergate-config.ts fills in the rest). */
export function ordergateEnv(dataDir: string): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    ORDERGATE_DATA_DIR: dataDir,
    ORDERGATE_BOOTSTRAP_API_KEY: API_KEY,
    ORDERGATE_MARKET: 'frozen',
    ORDERGATE_STARTING_CASH: '1000000000000',
    LOG_LEVEL: 'warn',
  };
}
