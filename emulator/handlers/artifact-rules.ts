/** The documented rules for artifact specs in create and PATCH bodies. */
import { GraphHttpError } from "../errors";
import type { RouteContext } from "../context";
import type { StoredArtifact } from "../store";
import { newGuid } from "../ids";

/** Artifacts one PATCH may carry (documented). */
export const PATCH_ARTIFACT_LIMIT = 50;
/**
 * Artifacts one create may carry. The docs give no number for create (only "413 limit breached");
 * we use the PATCH limit so clients must chunk large sessions the same way in both calls.
 */
export const CREATE_ARTIFACT_LIMIT = 50;
/** Artifacts one session may hold in total (the documented 1,000 sites queued in parallel). */
export const SESSION_ARTIFACT_LIMIT = 1000;

/** A restore-point reference and destination as a client sends them. */
export interface ArtifactSpecInput {
  restorePoint?: { id?: unknown } | null;
  destinationType?: unknown;
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

/** Resolves a spec to a stored artifact, or returns the reason it is not a valid restore point. */
export function resolveArtifact(
  spec: ArtifactSpecInput,
  destinationType: "new" | "inPlace",
  context: RouteContext,
): StoredArtifact | { invalid: string } {
  const id = spec.restorePoint?.id;
  if (typeof id !== "string" || id.length === 0) return { invalid: "The restore point id is missing or empty." };
  const point = context.tenant.seed.restorePoint(id, context.nowMs);
  if (!point) return { invalid: `Restore point '${id}' is not valid or no longer exists.` };
  return { id: newGuid(), restorePointId: point.id, protectionMs: point.protectionMs, siteId: point.site.siteId, destinationType };
}

/** The destination type a session already uses, if it holds artifacts. */
export function sessionDestination(artifacts: StoredArtifact[]): "new" | "inPlace" | undefined {
  return artifacts[0]?.destinationType;
}
