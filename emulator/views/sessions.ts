/**
 * Wire views of restore sessions and their artifacts, for every workload. `failed` is an evolvable
 * enum member, so it is reported as `unknownFutureValue` unless the caller sent
 * `Prefer: include-unknown-enum-members`.
 */
import { workload as workloadNamed } from "../../provider/workloads";
import type { RouteContext } from "../context";
import { sessionProgress, type ArtifactProgress } from "../progress";
import { RESTORED_TARGETS } from "../restored";
import type { StoredArtifact, StoredSession } from "../store";
import { RETENTION_MS } from "../tenant/restore-point-grid";
import { SERVICE_IDENTITY, evolvable, identitySet, iso } from "./common";

/** A restore session as GET, POST, list and activate return it (no artifacts inlined). */
export function sessionView(session: StoredSession, context: RouteContext): Record<string, unknown> {
  const progress = sessionProgress(session, context.tenant.store, context.nowMs);
  const lastModifiedMs = Math.max(Date.parse(session.lastModifiedDateTime), progress.completedMs ?? 0);
  const view: Record<string, unknown> = {
    "@odata.type": workloadNamed(session.workload).restoreSession.odataType,
    id: session.id,
    status: evolvable(progress.status, context),
    restoreJobType: session.restoreJobType,
    restoreSessionArtifactCount: progress.counts,
    createdDateTime: session.createdDateTime,
    createdBy: identitySet(session.createdBy),
    lastModifiedDateTime: iso(lastModifiedMs),
    lastModifiedBy: identitySet(progress.completedMs === undefined ? session.lastModifiedBy : SERVICE_IDENTITY),
    completedDateTime: progress.completedMs === undefined ? null : iso(progress.completedMs),
  };
  if (progress.status === "failed") view.error = { code: "UnknownError", message: "All artifacts failed to restore." };
  if (progress.status === "completedWithError") view.error = { code: "UnknownError", message: "One or more artifacts failed to restore." };
  return view;
}

/**
 * A restore artifact as the artifacts lists return it: status, times, the workload's restored
 * fields (null until restoring started: a new location is not known while scheduling), and the
 * restore point with its dates only, as the docs' list examples show it.
 */
export function artifactView(
  session: StoredSession,
  artifact: StoredArtifact,
  progress: ArtifactProgress,
  context: RouteContext,
): Record<string, unknown> {
  const { restoreSession } = workloadNamed(session.workload);
  const hits = artifact.searchResponseId
    ? context.tenant.store.getSearch(artifact.searchResponseId)?.hits[artifact.restorePointId]
    : undefined;
  const target = progress.startMs !== undefined ? RESTORED_TARGETS[session.workload](artifact, context.tenant.directory, hits) : undefined;
  const view: Record<string, unknown> = {
    id: artifact.id,
    destinationType: artifact.destinationType,
    status: evolvable(progress.status, context),
    startDateTime: progress.startMs === undefined ? null : iso(progress.startMs),
    completionDateTime: progress.endMs === undefined ? null : iso(progress.endMs),
  };
  for (const field of restoreSession.restoredFields) view[field] = target?.[field] ?? null;
  if (artifact.searchResponseId !== undefined) view.searchResponseId = artifact.searchResponseId;
  view.restorePoint = {
    id: artifact.restorePointId,
    protectionDateTime: iso(artifact.protectionMs),
    expirationDateTime: iso(artifact.protectionMs + RETENTION_MS),
  };
  if (progress.status === "failed")
    view.error = { code: "ArtifactCannotBeRestored", message: "The artifact could not be restored from this restore point." };
  return view;
}

/** An artifact added by a delta PATCH, as the update pages echo it. */
export function addedArtifactView(artifact: StoredArtifact): Record<string, unknown> {
  return {
    id: artifact.id,
    restorePoint: { id: artifact.restorePointId },
    destinationType: artifact.destinationType,
    status: "added",
    createdDateTime: artifact.createdDateTime,
  };
}

/** A per-item failure of a delta PATCH (`@Core.DataModificationException`), as the update pages show it. */
export function deltaFailureView(
  contentId: string,
  failedOperation: "add" | "remove",
  responseCode: number,
  code: string,
  message: string,
  id?: string,
): Record<string, unknown> {
  return {
    "@contentId": contentId,
    "@Core.DataModificationException": { info: { code, message }, failedOperation, responseCode },
    ...(id === undefined ? {} : { id }),
  };
}
