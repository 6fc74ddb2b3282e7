/** A clock a test can stop at an instant; it follows real time until then. */
export class TestClock {
  private fixed: Date | null = null;

  /** The clock function handed to the services (and through them to the store). */
  readonly now = (): Date => (this.fixed ? new Date(this.fixed) : new Date());

  set(instant: string): void {
    this.fixed = new Date(instant);
  }

  /** Back to real time. */
  release(): void {
    this.fixed = null;
  }
}
