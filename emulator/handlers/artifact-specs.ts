/** The documented rules for artifacts in create and PATCH bodies: destinations, restore points, searches. */
import type { Workload } from "../../provider/workloads";
import type { RouteContext } from "../context";
import { GraphHttpError } from "../errors";
import { newGuid } from "../ids";
import type { StoredArtifact } from "../store";
import { restorePointById } from "../tenant/units";

/** A restore-point reference and destination as a client sends them (plus a search for granular mailbox artifacts). */
export interface ArtifactSpecInput {
  restorePoint?: { id?: unknown } | null;
  destinationType?: unknown;
  searchResponseId?: unknown;
}

/** Checks the destination type of one spec; 400 InvalidPathType when missing or unknown. */
export function destinationOf(spec: ArtifactSpecInput, index: number): "new" | "inPlace" {
  if (spec.destinationType === "new" || spec.destinationType === "inPlace") return spec.destinationType;
  throw new GraphHttpError(400, "InvalidPathType", `Artifact ${index}: destinationType must be 'new' or 'inPlace'.`);
}

/** Ensures all specs in one request share one destination type; 400 DifferentRestoreDestinationType otherwise. */
export function singleDestination(specs: ArtifactSpecInput[]): "new" | "inPlace" | undefined {
  const types = new Set(specs.map((s, i) => destinationOf(s, i)));
  if (types.size > 1) {
    throw new GraphHttpError(400, "DifferentRestoreDestinationType", "A restore session cannot mix 'new' and 'inPlace' destinations.");
  }
  return [...types][0];
}

/**
 * Resolves a spec to a stored artifact of this workload, or returns why it can't be one: the restore
 * point must exist now and belong to a unit of the session's workload (a site's restore point in an
 * Exchange session is as invalid as an unknown id).
 */
export function resolveArtifact(
  spec: ArtifactSpecInput,
  destinationType: "new" | "inPlace",
  workload: Workload,
  context: RouteContext,
): StoredArtifact | { invalid: string } {
  const id = spec.restorePoint?.id;
  if (typeof id !== "string" || id.length === 0) return { invalid: "The restore point id is missing or empty." };
  const point = restorePointById(context.tenant, id, context.nowMs);
  if (!point || point.unit.workload !== workload.name) return { invalid: `Restore point '${id}' is not valid or no longer exists.` };
  return {
    id: newGuid(),
    restorePointId: point.id,
    protectionMs: point.protectionMs,
    protectionUnitId: point.unit.id,
    key: point.unit.key,
    ...(workload.name === "sharePoint" ? { siteId: point.unit.key } : {}),
    destinationType,
    createdDateTime: new Date(context.nowMs).toISOString(),
  };
}

/**
 * A granular mailbox artifact: a restore point plus the `searchResponseId` of an earlier search
 * with an `artifactQuery` on the same mailbox (400 InvalidArtifactRequest otherwise; the docs name
 * no dedicated code).
 */
export function resolveGranularArtifact(
  spec: ArtifactSpecInput,
  destinationType: "new" | "inPlace",
  workload: Workload,
  context: RouteContext,
): StoredArtifact | { invalid: string; code: string } {
  const resolved = resolveArtifact(spec, destinationType, workload, context);
  if ("invalid" in resolved) return { ...resolved, code: "InvalidRestorePoint" };
  const searchId = spec.searchResponseId;
  const search = typeof searchId === "string" ? context.tenant.store.getSearch(searchId) : undefined;
  if (!search) return { invalid: `searchResponseId '${String(searchId)}' names no artifact search.`, code: "InvalidArtifactRequest" };
  if (search.protectionUnitId !== resolved.protectionUnitId) {
    return {
      invalid: `Search '${search.id}' was made on another mailbox than restore point '${resolved.restorePointId}'.`,
      code: "InvalidArtifactRequest",
    };
  }
  return { ...resolved, searchResponseId: search.id };
}
