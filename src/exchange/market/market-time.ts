// The simulated market's calendar: IST days counted from a fixed epoch, each cut into equal steps; every price,
// quote and book belongs to one (day, step), so the same instant always means the same state.
import { IST_OFFSET_MS } from '../../domain/clock.js';

export const DAY_MS = 86_400_000;
/** Midnight IST starting 2020-01-01: day 0 of every instrument's daily anchor series. */
export const MARKET_EPOCH_MS = Date.UTC(2020, 0, 1) - IST_OFFSET_MS;

export interface StepTime {
  /** IST days since the epoch (negative before it). */
  day: number;
  /** Epoch ms of the day's IST midnight. */
  dayStart: number;
  /** Step within the day, 0-based. */
  step: number;
  /** Epoch ms at which the step began. */
  stepStart: number;
}

export function stepsPerDay(stepMs: number): number {
  return Math.ceil(DAY_MS / stepMs);
}

export function dayStartOf(day: number): number {
  return MARKET_EPOCH_MS + day * DAY_MS;
}

export function stepTime(at: number, stepMs: number): StepTime {
  const day = Math.floor((at - MARKET_EPOCH_MS) / DAY_MS);
  const dayStart = dayStartOf(day);
  const step = Math.floor((at - dayStart) / stepMs);
  return { day, dayStart, step, stepStart: dayStart + step * stepMs };
}
