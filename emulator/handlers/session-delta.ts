/** PATCH of a draft restore session: `<artifacts>@delta` adds and removes artifacts, per-item failures in a 200. */
import { LIMITS, workload as workloadNamed, type Workload } from "../../provider/workloads";
import { jsonResponse, type RouteContext, type RouteHandler } from "../context";
import { GraphHttpError } from "../errors";
import type { StoredSession } from "../store";
import { addedArtifactView, deltaFailureView } from "../views/sessions";
import { destinationOf, resolveArtifact, singleDestination, type ArtifactSpecInput } from "./artifact-specs";
import { requireDraft, sessionFromPath, touch } from "./session-lookup";

type DeltaItem = ArtifactSpecInput & { id?: unknown; "@removed"?: unknown; "@contentId"?: unknown };

/**
 * PATCH .../<workload>RestoreSessions/{id} (the generic restoreSessions/{id} has no documented PATCH). The answer is the delta
 * echoed as `<artifacts>@delta`, as the update pages show it: each added artifact, and a
 * `@Core.DataModificationException` element for each item that failed; successful removals are
 * not echoed (the pages' examples don't show them).
 */
export const patchSession: RouteHandler = (_request, context) => {
  const session = sessionFromPath(context);
  requireDraft(session, "update");
  const workload = workloadNamed(session.workload);
  const property = `${workload.restoreSession.artifacts}@delta`;
  // Only the standard collection has a documented delta (the request validator refuses any other property).
  const delta = ((context.body ?? {}) as Record<string, unknown>)[property];
  if (!Array.isArray(delta)) throw new GraphHttpError(400, "InvalidPatchRequest", `The body must contain a '${property}' array.`);
  if (delta.length > LIMITS.artifactsPerRequest) {
    throw new GraphHttpError(
      400,
      "RestoreArtifactsLimitBreached",
      `At most ${LIMITS.artifactsPerRequest} artifacts can be sent in one request.`,
    );
  }
  // Standard and granular artifacts never share a session; neither do manual artifacts and a bulk request.
  if (session.granular)
    throw new GraphHttpError(400, "InvalidArtifactRequest", "A session of granular artifacts cannot take standard artifacts.");
  if (session.bulkRequests.length > 0) {
    // InvalidPatchRequest: the documented PATCH code for a request the session can't take.
    throw new GraphHttpError(400, "InvalidPatchRequest", "A session fed by a bulk addition request cannot take artifacts by PATCH.");
  }
  const items = delta as DeltaItem[];
  for (const item of items) {
    if (item["@removed"] !== undefined && typeof item.id !== "string") {
      throw new GraphHttpError(400, "InvalidPatchRequest", "An element marked '@removed' needs the artifact 'id'.");
    }
    if (item["@removed"] === undefined && item.id !== undefined) {
      throw new GraphHttpError(400, "InvalidPatchRequest", "Artifacts to add must not carry an 'id'.");
    }
  }
  const adds = items.filter((item) => item["@removed"] === undefined);
  adds.forEach((item, i) => destinationOf(item, i));
  singleDestination(adds);
  const removals = items.length - adds.length;
  if (session.artifacts.length - removals + adds.length > LIMITS.artifactsPerSession) {
    throw new GraphHttpError(
      400,
      "RestoreArtifactsLimitBreached",
      `A restore session holds at most ${LIMITS.artifactsPerSession} artifacts.`,
    );
  }
  const results = items.flatMap((item, index) => applyDeltaItem(session, workload, item, index, context));
  touch(session, context);
  return jsonResponse(200, { [property]: results });
};

function applyDeltaItem(
  session: StoredSession,
  workload: Workload,
  item: DeltaItem,
  index: number,
  context: RouteContext,
): Record<string, unknown>[] {
  const contentId = typeof item["@contentId"] === "string" ? item["@contentId"] : String(index + 1);
  if (item["@removed"] !== undefined) {
    const id = item.id as string;
    const position = session.artifacts.findIndex((a) => a.id.toLowerCase() === id.toLowerCase());
    if (position < 0)
      return [deltaFailureView(contentId, "remove", 409, "ArtifactNotFound", `Artifact '${id}' is not part of this restore session.`, id)];
    session.artifacts.splice(position, 1);
    return [];
  }
  const destinationType = item.destinationType as "new" | "inPlace";
  const existing = session.artifacts[0]?.destinationType;
  if (existing !== undefined && existing !== destinationType) {
    return [
      deltaFailureView(
        contentId,
        "add",
        400,
        "DifferentRestoreDestinationType",
        `The session restores to '${existing}'; cannot add a '${destinationType}' artifact.`,
      ),
    ];
  }
  const resolved = resolveArtifact(item, destinationType, workload, context);
  if ("invalid" in resolved) return [deltaFailureView(contentId, "add", 400, "InvalidRestorePoint", resolved.invalid)];
  if (session.artifacts.some((a) => a.key === resolved.key)) {
    return [
      deltaFailureView(contentId, "add", 409, "DuplicateArtifactInList", `'${resolved.key}' is already part of this restore session.`),
    ];
  }
  session.artifacts.push(resolved);
  return [addedArtifactView(resolved)];
}
