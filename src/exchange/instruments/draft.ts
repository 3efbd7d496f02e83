// An instrument as the generators produce it: everything but the token, which the master assigns over the whole set,
// and the currency, which follows from the exchange.
import type { Instrument } from '../../domain/instrument.js';

export type InstrumentDraft = Omit<Instrument, 'token' | 'currency'>;
