// Brings order journals back after a failed commit (the database went away, or its connection did): retries until
// the database answers, rebuilds the state that was built on the journal from what it now holds (requests whose
// commit failed were answered 503, and their events may or may not be stored), and only then takes orders again.
import type { StoreJournal } from '../store/store.js';

export interface RecoverableJournal {
  journal: StoreJournal;
  /** Rebuilds what was built from the journal (the exchange's ledger), from `journal.readAll()`. */
  rebuild(): Promise<unknown>;
}

export interface RecoveryLog {
  warn(object: object, message: string): void;
}

/** How long to wait between attempts while the database does not answer. */
export const RECOVERY_RETRY_MS = 500;

export class JournalRecovery {
  private running = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly journals: readonly RecoverableJournal[],
    private readonly log: RecoveryLog,
    /** Runs once the failed journals are back and taking events again (the core reconciles with its brokers). */
    private readonly afterRecovery: () => Promise<unknown> = async () => undefined,
  ) {}

  /** Starts recovering every failed journal (a no-op while a recovery runs). */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.attempt();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private attempt(): void {
    this.recoverFailed().then(
      () => {
        this.running = false;
        // A journal may have failed again meanwhile.
        if (this.journals.some(({ journal }) => journal.failed)) this.start();
      },
      (error: unknown) => {
        if (this.stopped) return;
        this.log.warn({ err: error }, `order journal not recovered yet; retrying in ${RECOVERY_RETRY_MS} ms`);
        this.timer = setTimeout(() => this.attempt(), RECOVERY_RETRY_MS);
        this.timer.unref();
      },
    );
  }

  private async recoverFailed(): Promise<void> {
    let recovered = false;
    for (const { journal, rebuild } of this.journals) {
      if (!journal.failed || this.stopped) continue;
      await journal.recover();
      await rebuild();
      journal.resume();
      recovered = true;
      this.log.warn({}, 'order journal recovered: orders are taken again');
    }
    if (recovered && !this.stopped) await this.afterRecovery();
  }
}
