/**
 * The resource's outputs, which Pulumi stores as state.
 *
 * State is a contract: `pulumi refresh` and `destroy` may run a newer version of this package
 * against state an older one wrote. Every stored state carries `stateVersion`; `readState` parses
 * leniently and migrates, so old state keeps reading, diffing and deleting.
 */
import { z } from "zod";
import { DEFAULT_RESTORE_POINT_PREFERENCE, siteKey, waitForCompletionSchema } from "../schemas/inputs";
import {
  artifactCountSchema,
  identitySetSchema,
  lenient,
  publicErrorSchema,
  type GraphArtifact,
  type GraphSession,
} from "../schemas/graph";

/** Version of the state layout written by this package. */
export const STATE_VERSION = 1;

const optionalString = lenient(z.string());

const optionalBoolean = lenient(z.boolean());

const artifactStateSchema = z.object({
  restorePointId: z.string(),
  siteWebUrl: optionalString,
  siteId: optionalString,
  requestedPointInTime: optionalString,
  restorePointPreference: optionalString,
  fastRestoreOnly: optionalBoolean,
  protectionDateTime: optionalString,
  id: optionalString,
  status: optionalString,
  startDateTime: optionalString,
  completionDateTime: optionalString,
  restoredSiteId: optionalString,
  restoredSiteName: optionalString,
  restoredSiteWebUrl: optionalString,
  error: lenient(publicErrorSchema),
});
/** One site of the session as stored: the request, the restore point chosen for it, and what Graph reports. */
export type ArtifactState = z.infer<typeof artifactStateSchema>;

const sessionStateSchema = z.object({
  stateVersion: z.number().default(0),
  siteRestoreArtifacts: z.array(artifactStateSchema).default([]),
  destinationType: z.string().default("new"),
  activate: z.boolean().default(false),
  allowInPlaceRestore: optionalBoolean,
  // Lenient like the rest of the state: a shape this version does not know reads as "not set".
  waitForCompletion: lenient(waitForCompletionSchema).catch(undefined),
  failOn: optionalString,
  drillId: optionalString,
  activatedDateTime: optionalString,
  status: z.string().default("draft"),
  createdDateTime: optionalString,
  createdBy: lenient(identitySetSchema),
  completedDateTime: optionalString,
  lastModifiedDateTime: optionalString,
  lastModifiedBy: lenient(identitySetSchema),
  error: lenient(publicErrorSchema),
  restoreJobType: optionalString,
  restoreSessionArtifactCount: lenient(artifactCountSchema),
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

/** The inputs a state carries besides its artifacts. */
export type StoredSettings = Pick<
  SessionState,
  "destinationType" | "activate" | "allowInPlaceRestore" | "waitForCompletion" | "failOn" | "drillId"
>;

/** The settings of checked inputs or of a stored state, and nothing else. */
export function settingsOf(inputs: StoredSettings): StoredSettings {
  return {
    destinationType: inputs.destinationType,
    activate: inputs.activate,
    allowInPlaceRestore: inputs.allowInPlaceRestore,
    waitForCompletion: inputs.waitForCompletion,
    failOn: inputs.failOn,
    drillId: inputs.drillId,
  };
}

/** Builds the state after a Graph call, keeping known artifact details for sites Graph did not list. */
export function stateFrom(
  settings: StoredSettings,
  session: GraphSession,
  artifacts: ArtifactState[],
  activatedDateTime: string | undefined,
): SessionState {
  return {
    stateVersion: STATE_VERSION,
    siteRestoreArtifacts: artifacts,
    ...settingsOf(settings),
    activatedDateTime,
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

/** The request part of a stored artifact: what the user asked for, without Graph's details. */
export type ArtifactRequest = Pick<
  ArtifactState,
  "restorePointId" | "siteWebUrl" | "siteId" | "requestedPointInTime" | "restorePointPreference" | "fastRestoreOnly" | "protectionDateTime"
>;

/** Keeps only the request part of a stored artifact. */
export function requestOf(a: ArtifactState): ArtifactRequest {
  return {
    restorePointId: a.restorePointId,
    siteWebUrl: a.siteWebUrl,
    siteId: a.siteId,
    requestedPointInTime: a.requestedPointInTime,
    restorePointPreference: a.restorePointPreference,
    fastRestoreOnly: a.fastRestoreOnly,
    protectionDateTime: a.protectionDateTime,
  };
}

/** Converts a Graph artifact into its stored form, on top of the request it answers. */
export function artifactState(artifact: GraphArtifact, request: ArtifactRequest): ArtifactState {
  return {
    ...request,
    protectionDateTime: artifact.restorePoint?.protectionDateTime ?? request.protectionDateTime,
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
 * that refresh shows them as drift. Sites Graph did not list keep only their request.
 */
export function artifactsInInputOrder(requests: readonly ArtifactRequest[], listed: readonly GraphArtifact[]): ArtifactState[] {
  const byRestorePoint = new Map(listed.filter((a) => a.restorePoint?.id).map((a) => [a.restorePoint!.id, a]));
  const ordered = requests.map((request) => {
    const found = byRestorePoint.get(request.restorePointId);
    byRestorePoint.delete(request.restorePointId);
    return found ? artifactState(found, request) : request;
  });
  const extras = [...byRestorePoint.entries()].map(([rp, a]) => artifactState(a, { restorePointId: rp }));
  return [...ordered, ...extras];
}

/**
 * What identifies an entry for diff: the restore point id, or the site with its point in time,
 * preference and tag. The same request stays the same entry whatever restore point it resolved to.
 */
export function requestKey(a: {
  restorePointId?: string;
  siteWebUrl?: string;
  siteId?: string;
  pointInTime?: string;
  requestedPointInTime?: string;
  restorePointPreference?: string;
  fastRestoreOnly?: boolean;
}): string {
  if (a.siteWebUrl === undefined && a.siteId === undefined) return siteKey({ restorePointId: a.restorePointId ?? "" });
  const site = siteKey(a.siteWebUrl !== undefined ? { siteWebUrl: a.siteWebUrl } : { siteId: a.siteId });
  const when = a.pointInTime ?? a.requestedPointInTime ?? "";
  const instant = when === "" ? "" : new Date(Date.parse(when)).toISOString();
  return `${site}|${instant}|${a.restorePointPreference ?? DEFAULT_RESTORE_POINT_PREFERENCE}|${a.fastRestoreOnly === true}`;
}

/** Removes undefined values so the state holds only what is known (Pulumi drops undefined anyway). */
export function compact<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
