/** Why a stream was refused: its address has too many, or the process has too many. */
export type Refusal = 'address' | 'total';

export interface StreamLimitsOptions {
  perAddress: number;
  total: number;
}

/**
 * Bounds on open event streams, per client address and in total, so that one client cannot
 * hold thousands of connections and the process keeps room for everyone else.
 */
export class StreamLimits {
  private readonly byAddress = new Map<string, number>();
  private open = 0;

  constructor(private readonly options: StreamLimitsOptions) {}

  /** Takes a slot for `address`, or says why not. The returned release is safe to call twice. */
  acquire(address: string): { release: () => void } | { refused: Refusal } {
    if (this.open >= this.options.total) return { refused: 'total' };
    const held = this.byAddress.get(address) ?? 0;
    if (held >= this.options.perAddress) return { refused: 'address' };
    this.byAddress.set(address, held + 1);
    this.open += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.open -= 1;
        const left = (this.byAddress.get(address) ?? 1) - 1;
        if (left <= 0) this.byAddress.delete(address);
        else this.byAddress.set(address, left);
      },
    };
  }

  /** Open streams in total and from one address. */
  count(address?: string): number {
    return address === undefined ? this.open : (this.byAddress.get(address) ?? 0);
  }
}
