// The operator's faults on the paper broker (brokers/fault-spec.ts): set at start from ORDERGATE_PAPER_FAULTS, and
// changed while the gateway runs by `ordergate faults set|clear`, which writes them to the store's settings; the
// gateway reads that setting twice a second. Only someone who may write the store (the data folder, or the PostgreSQL
// database) can set them, and they apply to the whole gateway (the paper broker's connections), never to one account.
import type { FaultInjectingBroker } from '../brokers/fault-injecting-broker.js';
import { type FaultSpec, applyFaultSpec, injectsFaults, parseFaultSpec } from '../brokers/fault-spec.js';
import type { SettingsRepository } from '../store/store.js';

/** Where the faults are kept in the settings table. */
export const PAPER_FAULTS_SETTING = 'paper_faults';

export class PaperFaults {
  /** The fault text applied now ('' for none). */
  private applied = '';
  private appliedSpec: FaultSpec = {};
  private timer: NodeJS.Timeout | undefined;
  /** The look under way: the timer never starts another before it ends. */
  private polling: Promise<void> | undefined;
  private stopped = false;
  /** Told of every change applied, and of a setting it could not read (kept as it was). */
  onChange: (text: string, spec: FaultSpec) => void = () => {};
  onUnreadable: (text: string, error: Error) => void = () => {};
  /** Told when a look of the timer's failed (the store did not answer): the faults stay, the next look tries again. */
  onError: (error: unknown) => void = () => {};

  constructor(
    private readonly settings: SettingsRepository,
    private readonly brokers: readonly FaultInjectingBroker[],
  ) {}

  /**
   * The faults a start begins with (ORDERGATE_PAPER_FAULTS, already checked): what an earlier run set is replaced.
   * Applied once written; awaited before `watch`, so no look reads the earlier run's setting after it.
   */
  async begin(text: string): Promise<void> {
    if (text === '') await this.settings.delete(PAPER_FAULTS_SETTING);
    else await this.settings.set(PAPER_FAULTS_SETTING, text);
    this.apply(text, parseFaultSpec(text));
  }

  /** Whether any fault is injected now (a text of only a seed injects none). */
  get injected(): boolean {
    return injectsFaults(this.appliedSpec);
  }

  /**
   * Reads the setting every `intervalMs` (the timer never keeps the process alive); a look still under way when the
   * next is due is not doubled.
   */
  watch(intervalMs = 500): void {
    this.timer = setInterval(() => {
      if (this.polling) return;
      this.polling = this.poll()
        .catch((error: unknown) => this.onError(error))
        .finally(() => {
          this.polling = undefined;
        });
    }, intervalMs).unref();
  }

  /** Stops watching and removes every fault, so calls held by a hang fail now rather than at their timeout. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const broker of this.brokers) broker.clear();
  }

  /** Applies the setting if it changed since the last look (a look ending after `stop` applies nothing). */
  async poll(): Promise<void> {
    const text = (await this.settings.get(PAPER_FAULTS_SETTING)) ?? '';
    if (this.stopped || text === this.applied) return;
    try {
      this.apply(text, parseFaultSpec(text));
    } catch (error) {
      // Written by hand past the CLI's check: the faults stay as they are, and this is told once per new value.
      this.applied = text;
      this.onUnreadable(text, error as Error);
    }
  }

  private apply(text: string, spec: FaultSpec): void {
    this.applied = text;
    this.appliedSpec = spec;
    for (const broker of this.brokers) applyFaultSpec(broker, spec);
    this.onChange(text, spec);
  }
}
