/**
 * One throttle per Graph origin per process. When Graph says wait (429/503 with Retry-After),
 * every request to that origin waits, not only the one that was told: otherwise N concurrent
 * requests would each earn their own 429 (a thundering herd). The retry loop sleeps out the
 * shared pause before every attempt; the throttle middleware holds a slot of the concurrency
 * window, which adapts by AIMD: halved on every throttle, one more after every success, between
 * 1 and a cap.
 */
/** Requests in flight to one origin before any throttle has been seen. */
export const MAX_CONCURRENT_REQUESTS = 16;

/** The shared pause and concurrency window of one Graph origin. */
export class ThrottleGate {
  private resumeAtMs = 0;
  private inFlight = 0;
  private allowed: number;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly maxConcurrency: number = MAX_CONCURRENT_REQUESTS,
    private readonly now: () => number = Date.now,
  ) {
    this.allowed = maxConcurrency;
  }

  /** Requests allowed in flight right now. */
  get concurrency(): number {
    return this.allowed;
  }

  /** When the shared pause ends (epoch ms); 0 when there has been none. */
  get resumeAt(): number {
    return this.resumeAtMs;
  }

  /** How long the shared pause still lasts, in ms (0 when none is in force). */
  pauseRemainingMs(): number {
    return Math.max(0, this.resumeAtMs - this.now());
  }

  /** Waits for a free slot in the concurrency window, then takes it. */
  async acquire(signal?: AbortSignal): Promise<void> {
    while (this.inFlight >= this.allowed) await this.queue(signal);
    this.inFlight += 1;
  }

  /** Gives the slot back and lets the next waiting request try. */
  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.waiting.shift()?.();
  }

  /** Graph throttled: pause everyone for `retryAfterMs` when given, and halve the window. */
  throttled(retryAfterMs: number | undefined): void {
    if (retryAfterMs !== undefined) this.resumeAtMs = Math.max(this.resumeAtMs, this.now() + retryAfterMs);
    this.allowed = Math.max(1, Math.floor(this.allowed / 2));
  }

  /** A request went through: widen the window by one, up to the cap. */
  succeeded(): void {
    const before = this.allowed;
    this.allowed = Math.min(this.maxConcurrency, this.allowed + 1);
    if (this.allowed > before) this.waiting.shift()?.();
  }

  private queue(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        signal?.removeEventListener("abort", abort);
        resolve();
      };
      const abort = (): void => {
        const index = this.waiting.indexOf(wake);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal!.reason);
      };
      if (signal?.aborted) return abort();
      signal?.addEventListener("abort", abort, { once: true });
      this.waiting.push(wake);
    });
  }
}

const gates = new Map<string, ThrottleGate>();

/** The process-wide gate of a Graph origin (`https://host:port`). */
export function throttleGateFor(origin: string): ThrottleGate {
  let gate = gates.get(origin);
  if (gate === undefined) {
    gate = new ThrottleGate();
    gates.set(origin, gate);
  }
  return gate;
}
