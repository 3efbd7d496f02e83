// The operator's faults on the paper broker (brokers/fault-spec.ts): set at start from ORDERGATE_PAPER_FAULTS, and
// changed while the gateway runs by `ordergate faults set|clear`, which writes them to the data folder's settings;
// the gateway reads that setting twice a second. Only someone who may write the data folder can set them, and they
// apply to the whole gateway (the paper broker's connections), never to one account.
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
  /** Told of every change applied, and of a setting it could not read (kept as it was). */
  onChange: (text: string, spec: FaultSpec) => void = () => {};
  onUnreadable: (text: string, error: Error) => void = () => {};

  constructor(
    private readonly settings: SettingsRepository,
    private readonly brokers: readonly FaultInjectingBroker[],
  ) {}

  /** The faults a start begins with (ORDERGATE_PAPER_FAULTS, already checked): what an earlier run set is replaced. */
  begin(text: string): void {
    if (text === '') this.settings.delete(PAPER_FAULTS_SETTING);
    else this.settings.set(PAPER_FAULTS_SETTING, text);
    this.apply(text, parseFaultSpec(text));
  }

  /** Whether any fault is injected now (a text of only a seed injects none). */
  get injected(): boolean {
    return injectsFaults(this.appliedSpec);
  }

  /** Reads the setting every `intervalMs` (the timer never keeps the process alive). */
  watch(intervalMs = 500): void {
    this.timer = setInterval(() => this.poll(), intervalMs).unref();
  }

  /** Stops watching and removes every fault, so calls held by a hang fail now rather than at their timeout. */
  stop(): void {
    clearInterval(this.timer);
    for (const broker of this.brokers) broker.clear();
  }

  /** Applies the setting if it changed since the last look. */
  poll(): void {
    const text = this.settings.get(PAPER_FAULTS_SETTING) ?? '';
    if (text === this.applied) return;
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
