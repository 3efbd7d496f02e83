// Trading session days: a session day runs from 03:00 IST to 03:00 IST the next day (OpenAlgo's
// session boundary), so evening MCX trading belongs to the day it started in.
import { IST_OFFSET_MS, istDate } from './clock.js';

export const SESSION_BOUNDARY_HOUR_IST = 3;
const BOUNDARY_MS = SESSION_BOUNDARY_HOUR_IST * 3600 * 1000;

/** The session day (YYYY-MM-DD) an instant belongs to. */
export function sessionDay(at: number): string {
  return istDate(at - BOUNDARY_MS);
}

/** Epoch ms at which session day `day` begins. */
export function sessionStartOf(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - IST_OFFSET_MS + BOUNDARY_MS;
}
