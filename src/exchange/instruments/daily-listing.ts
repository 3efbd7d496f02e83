// The master follows the calendar: at the first look after a session day begins (03:00 IST), it lists that day's
// instruments (new weekly contracts in, expired ones retired), so a server running for weeks trades what a fresh
// start would.
import type { Clock } from '../../domain/clock.js';
import type { Instrument } from '../../domain/instrument.js';
import { sessionDay } from '../../domain/session-day.js';
import { type InstrumentMaster, buildInstruments } from './master.js';

export class DailyListing {
  private day: string;

  constructor(
    private readonly master: InstrumentMaster,
    private readonly clock: Clock,
    private readonly build: (day: string) => Instrument[] = buildInstruments,
  ) {
    this.day = sessionDay(clock.now());
  }

  /** The session day the master lists. */
  get listedDay(): string {
    return this.day;
  }

  /** Lists the current session day's instruments if the day changed since; true when it reloaded. */
  refresh(): boolean {
    const today = sessionDay(this.clock.now());
    if (today <= this.day) return false;
    this.master.reload(this.build(today));
    this.day = today;
    return true;
  }
}
