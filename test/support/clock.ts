/** A clock a test can stop at an instant; it follows real time until then. */
export class TestClock {
  private fixed: Date | null = null;
  private aheadMs = 0;

  /** The clock function handed to the services (and through them to the store). */
  readonly now = (): Date =>
    this.fixed ? new Date(this.fixed) : new Date(Date.now() + this.aheadMs);

  set(instant: string): void {
    this.fixed = new Date(instant);
  }

  /** Keeps following real time, `ms` ahead of this machine's clock (a server set wrong). */
  runAhead(ms: number): void {
    this.fixed = null;
    this.aheadMs = ms;
  }

  /** Back to real time. */
  release(): void {
    this.fixed = null;
    this.aheadMs = 0;
  }
}
