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
  return dayOf(epochMs).text;
}

/**
 * The IST day containing `epochMs`. Asked several times per order, for two days at most (the calendar day, and the
 * session day that starts at 03:00), so the two most recent are kept; IST has no DST, a day is 86,400,000 ms.
 */
function dayOf(epochMs: number): KeptDay {
  for (const day of keptDays) if (epochMs >= day.from && epochMs < day.from + DAY_MS) return day;
  const shifted = epochMs + IST_OFFSET_MS;
  const day = { from: Math.floor(shifted / DAY_MS) * DAY_MS - IST_OFFSET_MS, text: new Date(shifted).toISOString().slice(0, 10) };
  keptDays.pop();
  keptDays.unshift(day);
  return day;
}

interface KeptDay {
  /** Epoch ms of the day's IST midnight. */
  from: number;
  /** `YYYY-MM-DD`. */
  text: string;
}

const DAY_MS = 86_400_000;
// NaN compares false: both slots start empty.
const keptDays: KeptDay[] = [
  { from: Number.NaN, text: '' },
  { from: Number.NaN, text: '' },
];

/** `YYYY-MM-DD HH:MM:SS` in IST, the timestamp format of OpenAlgo books. */
export function istTimestamp(epochMs: number): string {
  // Book listings format thousands of times of a few days: the date part comes from the kept day, the time is
  // arithmetic (whole seconds, rounded down as toISOString does).
  const day = dayOf(epochMs);
  const seconds = Math.floor((epochMs - day.from) / 1000);
  return `${day.text} ${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
