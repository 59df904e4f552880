/** Restore session handlers for every workload: create, list, get, delete, activate. */
import { LIMITS, type Workload } from "../../provider/workloads";
import { jsonResponse, noContent, routeWorkload, type RouteContext, type RouteHandler } from "../context";
import { GraphHttpError } from "../errors";
import { newGuid } from "../ids";
import { page } from "../paging";
import { ACTIVE_STATUSES, sessionProgress } from "../progress";
import type { StoredArtifact, StoredSession } from "../store";
import { odataContext } from "../views/common";
import { sessionView } from "../views/sessions";
import { resolveArtifact, resolveGranularArtifact, singleDestination, type ArtifactSpecInput } from "./artifact-specs";
import { resolveBulkRequests } from "./bulk-resolution";
import { requireDraft, sessionFromPath, touch } from "./session-lookup";

/** POST .../<workload>RestoreSessions */
export const createSession: RouteHandler = (_request, context) => {
  const workload = routeWorkload(context);
  const body = (context.body ?? {}) as Record<string, unknown>;
  const { artifacts: standardKey, granularArtifacts: granularKey } = workload.restoreSession;
  for (const key of Object.keys(body)) {
    if (/^granular\w*RestoreArtifacts$/.test(key) && key !== granularKey) {
      throw new GraphHttpError(400, "InvalidArtifactRequest", `Granular artifacts ('${key}') are not supported by this emulator.`);
    }
  }
  const standard = body[standardKey];
  const granular = granularKey === undefined ? undefined : body[granularKey];
  if (standard !== undefined && granular !== undefined) {
    throw new GraphHttpError(400, "InvalidArtifactRequest", "A restore session cannot mix standard and granular artifacts.");
  }
  const now = new Date(context.nowMs).toISOString();
  const session: StoredSession = {
    id: newGuid(),
    workload: workload.name,
    restoreJobType: "standard",
    createdDateTime: now,
    createdBy: context.caller,
    lastModifiedDateTime: now,
    lastModifiedBy: context.caller,
    artifacts: [],
    bulkRequests: [],
  };
  // Leaving the property out is the documented empty session of the bulk flow; an empty list is an
  // error (the create error table's reading of the docs' contradiction, see the workloads notes).
  if (standard !== undefined) session.artifacts = createArtifacts(standard, standardKey, workload, context, false);
  if (granular !== undefined) {
    session.artifacts = createArtifacts(granular, granularKey!, workload, context, true);
    session.granular = true;
  }
  context.tenant.store.addSession(session);
  return jsonResponse(201, {
    "@odata.context": odataContext(context, `solutions/backupRestore/${workload.restoreSession.collection}/$entity`),
    ...sessionView(session, context),
  });
};

function createArtifacts(value: unknown, property: string, workload: Workload, context: RouteContext, granular: boolean): StoredArtifact[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new GraphHttpError(400, "InvalidArtifactRequest", `${property} must contain at least one artifact.`);
  }
  // The docs give no number for create (only "413 limit breached"); we use the PATCH limit so
  // clients must chunk large sessions the same way in both calls.
  if (value.length > LIMITS.artifactsPerRequest) {
    throw new GraphHttpError(
      413,
      "RestoreArtifactsLimitBreached",
      `At most ${LIMITS.artifactsPerRequest} artifacts can be sent in one request.`,
    );
  }
  const specs = value as ArtifactSpecInput[];
  const destinationType = singleDestination(specs)!;
  const artifacts: StoredArtifact[] = [];
  for (const spec of specs) {
    const resolved: StoredArtifact | { invalid: string; code?: string } = granular
      ? resolveGranularArtifact(spec, destinationType, workload, context)
      : resolveArtifact(spec, destinationType, workload, context);
    if ("invalid" in resolved) throw new GraphHttpError(400, resolved.code ?? "InvalidRestorePoint", resolved.invalid);
    // A standard session restores each object once; a granular one may restore several searches of one mailbox.
    const duplicate = granular
      ? artifacts.some((a) => a.restorePointId === resolved.restorePointId && a.searchResponseId === resolved.searchResponseId)
      : artifacts.some((a) => a.key === resolved.key);
    if (duplicate) throw new GraphHttpError(400, "DuplicateArtifactInList", `'${resolved.key}' appears more than once in the request.`);
    artifacts.push(resolved);
  }
  return artifacts;
}

/** GET .../restoreSessions (all workloads, each with its `@odata.type`) and .../<workload>RestoreSessions */
export const listSessions: RouteHandler = (request, context) => {
  const sessions = context.tenant.store.listSessions().filter((s) => !context.workload || s.workload === context.workload.name);
  const collection = context.workload?.restoreSession.collection ?? "restoreSessions";
  const views = sessions.map((s) => sessionView(s, context));
  return jsonResponse(200, page(request, context, views, odataContext(context, `solutions/backupRestore/${collection}`)));
};

/** GET .../restoreSessions/{id} and .../<workload>RestoreSessions/{id} */
export const getSession: RouteHandler = (_request, context) => {
  const session = sessionFromPath(context);
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "solutions/backupRestore/restoreSessions/$entity"),
    ...sessionView(session, context),
  });
};

/** DELETE .../restoreSessions/{id} (draft only) */
export const deleteSession: RouteHandler = (_request, context) => {
  const session = sessionFromPath(context);
  requireDraft(session, "delete");
  context.tenant.store.deleteSession(session.id);
  return noContent();
};

/**
 * POST .../restoreSessions/{id}/activate. The 25-active limit is the tenant's, across the three
 * workloads. Bulk requests are resolved here: their names become ordinary artifacts. A session
 * that would restore nothing is refused with 400 InvalidArtifactRequest and its bulk requests stay
 * `active` (undocumented; the error names what could not be resolved).
 */
export const activateSession: RouteHandler = (_request, context) => {
  const session = sessionFromPath(context);
  requireDraft(session, "activate");
  const { store } = context.tenant;
  const active = store.listSessions().filter((s) => ACTIVE_STATUSES.includes(sessionProgress(s, store, context.nowMs).status)).length;
  if (active >= LIMITS.activeSessions) {
    throw new GraphHttpError(
      500,
      "TooManyActiveRestoreSessions",
      `At most ${LIMITS.activeSessions} restore sessions can be active at once; try again later.`,
    );
  }
  const resolution = resolveBulkRequests(session, context);
  if (session.artifacts.length + resolution.artifacts.length === 0) {
    const unresolved = resolution.outcomes.flatMap((o) => o.unresolved);
    const detail = unresolved.length > 0 ? ` None of its names could be resolved: ${unresolved.slice(0, 10).join(", ")}.` : "";
    throw new GraphHttpError(400, "InvalidArtifactRequest", `The restore session has no artifacts to restore.${detail}`);
  }
  resolution.apply();
  session.artifacts.forEach((artifact, ordinal) => {
    artifact.ordinal = ordinal;
    if (artifact.destinationType === "new") artifact.restoredNumber = store.nextRestoredNumber(artifact.key);
  });
  session.activatedDateTime = new Date(context.nowMs).toISOString();
  touch(session, context);
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "solutions/backupRestore/restoreSessions/$entity"),
    ...sessionView(session, context),
  });
};
