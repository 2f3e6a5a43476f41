/**
 * What the runtime has started, stopped in reverse order on close or when a later step of the
 * start fails. A step that fails is reported and the others still run: a queue that will not
 * close must not keep the store's directory locked.
 */
export type ShutdownStep = () => Promise<void> | void;

export class Shutdown {
  readonly #steps: ShutdownStep[] = [];
  readonly #report: (message: string) => void;

  constructor(report: (message: string) => void) {
    this.#report = report;
  }

  /** Runs on shutdown before every step added earlier. */
  add(step: ShutdownStep): void {
    this.#steps.push(step);
  }

  /** Runs every step, latest first, once: a second call finds nothing left to stop. */
  async run(): Promise<void> {
    const steps = this.#steps.splice(0).reverse();
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        this.#report(`[runtime] shutdown step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
