// Instrument tokens: numeric ids derived from exchange and symbol, so an instrument keeps its token from one day's
// master to the next however the rest of the list changes.
import { currencyOf } from '../../domain/currency.js';
import type { Instrument } from '../../domain/instrument.js';
import type { InstrumentDraft } from './draft.js';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;
/** Tokens fit in 40 bits (at most 13 digits): a collision among ten thousand instruments is a one-in-twenty-thousand event. */
const TOKEN_BITS = 40n;
const TOKEN_MASK = (1n << TOKEN_BITS) - 1n;

/** The token an instrument gets when nothing earlier in the list took it: FNV-1a (64-bit) of `EXCHANGE:SYMBOL`, cut to 40 bits. */
export function baseToken(exchange: string, symbol: string): bigint {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(`${exchange}:${symbol}`)) {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  }
  const token = hash & TOKEN_MASK;
  return token === 0n ? 1n : token;
}

/** Gives every draft its token (on the rare collision the later instrument takes the next free number) and currency. */
export function assignTokens(drafts: readonly InstrumentDraft[]): Instrument[] {
  const taken = new Set<bigint>();
  return drafts.map((draft) => {
    let token = baseToken(draft.exchange, draft.symbol);
    while (taken.has(token)) token = token === TOKEN_MASK ? 1n : token + 1n;
    taken.add(token);
    return { ...draft, token: token.toString(), currency: currencyOf(draft) };
  });
}
