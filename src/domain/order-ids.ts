// Order and trade ids as Ordergate makes them: a prefix (`SB-` in the sandbox) + YYMMDD (IST) + an 8-digit sequence,
// like OpenAlgo's sandbox ids. The sequence is read back from the last 8 digits.
import { istDate } from './clock.js';

export function sequencedId(prefix: string, now: number, sequence: number): string {
  const day = istDate(now);
  return `${prefix}${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}${String(sequence).padStart(8, '0')}`;
}

/** The sequence number an id carries; 0 for an id of another shape. */
export function sequenceOf(id: string): number {
  return Number(id.slice(-8)) || 0;
}

/** Whether `id` has the shape of an id made with `prefix`. */
export function isSequencedId(id: string, prefix: string): boolean {
  return id.length === prefix.length + 14 && id.startsWith(prefix) && /^\d{14}$/.test(id.slice(prefix.length));
}
