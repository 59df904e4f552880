/**
 * The resource's outputs, which Pulumi stores as state.
 *
 * State is a contract: `pulumi refresh` and `destroy` may run a newer version of this package
 * against state an older one wrote. Every stored state carries `stateVersion`; `readState` parses
 * leniently and migrates, so old state keeps reading, diffing and deleting.
 */
import { z } from "zod";
import {
  artifactCountSchema,
  identitySetSchema,
  publicErrorSchema,
  type GraphArtifact,
  type GraphSession,
} from "../schemas/graph";

/** Version of the state layout written by this package. */
export const STATE_VERSION = 1;

const optionalString = z.string().nullish().transform((v) => v ?? undefined).optional();

const artifactStateSchema = z.object({
  restorePointId: z.string(),
  id: optionalString,
  status: optionalString,
  startDateTime: optionalString,
  completionDateTime: optionalString,
  restoredSiteId: optionalString,
  restoredSiteName: optionalString,
  restoredSiteWebUrl: optionalString,
  error: publicErrorSchema.nullish().transform((v) => v ?? undefined).optional(),
});
/** One site of the session as stored: the input restore point plus what Graph reports about it. */
export type ArtifactState = z.infer<typeof artifactStateSchema>;

const sessionStateSchema = z.object({
  stateVersion: z.number().default(0),
  siteRestoreArtifacts: z.array(artifactStateSchema).default([]),
  destinationType: z.string().default("new"),
  activate: z.boolean().default(false),
  status: z.string().default("draft"),
  createdDateTime: optionalString,
  createdBy: identitySetSchema.nullish().transform((v) => v ?? undefined).optional(),
  completedDateTime: optionalString,
  lastModifiedDateTime: optionalString,
  lastModifiedBy: identitySetSchema.nullish().transform((v) => v ?? undefined).optional(),
  error: publicErrorSchema.nullish().transform((v) => v ?? undefined).optional(),
  restoreJobType: optionalString,
  restoreSessionArtifactCount: artifactCountSchema.nullish().transform((v) => v ?? undefined).optional(),
  missingSince: optionalString,
});
/** Everything the resource stores: its inputs, the Graph session's properties, and bookkeeping. */
export type SessionState = z.infer<typeof sessionStateSchema>;

/** Parses stored outputs from any version of this package into the current layout. */
export function readState(props: Record<string, unknown>): SessionState {
  const state = sessionStateSchema.parse(migrate(props));
  return { ...state, stateVersion: STATE_VERSION };
}

/** Pure, ordered migrations from older layouts. Version 0 is "no stateVersion field". */
function migrate(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _provider, ...rest } = props;
  return rest;
}

/** True while Graph still allows the session to be changed or deleted. */
export function isDraft(state: Pick<SessionState, "status">): boolean {
  return state.status === "draft";
}

/** Builds the state after a Graph call, keeping known artifact details for sites Graph did not list. */
export function stateFrom(
  inputs: { siteRestoreArtifacts: { restorePointId: string }[]; destinationType: string; activate: boolean },
  session: GraphSession,
  artifacts: ArtifactState[],
): SessionState {
  return {
    stateVersion: STATE_VERSION,
    siteRestoreArtifacts: artifacts,
    destinationType: inputs.destinationType,
    activate: inputs.activate,
    status: session.status,
    createdDateTime: session.createdDateTime,
    createdBy: session.createdBy,
    completedDateTime: session.completedDateTime,
    lastModifiedDateTime: session.lastModifiedDateTime,
    lastModifiedBy: session.lastModifiedBy,
    error: session.error,
    restoreJobType: session.restoreJobType,
    restoreSessionArtifactCount: session.restoreSessionArtifactCount,
    missingSince: undefined,
  };
}

/** Converts a Graph artifact into its stored form; the restore point id identifies the site. */
export function artifactState(artifact: GraphArtifact, restorePointId: string): ArtifactState {
  return {
    restorePointId,
    id: artifact.id,
    status: artifact.status,
    startDateTime: artifact.startDateTime,
    completionDateTime: artifact.completionDateTime,
    restoredSiteId: artifact.restoredSiteId,
    restoredSiteName: artifact.restoredSiteName,
    restoredSiteWebUrl: artifact.restoredSiteWebUrl,
    error: artifact.error,
  };
}

/**
 * Orders Graph's artifacts as the user listed them, then any that were added outside Pulumi, so
 * that refresh shows them as drift. Sites Graph did not list keep only their restore point id.
 */
export function artifactsInInputOrder(restorePointIds: readonly string[], listed: readonly GraphArtifact[]): ArtifactState[] {
  const byRestorePoint = new Map(listed.filter((a) => a.restorePoint?.id).map((a) => [a.restorePoint!.id, a]));
  const ordered = restorePointIds.map((rp) => {
    const found = byRestorePoint.get(rp);
    byRestorePoint.delete(rp);
    return found ? artifactState(found, rp) : { restorePointId: rp };
  });
  const extras = [...byRestorePoint.entries()].map(([rp, a]) => artifactState(a, rp));
  return [...ordered, ...extras];
}

/** Removes undefined values so the state holds only what is known (Pulumi drops undefined anyway). */
export function compact<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
