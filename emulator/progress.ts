/**
 * Derives session and artifact status from the virtual clock, lazily, on every read.
 *
 * Timeline after activation at A (virtual time; realistic per the M365 performance table, where one
 * site takes about half an hour):
 *   A .. A+2m              session `activating`, artifacts `scheduling`
 *   A+2m .. start(i)       artifact i `scheduled`   (start(i) = A + 5m + i * 30s)
 *   start(i) .. end(i)     artifact i `inProgress`  (end(i) = start(i) + 25m + (i mod 4) * 5m)
 *   end(i) ..              artifact i `succeeded` or `failed`; the session is terminal once all are.
 */
import type { TenantStore, StoredArtifact, StoredSession } from "./store";

const MINUTE = 60_000;
/** How long a session stays `activating`. */
export const ACTIVATING_MS = 2 * MINUTE;

/** Status of one artifact at a point in time, with its timestamps. */
export interface ArtifactProgress {
  status: "added" | "scheduling" | "scheduled" | "inProgress" | "succeeded" | "failed";
  startMs?: number;
  endMs?: number;
}

/** Status of a session at a point in time. */
export interface SessionProgress {
  status: "draft" | "activating" | "active" | "completed" | "completedWithError" | "failed";
  completedMs?: number;
  counts: { total: number; inProgress: number; completed: number; failed: number };
  artifacts: ArtifactProgress[];
}

/** Statuses that count against the 25-active-sessions limit. */
export const ACTIVE_STATUSES: readonly string[] = ["activating", "active"];
/** Statuses after which nothing changes. */
export const TERMINAL_STATUSES: readonly string[] = ["completed", "completedWithError", "failed"];

/** Computes a session's progress at `nowMs`, freezing artifact outcomes the first time they are seen. */
export function sessionProgress(session: StoredSession, store: TenantStore, nowMs: number): SessionProgress {
  const activatedMs = session.activatedDateTime ? Date.parse(session.activatedDateTime) : undefined;
  const artifacts = session.artifacts.map((a) => artifactProgress(a, activatedMs, store, nowMs));
  const counts = {
    total: artifacts.length,
    inProgress: artifacts.filter((a) => !["added", "succeeded", "failed"].includes(a.status)).length,
    completed: artifacts.filter((a) => a.status === "succeeded").length,
    failed: artifacts.filter((a) => a.status === "failed").length,
  };
  if (activatedMs === undefined) return { status: "draft", counts, artifacts };
  if (nowMs < activatedMs + ACTIVATING_MS) return { status: "activating", counts, artifacts };
  if (counts.inProgress > 0) return { status: "active", counts, artifacts };
  const completedMs = Math.max(activatedMs + ACTIVATING_MS, ...artifacts.map((a) => a.endMs ?? 0));
  const status = counts.failed === 0 ? "completed" : counts.completed === 0 ? "failed" : "completedWithError";
  return { status, completedMs, counts, artifacts };
}

function artifactProgress(artifact: StoredArtifact, activatedMs: number | undefined, store: TenantStore, nowMs: number): ArtifactProgress {
  if (activatedMs === undefined || artifact.ordinal === undefined) return { status: "added" };
  const i = artifact.ordinal;
  const startMs = activatedMs + 5 * MINUTE + i * 30_000;
  const endMs = startMs + 25 * MINUTE + (i % 4) * 5 * MINUTE;
  if (nowMs < activatedMs + ACTIVATING_MS) return { status: "scheduling" };
  if (nowMs < startMs) return { status: "scheduled" };
  if (nowMs < endMs) return { status: "inProgress", startMs };
  // Outcomes chosen by tests apply until the artifact is first seen finished, then stay fixed.
  artifact.outcome ??= store.outcomes[artifact.restorePointId.toLowerCase()] ?? store.outcomes[artifact.key.toLowerCase()] ?? "succeeded";
  return { status: artifact.outcome, startMs, endMs };
}
