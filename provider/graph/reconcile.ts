/**
 * Reconcile before retrying: after an ambiguous failure (the service may have acted), decide from
 * what Graph now holds whether the write took effect, instead of repeating it blindly. One loop
 * serves every write that is not safe to repeat (creates, delta PATCHes, activations, bulk requests).
 */
import type { GraphArtifact, GraphSession } from "../schemas/wire";
import { isDeltaItemsFailedError } from "./delta-items-failed-error";
import { GraphRequestError, isGraphRequestError } from "./graph-request-error";

/** How far Graph's clock may be from ours when matching `createdDateTime` to an attempt. */
export const CLOCK_SKEW_MS = 30_000;

/** Write rounds (send, then reconcile) before giving up. */
export const MAX_WRITE_ROUNDS = 3;
/** Looks in a row (reads that change nothing) that may fail for a moment before the caller gives up. */
export const MAX_FAILED_LOOKS = 3;

/**
 * HTTP 500 codes with which the service documents that it did not act: transient refusals. A
 * write refused with one of them is not ambiguous.
 */
export const REFUSED_500_CODES: readonly string[] = ["TooManyActiveRestoreSessions", "IncompleteArtifactDeletion", "PolicySaveFailed"];

/**
 * True when a failed request may still have been carried out: the connection broke after
 * sending, the attempt timed out, the service answered 5xx without a documented "did not act"
 * code, or it answered 2xx with a body we could not read.
 */
export function mayHaveActed(error: unknown): boolean {
  // A 200 with per-item failures is Graph's answer, item by item: nothing is ambiguous.
  if (!isGraphRequestError(error) || isDeltaItemsFailedError(error)) return false;
  if (error.status === 0) return error.code !== "ECONNREFUSED";
  // A 2xx whose body could not be read: it was done, but what it made is unknown.
  if (error.status >= 200 && error.status < 300) return true;
  if (error.status === 500) return error.code === undefined || !REFUSED_500_CODES.includes(error.code);
  return error.status > 500;
}

/** What Graph holds after an ambiguous write. */
export type Settlement<T> =
  /** The write took effect; `result` stands in for the lost answer. */
  | { kind: "applied"; result: T }
  /** Nothing of it took effect: sending it again is safe. */
  | { kind: "notApplied" }
  /** It cannot be told, or it took effect in part: fail, saying this. */
  | { kind: "unknown"; note: string };

/** One write that must take effect exactly once. */
export interface OnceWrite<T> {
  /** What it does, for log lines: "create of a restore session". */
  what: string;
  /** Sends the write once. */
  send(): Promise<T>;
  /** Looks at Graph after an ambiguous failure of the attempt that started at `startedMs`. */
  settle(failure: GraphRequestError, attempt: { startedMs: number; endedMs: number }): Promise<Settlement<T>>;
}

/**
 * Sends a write; after an ambiguous failure asks `settle` what Graph holds, and either takes the
 * result, sends again (at most `MAX_WRITE_ROUNDS` times, within the time budget) or fails with a
 * note saying what is known. Any other failure is thrown as it is.
 */
export async function writeOnce<T>(write: OnceWrite<T>, log: (line: string) => void, budgetMs: number): Promise<T> {
  const started = Date.now();
  for (let round = 1; ; round++) {
    const startedMs = Date.now();
    try {
      return await write.send();
    } catch (error) {
      if (!mayHaveActed(error)) throw error;
      const failure = error as GraphRequestError;
      const settlement = await settleWithin(write, failure, { startedMs, endedMs: Date.now() }, log);
      if (settlement.kind === "applied") {
        log(`${write.what} failed (${describeFailure(failure)}), but it had taken effect`);
        return settlement.result;
      }
      if (settlement.kind === "unknown") throw failure.withNote(settlement.note);
      if (round >= MAX_WRITE_ROUNDS || Date.now() - started >= budgetMs) {
        throw failure.withNote(`it did not take effect; gave up after ${round} attempt${round === 1 ? "" : "s"}`);
      }
      log(`${write.what} failed (${describeFailure(failure)}) and did not take effect; sending it again`);
    }
  }
}

/**
 * Asks `settle` what Graph holds. Looking changes nothing, so a look that failed the way a service
 * fails for a moment (a 5xx, a 429, a broken connection, an unreadable body) is repeated, up to
 * `MAX_FAILED_LOOKS` looks: giving up leaves an object the write may have made that nothing records.
 */
async function settleWithin<T>(
  write: OnceWrite<T>,
  failure: GraphRequestError,
  attempt: { startedMs: number; endedMs: number },
  log: (line: string) => void,
): Promise<Settlement<T>> {
  const looks = new FailedLooks();
  for (;;) {
    try {
      return await write.settle(failure, attempt);
    } catch (lookup) {
      const why = isGraphRequestError(lookup) || lookup instanceof Error ? lookup.message : String(lookup);
      if (!looks.another(lookup)) throw failure.withNote(`it may have taken effect, and looking failed too (${why})`);
      log(`${write.what} failed (${describeFailure(failure)}); looking whether it took effect failed too (${why}); looking again`);
    }
  }
}

/**
 * Counts the looks (reads that change nothing) in a row that failed the way a service fails for a
 * moment: the reconcile after an ambiguous write, and the polls of a drill's or a policy's wait.
 */
export class FailedLooks {
  private inARow = 0;

  /** A look succeeded: the count starts again. */
  succeeded(): void {
    this.inARow = 0;
  }

  /** A look failed: true when another is worth it (a momentary failure, fewer than MAX_FAILED_LOOKS in a row). */
  another(error: unknown): boolean {
    return isMomentaryFailure(error) && ++this.inARow < MAX_FAILED_LOOKS;
  }
}

/** A failure a service shows for a moment (a 5xx, a 429, a broken connection, an unreadable body): worth another look. */
export function isMomentaryFailure(error: unknown): boolean {
  if (!isGraphRequestError(error)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500 || error.code === "MalformedResponseBody";
}

/** A failure in a few words for a log line: the transport code or the HTTP status. */
export function describeFailure(failure: GraphRequestError): string {
  return failure.status === 0 ? `${failure.code}` : `HTTP ${failure.status}`;
}

/**
 * Objects this application created within the attempt's time window. The window is in our clock;
 * `serviceOffsetMs` moves it to the service's (from its `Date` header), and `CLOCK_SKEW_MS` covers
 * the rest (the header's one-second resolution, latency).
 */
export function createdByAttempt<T extends Pick<GraphSession, "createdBy" | "createdDateTime">>(
  objects: readonly T[],
  appId: string,
  attempt: { startedMs: number; endedMs: number },
  serviceOffsetMs = 0,
): T[] {
  return objects.filter((object) => {
    if (object.createdBy?.application?.id?.toLowerCase() !== appId.toLowerCase()) return false;
    const created = Date.parse(object.createdDateTime ?? "") - serviceOffsetMs;
    return created >= attempt.startedMs - CLOCK_SKEW_MS && created <= attempt.endedMs + CLOCK_SKEW_MS;
  });
}

/**
 * True when the listed artifacts are exactly the requested ones (restore point and destination,
 * as a multiset). An artifact listed without a restore point cannot be compared: that throws,
 * because guessing either way could restore twice or lose a restore.
 */
export function sameArtifacts(
  listed: readonly GraphArtifact[],
  wanted: readonly { restorePointId: string; destinationType: string }[],
): boolean {
  const key = (restorePointId: string, destination: string | undefined): string => `${restorePointId}\u0000${destination}`;
  const have = listed.map((a) => key(restorePointIdOf(a), a.destinationType)).sort();
  const want = wanted.map((a) => key(a.restorePointId, a.destinationType)).sort();
  return have.length === want.length && have.every((value, index) => value === want[index]);
}

/** The restore point an artifact restores; Graph listing one without it is a contract break, said loudly. */
export function restorePointIdOf(artifact: GraphArtifact): string {
  const id = artifact.restorePoint?.id;
  if (id === undefined || id === "") throw new ArtifactWithoutRestorePointError(artifact.id);
  return id;
}

/** Graph listed an artifact without its restore point, so the provider cannot tell which site it restores. */
export class ArtifactWithoutRestorePointError extends Error {
  override readonly name = "ArtifactWithoutRestorePointError";
  constructor(readonly artifactId: string) {
    super(
      `Microsoft Graph listed artifact ${artifactId} without its restore point, so it cannot be matched to what the program asks; ` +
        "nothing was changed. Run `pulumi refresh` later, and if it persists report it with the artifact id",
    );
  }
}
