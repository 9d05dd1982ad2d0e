/**
 * Holds push events for one window while its page is (re)loading, then delivers them in order.
 * Events sent before the preload has attached its listener would otherwise be lost. The queue is
 * bounded: if a page never finishes loading, the oldest events go first.
 */
export class EventOutbox<T> {
  readonly #deliver: (item: T) => void;
  readonly #limit: number;
  #open = false;
  #pending: T[] = [];
  #dropped = 0;

  constructor(deliver: (item: T) => void, limit = 1000) {
    this.#deliver = deliver;
    this.#limit = limit;
  }

  /** Delivers now when the page is ready, else queues. */
  post(item: T): void {
    if (this.#open) {
      this.#deliver(item);
      return;
    }
    this.#pending.push(item);
    if (this.#pending.length > this.#limit) {
      this.#pending.shift();
      this.#dropped += 1;
    }
  }

  /** The page has loaded: flush the queue, then deliver directly. */
  open(): void {
    this.#open = true;
    const pending = this.#pending;
    this.#pending = [];
    for (const item of pending) this.#deliver(item);
  }

  /** The page is going away (reload, navigation, crash): queue again until the next {@link open}. */
  close(): void {
    this.#open = false;
  }

  /** Forget everything (the window is gone). */
  discard(): void {
    this.#open = false;
    this.#pending = [];
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  /** How many queued events were dropped because the queue was full. */
  get droppedCount(): number {
    return this.#dropped;
  }
}
