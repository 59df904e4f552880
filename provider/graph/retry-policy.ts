/**
 * When to retry a Graph request and how long to wait, as data plus pure functions. The one loop
 * that applies them lives in `retry-middleware.ts`.
 */

/** Tunable retry behaviour; every field has a default in `DEFAULT_RETRY_POLICY`. */
export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** Wall-clock budget for one operation, waits included; no retry starts that would overrun it. */
  totalBudgetMs: number;
  /** Per-attempt limit after which the attempt is aborted and counts as a timeout. */
  attemptTimeoutMs: number;
  /** First backoff step when the server gave no Retry-After. */
  baseDelayMs: number;
  /** Ceiling of one backoff step. */
  maxDelayMs: number;
  /** Share of a backoff step that is randomised (0 = none, 1 = full jitter). */
  jitterRatio: number;
  /** HTTP statuses retried for any method once the service said it did not act. */
  throttleStatuses: readonly number[];
  /**
   * Graph error codes of HTTP 500 that are documented as transient and retried here. Not
   * `TooManyActiveRestoreSessions`: activation waits that out itself, within the drill's wait budget.
   */
  retryable500Codes: readonly string[];
}

/** Defaults: throttled operations keep trying for up to ten minutes. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 10,
  totalBudgetMs: 10 * 60_000,
  attemptTimeoutMs: 100_000,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  jitterRatio: 0.5,
  throttleStatuses: [429, 503, 504],
  retryable500Codes: ["IncompleteArtifactDeletion", "PolicySaveFailed"],
};

/** Methods that may be repeated without changing the outcome. */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/** What one attempt produced, reduced to what the retry decision needs. */
export type AttemptOutcome =
  { kind: "response"; status: number; code?: string; retryAfterMs?: number } | { kind: "transportError"; connectionRefused: boolean };

/**
 * Whether an attempt may be repeated. A non-idempotent request (POST, PATCH) is repeated only
 * when the service certainly did not act: 429, 503 with Retry-After, a documented transient
 * 500 code, or a connection that was refused before anything was sent.
 */
export function shouldRetry(policy: RetryPolicy, method: string, outcome: AttemptOutcome): boolean {
  const idempotent = IDEMPOTENT_METHODS.has(method.toUpperCase());
  if (outcome.kind === "transportError") return idempotent || outcome.connectionRefused;
  const { status, code, retryAfterMs } = outcome;
  if (status === 500) return code !== undefined && policy.retryable500Codes.includes(code);
  if (!policy.throttleStatuses.includes(status)) return false;
  if (idempotent || status === 429) return true;
  return status === 503 && retryAfterMs !== undefined;
}

/**
 * Delay before the next attempt: the server's Retry-After exactly when given, else capped
 * exponential backoff with jitter. `attempt` is the number of attempts made so far (1-based).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step * (1 - policy.jitterRatio * random()));
}

/** Parses `Retry-After` as delta-seconds or an HTTP date; undefined when absent or malformed. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its weekday or month; this keeps "-5" and other junk from parsing as a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
