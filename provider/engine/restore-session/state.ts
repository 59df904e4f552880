/**
 * A restore session's outputs, which Pulumi stores as state, for any workload.
 *
 * State is a contract: `pulumi refresh` and `destroy` may run a newer version of this package
 * against state an older one wrote. Every stored state carries `stateVersion`; `readState` parses
 * leniently and migrates, so old state keeps reading, diffing and deleting. Each field is derived
 * from the wire schema of the Graph type it mirrors, never listed twice.
 *
 * The stored outputs use the workload's Graph names (`siteRestoreArtifacts`, ...); inside the
 * engine the state uses neutral names (`artifacts`, `granularArtifacts`).
 */
import { z } from "zod";
import type { Workload } from "../../workloads";
import {
  mailboxQuerySchema,
  waitForCompletionSchema,
  type BulkRestoreInput,
  type SessionSettings,
} from "../../schemas/inputs/restore-session";
import { restorePointIdOf } from "../../graph/reconcile";
import {
  artifactResultSchema,
  bulkRequestSchema,
  lenient,
  restoreSessionSchema,
  timePeriodSchema,
  type GraphArtifact,
  type GraphBulkRequest,
  type GraphSession,
} from "../../schemas/wire";

/**
 * Version of the state layout written by this package: 2 added workloads, bulk restores and the lean
 * drill report; 3 stores each artifact once, without what Graph can give again (decision 0030).
 */
export const STATE_VERSION = 3;

const optionalString = lenient(z.string());
const optionalBoolean = lenient(z.boolean());

/** How the user named one artifact: a restore point, or a protected object with how to pick its point. */
const artifactRequestSchema = z.object({
  restorePointId: z.string(),
  siteWebUrl: optionalString,
  siteId: optionalString,
  directoryObjectId: optionalString,
  email: optionalString,
  requestedPointInTime: optionalString,
  restorePointPreference: optionalString,
  fastRestoreOnly: optionalBoolean,
  /** Item-level mailbox restores only: the items asked for. */
  query: lenient(mailboxQuerySchema).catch(undefined),
  /** When the chosen restore point was taken. */
  protectionDateTime: optionalString,
});
/** The request part of a stored artifact: what the user asked for, and the restore point chosen for it. */
export type ArtifactRequest = z.infer<typeof artifactRequestSchema>;

/**
 * What a stored artifact keeps of Graph's result: its status, timing, error and where it landed. A
 * restored site's (or OneDrive's) id and name are left out: its URL locates it, and Graph gives the
 * rest for that URL (decision 0030). A mailbox keeps its folder's id, the only locator Graph takes.
 */
const storedResultSchema = artifactResultSchema.omit({ restoredSiteId: true, restoredSiteName: true });

/**
 * One artifact as stored: the request, and what Graph reports about it. Graph's artifact id is not
 * kept: the provider finds artifacts by restore point, and a `status` marks those Graph holds.
 */
const artifactStateSchema = artifactRequestSchema.extend({
  /** Graph holds it but the program did not ask for it (added outside Pulumi); the next update removes it. */
  outOfBand: optionalBoolean,
  ...storedResultSchema.shape,
});
/** One artifact of the session as stored. */
export type ArtifactState = z.infer<typeof artifactStateSchema>;

/** What a bulk restore asked for, kept as asked: Graph never echoes it reliably. */
const bulkRestoreStateSchema = z.object({
  names: z.array(z.string()),
  protectionTimePeriod: lenient(timePeriodSchema),
  restorePointPreference: optionalString,
  fastRestoreOnly: optionalBoolean,
  displayName: optionalString,
});

/** The session's bulk addition request as Graph reports it. */
const bulkRequestStateSchema = bulkRequestSchema.pick({
  id: true,
  status: true,
  error: true,
  createdDateTime: true,
  lastModifiedDateTime: true,
});

/** The Graph session's own fields, as the wire gives them (without its id, which is the resource id). */
const sessionFieldsSchema = restoreSessionSchema.omit({ id: true }).extend({ status: z.string().default("draft") });

const sessionStateSchema = z.object({
  stateVersion: z.number().default(0),
  artifacts: z.array(artifactStateSchema).default([]),
  granularArtifacts: z.array(artifactStateSchema).default([]),
  bulkRestore: lenient(bulkRestoreStateSchema).catch(undefined),
  bulkRequest: lenient(bulkRequestStateSchema).catch(undefined),
  destinationType: z.string().default("new"),
  activate: z.boolean().default(false),
  allowInPlaceRestore: optionalBoolean,
  // Lenient like the rest of the state: a shape this version does not know reads as "not set".
  waitForCompletion: lenient(waitForCompletionSchema).catch(undefined),
  failOn: optionalString,
  drillId: optionalString,
  activatedDateTime: optionalString,
  ...sessionFieldsSchema.shape,
  missingSince: optionalString,
});
/** Everything the resource stores: its inputs, the Graph session's properties, and bookkeeping. */
export type SessionState = z.infer<typeof sessionStateSchema>;

/** The Graph session fields a state mirrors. */
export type SessionFields = z.infer<typeof sessionFieldsSchema>;
const SESSION_FIELD_KEYS = Object.keys(sessionFieldsSchema.shape) as (keyof SessionFields)[];

/** Parses stored outputs from any version of this package into the current layout. */
export function readState(workload: Workload, props: Record<string, unknown>): SessionState {
  const state = sessionStateSchema.parse(migrate(workload, props));
  return { ...state, stateVersion: STATE_VERSION };
}

/**
 * Pure, ordered migrations from older layouts, into neutral names. Version 0 is "no stateVersion"
 * and 1 the SharePoint-only layout; both differ from 2 only in names and the drill report, which
 * is recomputed from the artifacts. Version 3 drops the artifact's id (and a restored site's id and
 * name, which parsing leaves out), so an id that marked an artifact as held becomes a `status`.
 */
function migrate(workload: Workload, props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _provider, drillReport: _report, ...rest } = props;
  const { artifacts, granularArtifacts } = workload.restoreSession;
  const version = typeof rest.stateVersion === "number" ? rest.stateVersion : 0;
  const migrated: Record<string, unknown> = { ...rest, artifacts: rest[artifacts] };
  if (granularArtifacts !== undefined) migrated.granularArtifacts = rest[granularArtifacts];
  // Before version 2, create did not record which artifacts Graph accepted and held them all
  // accepted; keep reading them so, or every old draft would turn into an update after upgrading.
  const oldDraft = version < 2 && (rest.status === undefined || rest.status === "draft");
  if (version < STATE_VERSION) {
    for (const key of ["artifacts", "granularArtifacts"] as const) {
      if (Array.isArray(migrated[key])) migrated[key] = (migrated[key] as unknown[]).map((a) => heldMark(a, oldDraft));
    }
  }
  return migrated;
}

/** Before version 3, an `id` (or, in an old draft, nothing at all) told that Graph held an artifact; now `status` does. */
function heldMark(artifact: unknown, oldDraft: boolean): unknown {
  if (artifact === null || typeof artifact !== "object") return artifact;
  const a = artifact as Record<string, unknown>;
  if (a.status !== undefined && a.status !== null) return a;
  return a.id !== undefined && a.id !== null ? { ...a, status: "added" } : oldDraft ? { ...a, status: "added" } : a;
}

/** The stored outputs of a state, under the workload's Graph names. */
export function storedOutputs(workload: Workload, state: SessionState): Record<string, unknown> {
  const { artifacts, granularArtifacts, ...rest } = state;
  const { artifacts: artifactsKey, granularArtifacts: granularKey } = workload.restoreSession;
  const named: Record<string, unknown> = { [artifactsKey]: artifacts, ...rest };
  if (granularKey !== undefined && granularArtifacts.length > 0) named[granularKey] = granularArtifacts;
  return named;
}

/** True while Graph still allows the session to be changed or deleted. */
export function isDraft(state: Pick<SessionState, "status">): boolean {
  return state.status === "draft";
}

/** The inputs a state carries besides what it restores. */
export type StoredSettings = SessionSettings;

/** The settings of checked inputs or of a stored state, and nothing else. */
export function settingsOf(inputs: SessionSettings | SessionState): SessionSettings {
  return {
    destinationType: inputs.destinationType as SessionSettings["destinationType"],
    activate: inputs.activate,
    allowInPlaceRestore: inputs.allowInPlaceRestore,
    waitForCompletion: inputs.waitForCompletion,
    failOn: inputs.failOn as SessionSettings["failOn"],
    drillId: inputs.drillId,
  };
}

/** The Graph session's fields, as a state stores them. */
export function sessionFields(session: GraphSession): SessionFields {
  return Object.fromEntries(SESSION_FIELD_KEYS.map((key) => [key, session[key]])) as SessionFields;
}

/** A bulk request as a state stores it. */
export function bulkRequestState(request: GraphBulkRequest): NonNullable<SessionState["bulkRequest"]> {
  return bulkRequestStateSchema.parse(request);
}

/** What a bulk restore input asked for, as a state keeps it. */
export function bulkRestoreState(workload: Workload, bulk: BulkRestoreInput | undefined): SessionState["bulkRestore"] {
  if (bulk === undefined || bulk === null) return undefined;
  return {
    names: bulk[workload.restoreSession.bulkNames] ?? [],
    protectionTimePeriod: bulk.protectionTimePeriod,
    restorePointPreference: bulk.restorePointPreference,
    fastRestoreOnly: bulk.fastRestoreOnly,
    displayName: bulk.displayName,
  };
}

/** Keeps only the request part of a stored artifact. */
export function requestOf(a: ArtifactState): ArtifactRequest {
  return {
    restorePointId: a.restorePointId,
    siteWebUrl: a.siteWebUrl,
    siteId: a.siteId,
    directoryObjectId: a.directoryObjectId,
    email: a.email,
    requestedPointInTime: a.requestedPointInTime,
    restorePointPreference: a.restorePointPreference,
    fastRestoreOnly: a.fastRestoreOnly,
    query: a.query,
    protectionDateTime: a.protectionDateTime,
  };
}

/** Converts a Graph artifact into its stored form, on top of the request it answers. */
export function artifactState(artifact: GraphArtifact, request: ArtifactRequest): ArtifactState {
  return {
    ...request,
    protectionDateTime: artifact.restorePoint?.protectionDateTime ?? request.protectionDateTime,
    // Listed artifacts always carry a status; one without would still be held.
    status: artifact.status ?? "added",
    startDateTime: artifact.startDateTime,
    completionDateTime: artifact.completionDateTime,
    error: artifact.error,
    restoredSiteWebUrl: artifact.restoredSiteWebUrl,
    restoredFolderId: artifact.restoredFolderId,
    restoredFolderName: artifact.restoredFolderName,
    restoredItemCount: artifact.restoredItemCount,
  };
}

/**
 * Orders Graph's artifacts as the user listed them, then any that were added outside Pulumi (or,
 * for a bulk restore, by the service), so that refresh shows them. Requests Graph does not list
 * keep only their request: no `id` and no `status`, which is how diff knows they are missing.
 */
export function artifactsInInputOrder(requests: readonly ArtifactRequest[], listed: readonly GraphArtifact[]): ArtifactState[] {
  const byRestorePoint = new Map(listed.map((a) => [restorePointIdOf(a), a]));
  const ordered = requests.map((request) => {
    const found = byRestorePoint.get(request.restorePointId);
    byRestorePoint.delete(request.restorePointId);
    return found ? artifactState(found, request) : requestOf(request as ArtifactState);
  });
  const extras = [...byRestorePoint.entries()].map(([rp, a]) => ({ ...artifactState(a, { restorePointId: rp }), outOfBand: true }));
  return [...ordered, ...extras];
}

/** True when Graph is known to hold the artifact (listed, or accepted by a create or PATCH). */
export function isHeld(artifact: Pick<ArtifactState, "status">): boolean {
  return artifact.status !== undefined;
}

/** Removes undefined values so the state holds only what is known (Pulumi drops undefined anyway). */
export function compact<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
