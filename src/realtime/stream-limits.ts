/** Why a stream was refused: its address has too many, or the process has too many. */
export type Refusal = 'address' | 'total';

export interface StreamLimitsOptions {
  perAddress: number;
  total: number;
}

/** The counts a slot gives back to. */
interface Ledger {
  byAddress: Map<string, number>;
  open: number;
}

/**
 * One open stream's place, held for as long as the reader stays connected. A class, not a
 * closure: the server runs through tsx, whose esbuild `keepNames` gives every named arrow
 * function its own `name` property, and such a function keeps a ~256-byte property
 * dictionary. Per idle reader that was measurable (docs/PERFORMANCE.md); a prototype method
 * costs nothing per reader.
 */
class StreamSlot {
  private released = false;

  constructor(
    private readonly ledger: Ledger,
    private readonly address: string,
  ) {}

  /** Gives the place back; safe to call twice. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.ledger.open -= 1;
    const left = (this.ledger.byAddress.get(this.address) ?? 1) - 1;
    if (left <= 0) this.ledger.byAddress.delete(this.address);
    else this.ledger.byAddress.set(this.address, left);
  }
}

/**
 * Bounds on open event streams, per client address and in total, so that one client cannot
 * hold thousands of connections and the process keeps room for everyone else.
 */
export class StreamLimits {
  private readonly ledger: Ledger = { byAddress: new Map(), open: 0 };

  constructor(private readonly options: StreamLimitsOptions) {}

  /** Takes a slot for `address`, or says why not. The returned release is safe to call twice. */
  acquire(address: string): { release(): void } | { refused: Refusal } {
    if (this.ledger.open >= this.options.total) return { refused: 'total' };
    const held = this.ledger.byAddress.get(address) ?? 0;
    if (held >= this.options.perAddress) return { refused: 'address' };
    this.ledger.byAddress.set(address, held + 1);
    this.ledger.open += 1;
    return new StreamSlot(this.ledger, address);
  }

  /** Open streams in total and from one address. */
  count(address?: string): number {
    return address === undefined ? this.ledger.open : (this.ledger.byAddress.get(address) ?? 0);
  }
}
