/**
 * Console output of the local runtime: log lines, and a progress bar that those lines do not
 * tear. On a terminal the bar redraws in place under the log; elsewhere (CI, a pipe) it prints a
 * plain line at a few milestones, so logs stay readable.
 *
 * Log lines carry names, quotes and error messages that publishers wrote, so every line is passed
 * through the control-character escape on its way out: only the bar itself moves the cursor.
 */
import type { Writable } from 'node:stream';
import { escapeControlCharacters } from '../../functions/shared/control-characters.ts';

/** What may reach a terminal: the text with line breaks kept and every other control character shown escaped. */
export const terminalText = (text: string): string => escapeControlCharacters(text, { keepNewlines: true });

export interface Output {
  /** One or more complete lines. */
  line(text: string): void;
  error(text: string): void;
}

export class Terminal implements Output {
  private bar: ProgressBar | undefined;

  constructor(
    readonly out: Writable & { isTTY?: boolean; columns?: number } = process.stdout,
    readonly err: Writable = process.stderr,
  ) {}

  get interactive(): boolean {
    return this.out.isTTY === true;
  }

  line(text: string): void {
    this.withBarHidden(() => this.out.write(`${terminalText(text)}\n`));
  }

  error(text: string): void {
    this.withBarHidden(() => this.err.write(`${terminalText(text)}\n`));
  }

  progress(label: string, total: number): ProgressBar {
    this.bar = new ProgressBar(this, label, total);
    return this.bar;
  }

  /** @internal */
  release(bar: ProgressBar): void {
    if (this.bar === bar) this.bar = undefined;
  }

  private withBarHidden(write: () => void): void {
    const bar = this.bar;
    if (bar !== undefined && this.interactive) {
      this.out.write('\r\x1b[2K');
      write();
      bar.render();
    } else {
      write();
    }
  }
}

const WIDTH = 30;

export class ProgressBar {
  private done = 0;
  private readonly failures: string[] = [];
  private lastMilestone = -1;
  private finished = false;
  private readonly startedAt = Date.now();

  constructor(
    private readonly terminal: Terminal,
    private readonly label: string,
    private readonly total: number,
  ) {
    this.render();
  }

  tick(count = 1): void {
    if (this.finished) return;
    this.done = Math.min(this.total, this.done + count);
    this.render();
  }

  /** Counts one item as done but failed; the failures are shown when the bar finishes. */
  fail(reason: string): void {
    this.failures.push(reason);
    this.tick();
  }

  finish(): void {
    if (this.finished) return;
    this.done = this.total;
    this.render();
    this.finished = true;
    if (this.terminal.interactive) this.terminal.out.write('\n');
    this.terminal.release(this);
  }

  /** @internal */
  render(): void {
    if (this.finished) return;
    const fraction = this.total === 0 ? 1 : this.done / this.total;
    const counts = `${this.done}/${this.total}`;
    const elapsed = `${((Date.now() - this.startedAt) / 1000).toFixed(1)} s`;
    const failed = this.failures.length === 0 ? '' : `, ${this.failures.length} failed`;
    if (this.terminal.interactive) {
      const filled = Math.round(fraction * WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
      this.terminal.out.write(`\r\x1b[2K${this.label} ${bar} ${counts} (${elapsed}${failed})`);
      return;
    }
    // Without a terminal: the start, every quarter, and the end.
    const milestone = Math.floor(fraction * 4);
    if (milestone === this.lastMilestone) return;
    this.lastMilestone = milestone;
    const filled = Math.round(fraction * WIDTH);
    this.terminal.out.write(`${this.label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${counts} (${elapsed}${failed})\n`);
  }
}

/** Discards everything: for tests and benchmarks that start the runtime quietly. */
export const silentOutput: Output = { line: () => undefined, error: () => undefined };
