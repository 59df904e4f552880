/**
 * The virtual clock that drives restore progress, restore-point cadence, purges and rate limits.
 * Virtual time = an anchor plus real elapsed time times `speed`, so tests can jump (`advance`) or
 * freeze (`speed` 0) and demos can run faster than real time.
 */

/** A controllable clock. */
export class VirtualClock {
  private anchorReal = Date.now();
  private anchorVirtual: number;

  constructor(
    start: Date,
    private speed = 1,
  ) {
    this.anchorVirtual = start.getTime();
  }

  /** The current virtual time. */
  now(): Date {
    return new Date(this.nowMs());
  }

  /** The current virtual time in epoch milliseconds. */
  nowMs(): number {
    return Math.floor(this.anchorVirtual + (Date.now() - this.anchorReal) * this.speed);
  }

  /** Moves virtual time forward by `ms` at once. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError("clock.advance needs a non-negative number of milliseconds");
    this.anchorVirtual += ms;
  }

  /** Changes how many virtual milliseconds pass per real millisecond from now on. */
  setSpeed(speed: number): void {
    if (!(speed >= 0)) throw new RangeError("clock speed must be a non-negative number");
    this.rebase(this.nowMs());
    this.speed = speed;
  }

  /** Virtual milliseconds per real millisecond. */
  currentSpeed(): number {
    return this.speed;
  }

  /** Restarts the virtual timeline at `virtualMs` (used when loading persisted state). */
  rebase(virtualMs: number): void {
    this.anchorReal = Date.now();
    this.anchorVirtual = virtualMs;
  }
}
