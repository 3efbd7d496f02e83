// OpenAlgo's India cash-delivery charge schedule (portfolio/costs.py's `india_delivery`): the contract-note lines,
// their per-line overrides, and the tax on the taxed lines. Shared by the SIP and portfolio backtests, which compute it.

/** What a line is charged on: both legs, one leg, or each order. */
export type ChargeBasis = 'turnover' | 'buy' | 'sell' | 'order';

/** One line of a contract note. */
export interface ChargeLine {
  readonly key: string;
  readonly basis: ChargeBasis;
  /** Fraction of the basis value; for `order`, of that order's value. */
  readonly rate: number;
  /** Flat amount per order (basis `order` only); when positive it replaces the rate. */
  readonly flat: number;
  /** Per-order ceiling of a rate-based order charge; 0 for none. */
  readonly cap: number;
  /** Whether the tax (GST) applies to the line. */
  readonly taxed: boolean;
}

export interface ChargeSchedule {
  readonly lines: readonly ChargeLine[];
  readonly taxRate: number;
  /** Execution gap as a fraction of turnover, counted with the charges. */
  readonly slippage: number;
}

/** Per-line edits of a schedule (`{"stt": {"rate": 0.00125}}`). */
export type ChargeOverrides = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** An override that cannot make a schedule; the message is OpenAlgo's. */
export class ChargeScheduleError extends RangeError {
  override readonly name = 'ChargeScheduleError';
}

const line = (key: string, basis: ChargeBasis, rate: number, taxed: boolean, cap = 0): ChargeLine => ({ key, basis, rate, flat: 0, cap, taxed });

/** NSE/BSE cash delivery: brokerage (free, capped at 20 per order when a rate is set), STT, exchange fee, SEBI, stamp duty; GST 18%. */
export function indiaDelivery(exchange: 'NSE' | 'BSE'): ChargeSchedule {
  return {
    taxRate: 0.18,
    slippage: 0,
    lines: [
      line('brokerage', 'order', 0, true, 20),
      line('stt', 'turnover', 0.001, false),
      // The only line that differs between the two venues.
      line('exchange_txn', 'turnover', exchange === 'BSE' ? 0.0000375 : 0.0000307, true),
      line('sebi', 'turnover', 10 / 1_00_00_000, true),
      line('stamp_duty', 'buy', 0.00015, false),
    ],
  };
}

/**
 * Per-line edits of `rate`, `flat` and `cap` (null leaves a field as it is). Unknown lines and fields are ignored, as
 * OpenAlgo ignores them so that a saved request survives a schedule gaining or losing a line; a value float() cannot
 * read, or one that is not finite and non-negative, is refused with OpenAlgo's message. The rest of the schedule
 * (a wrapper's own fields too) is kept.
 */
export function withOverrides<S extends ChargeSchedule>(schedule: S, overrides: ChargeOverrides): S {
  const lines = schedule.lines.map((each) => {
    const patch = overrides[each.key];
    if (!patch) return each;
    const edited: { -readonly [K in keyof ChargeLine]: ChargeLine[K] } = { ...each };
    for (const field of ['rate', 'flat', 'cap'] as const) {
      const value = patch[field];
      if (value === undefined || value === null) continue;
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (Number.isNaN(number)) throw new ChargeScheduleError(`could not convert ${JSON.stringify(value)} to float`);
      if (!Number.isFinite(number) || number < 0) throw new ChargeScheduleError(`charge ${field} must be finite and non-negative`);
      edited[field] = number;
    }
    return edited;
  });
  return { ...schedule, lines };
}
