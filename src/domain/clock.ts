// Time as a dependency: the exchange and the core read the clock they are given, so tests can step it.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Offset of Indian Standard Time from UTC; Indian exchanges date and time everything in IST. */
export const IST_OFFSET_MS = 5.5 * 3600 * 1000;

/** `YYYY-MM-DD` of the IST calendar day containing `epochMs`. */
export function istDate(epochMs: number): string {
  // Asked several times per order with times of the same day: the last day's text is kept (IST has no DST, so a day
  // is always 86,400,000 ms long).
  if (epochMs >= lastDay.from && epochMs < lastDay.to) return lastDay.text;
  const shifted = epochMs + IST_OFFSET_MS;
  const from = Math.floor(shifted / DAY_MS) * DAY_MS - IST_OFFSET_MS;
  lastDay = { from, to: from + DAY_MS, text: new Date(shifted).toISOString().slice(0, 10) };
  return lastDay.text;
}

const DAY_MS = 86_400_000;
let lastDay = { from: 0, to: 0, text: '' };

/** `YYYY-MM-DD HH:MM:SS` in IST, the timestamp format of OpenAlgo books. */
export function istTimestamp(epochMs: number): string {
  // Book listings format thousands of times of a few days: the date part comes from the kept day, the time is
  // arithmetic (whole seconds, rounded down as toISOString does).
  const day = istDate(epochMs);
  const seconds = Math.floor((epochMs - lastDay.from) / 1000);
  return `${day} ${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
