/**
 * Keeps the one event loop responsive while large bodies arrive. Parsing a body of a few MiB
 * and deciding on it holds the loop for tens of milliseconds, and its parsed form takes several
 * times its size in memory; thirty of them at once stalled `/healthz` for seconds and could
 * exhaust the pod's memory. So:
 *  - at most `slots` large bodies are read at a time; the others wait, unread, in arrival order
 *    (their senders are held back by TCP flow control, not answered with an error: a failed
 *    webhook call would deny the request). The server's request timeout bounds the wait;
 *  - each large body is parsed and decided in an event-loop turn of its own, so `/healthz`,
 *    `/readyz` and small reviews are served between two large ones.
 * Small bodies (every ordinary AdmissionReview) never wait.
 */

/** A body above this size is large (an ordinary AdmissionReview is a few KiB). */
export const LARGE_BODY_BYTES = 256 * 1024;

/** How many large bodies are read and parsed at once. */
export const DEFAULT_LARGE_BODY_SLOTS = 2;

/** Whether a request's headers announce a large body (or do not say: a chunked one). */
export function announcesLargeBody(headers: {
  readonly 'content-length'?: string | undefined;
  readonly 'transfer-encoding'?: string | undefined;
}): boolean {
  const declared = headers['content-length'];
  if (declared === undefined) return headers['transfer-encoding'] !== undefined;
  return Number(declared) > LARGE_BODY_BYTES;
}

export class LargeBodies {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  readonly #turns: (() => void)[] = [];
  #turning = false;

  constructor(slots = DEFAULT_LARGE_BODY_SLOTS) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError('slots must be at least 1');
    this.#free = slots;
  }

  /** How many large bodies wait for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Waits for a slot; resolves with its release (calling it more than once is harmless). */
  async admit(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }

  /** Resolves in an event-loop turn of its own, after every earlier caller's turn. */
  turn(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#turns.push(resolve);
      if (!this.#turning) {
        this.#turning = true;
        setImmediate(this.#next);
      }
    });
  }

  readonly #next = (): void => {
    this.#turns.shift()?.();
    if (this.#turns.length > 0) setImmediate(this.#next);
    else this.#turning = false;
  };
}
