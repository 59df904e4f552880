/**
 * After an ambiguous failure (the service may have acted), decide from what Graph now holds
 * whether the request took effect, instead of repeating it blindly.
 */
import type { GraphArtifact, GraphSession } from "../schemas/graph";
import { isGraphRequestError } from "./graph-request-error";

/** How far Graph's clock may be from ours when matching `createdDateTime` to an attempt. */
export const CLOCK_SKEW_MS = 30_000;

/** Create rounds (POST, then reconcile) before giving up. */
export const MAX_CREATE_ROUNDS = 3;

/** One create attempt: who sent it, when, and what it asked for. */
export interface CreateAttempt {
  appId: string;
  startedMs: number;
  endedMs: number;
  artifacts: readonly { restorePointId: string; destinationType: string }[];
}

/**
 * True when a failed request may still have been carried out: the connection broke after
 * sending, the attempt timed out, the service answered 5xx without a documented "did not act"
 * code, or it answered 2xx with a body we could not read.
 */
export function mayHaveActed(error: unknown, transient500Codes: readonly string[]): boolean {
  if (!isGraphRequestError(error)) return false;
  if (error.status === 0) return error.code !== "ECONNREFUSED";
  if (error.status >= 200 && error.status < 300) return true;
  if (error.status === 500) return error.code === undefined || !transient500Codes.includes(error.code);
  return error.status > 500;
}

/** Sessions that this application created, still in draft, within the attempt's time window. */
export function candidateSessions(
  sessions: readonly GraphSession[],
  attempt: CreateAttempt,
  excludedIds: ReadonlySet<string>,
): GraphSession[] {
  return sessions.filter((session) => {
    if (excludedIds.has(session.id) || session.status !== "draft") return false;
    if (session.createdBy?.application?.id?.toLowerCase() !== attempt.appId.toLowerCase()) return false;
    const created = Date.parse(session.createdDateTime ?? "");
    return created >= attempt.startedMs - CLOCK_SKEW_MS && created <= attempt.endedMs + CLOCK_SKEW_MS;
  });
}

/** True when the listed artifacts are exactly the requested ones (restore point and destination, as a multiset). */
export function sameArtifacts(listed: readonly GraphArtifact[], wanted: CreateAttempt["artifacts"]): boolean {
  const key = (restorePointId: string | undefined, destination: string | undefined): string => `${restorePointId}\u0000${destination}`;
  const have = listed.map((a) => key(a.restorePoint?.id, a.destinationType)).sort();
  const want = wanted.map((a) => key(a.restorePointId, a.destinationType)).sort();
  return have.length === want.length && have.every((value, index) => value === want[index]);
}
