/**
 * Concurrency slots: at most N stage processes at once, granted in the order they were asked for.
 */

/**
 * A counting semaphore whose waits can be aborted.
 *
 * @example
 * ```ts
 * const slots = new Slots(2);
 * const release = await slots.acquire(signal);
 * try { await work(); } finally { release(); }
 * ```
 */
export class Slots {
  private free: number;
  private readonly queue: { grant: () => void; signal: AbortSignal }[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Wait for a slot; rejects with the signal's reason when it aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener("abort", onAbort);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.free++;
          this.next();
        });
      };
      const entry = { grant, signal };
      const onAbort = () => {
        const i = this.queue.indexOf(entry);
        if (i !== -1) this.queue.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.queue.push(entry);
      this.next();
    });
  }

  private next(): void {
    while (this.free > 0 && this.queue.length > 0) {
      this.free--;
      this.queue.shift()!.grant();
    }
  }
}
