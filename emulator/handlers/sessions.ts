/** Restore session handlers: create, list, get, PATCH with `@delta`, delete, activate. */
import { GraphHttpError } from "../errors";
import { jsonResponse, type RouteContext, type RouteHandler } from "../context";
import { isGuid, newGuid } from "../ids";
import { page } from "../paging";
import { ACTIVE_STATUSES, sessionProgress } from "../progress";
import type { StoredArtifact, StoredSession } from "../store";
import { odataContext, sessionView } from "../views";
import {
  CREATE_ARTIFACT_LIMIT,
  PATCH_ARTIFACT_LIMIT,
  SESSION_ARTIFACT_LIMIT,
  destinationOf,
  resolveArtifact,
  sessionDestination,
  singleDestination,
  type ArtifactSpecInput,
} from "./artifact-rules";
import { resolveBulkRequests } from "./bulk";

/** Sessions that may be activating or active at once (documented). */
export const MAX_ACTIVE_SESSIONS = 25;

/** Finds the session named in the path: 400 InvalidRestoreSessionId when malformed, 404 RestoreSessionNotFound when absent. */
export function sessionFromPath(context: RouteContext): StoredSession {
  const id = context.params.id!;
  if (!isGuid(id)) throw new GraphHttpError(400, "InvalidRestoreSessionId", `'${id}' is not a valid restore session id.`);
  const session = context.tenant.store.get(id);
  if (!session) throw new GraphHttpError(404, "RestoreSessionNotFound", `Restore session '${id}' was not found.`);
  return session;
}

/** Throws 403 RestoreSessionActionNotAllowed unless the session is still a draft. */
export function requireDraft(session: StoredSession, action: string): void {
  if (session.activatedDateTime !== undefined) {
    throw new GraphHttpError(
      403,
      "RestoreSessionActionNotAllowed",
      `Cannot ${action} restore session '${session.id}': it is no longer in draft.`,
    );
  }
}

/** POST .../sharePointRestoreSessions */
export const createSession: RouteHandler = (_request, context) => {
  const body = (context.body ?? {}) as { siteRestoreArtifacts?: unknown; granularSiteRestoreArtifacts?: unknown };
  if (body.granularSiteRestoreArtifacts !== undefined) {
    throw new GraphHttpError(400, "InvalidArtifactRequest", "Granular (item-level) restore is not supported by this emulator.");
  }
  const now = new Date(context.nowMs).toISOString();
  const session: StoredSession = {
    id: newGuid(),
    restoreJobType: "standard",
    createdDateTime: now,
    createdBy: context.caller,
    lastModifiedDateTime: now,
    lastModifiedBy: context.caller,
    artifacts: [],
    bulkRequests: [],
  };
  // No property at all is the documented empty session for the bulk flow; an empty list is an error.
  if (body.siteRestoreArtifacts !== undefined) session.artifacts = createArtifacts(body.siteRestoreArtifacts, context);
  context.tenant.store.add(session);
  return jsonResponse(201, {
    "@odata.context": odataContext(context, "solutions/backupRestore/sharePointRestoreSessions/$entity"),
    ...sessionView(session, context),
  });
};

function createArtifacts(value: unknown, context: RouteContext): StoredArtifact[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new GraphHttpError(400, "InvalidArtifactRequest", "siteRestoreArtifacts must contain at least one artifact.");
  }
  if (value.length > CREATE_ARTIFACT_LIMIT) {
    throw new GraphHttpError(
      413,
      "RestoreArtifactsLimitBreached",
      `At most ${CREATE_ARTIFACT_LIMIT} artifacts can be sent in one request.`,
    );
  }
  const specs = value as ArtifactSpecInput[];
  const destinationType = singleDestination(specs)!;
  const artifacts: StoredArtifact[] = [];
  for (const spec of specs) {
    const resolved = resolveArtifact(spec, destinationType, context);
    if ("invalid" in resolved) throw new GraphHttpError(400, "InvalidRestorePoint", resolved.invalid);
    if (artifacts.some((a) => a.siteId === resolved.siteId)) {
      throw new GraphHttpError(400, "DuplicateArtifactInList", `Site '${resolved.siteId}' appears more than once in the request.`);
    }
    artifacts.push(resolved);
  }
  return artifacts;
}

/** GET .../restoreSessions and .../sharePointRestoreSessions */
export const listSessions: RouteHandler = (request, context) => {
  const views = context.tenant.store.list().map((s) => sessionView(s, context));
  const collection = request.url.includes("/sharePointRestoreSessions") ? "sharePointRestoreSessions" : "restoreSessions";
  return jsonResponse(200, page(request, context, views, odataContext(context, `solutions/backupRestore/${collection}`)));
};

/** GET .../restoreSessions/{id} and .../sharePointRestoreSessions/{id} */
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
  context.tenant.store.delete(session.id);
  return new Response(null, { status: 204 });
};

/** POST .../restoreSessions/{id}/activate */
export const activateSession: RouteHandler = (_request, context) => {
  const session = sessionFromPath(context);
  requireDraft(session, "activate");
  const { store } = context.tenant;
  const active = store.list().filter((s) => ACTIVE_STATUSES.includes(sessionProgress(s, store, context.nowMs).status)).length;
  if (active >= MAX_ACTIVE_SESSIONS) {
    throw new GraphHttpError(
      500,
      "TooManyActiveRestoreSessions",
      `At most ${MAX_ACTIVE_SESSIONS} restore sessions can be active at once; try again later.`,
    );
  }
  const resolved = resolveBulkRequests(session, context);
  if (session.artifacts.length + resolved.length === 0) {
    throw new GraphHttpError(400, "InvalidArtifactRequest", "The restore session has no artifacts to restore.");
  }
  session.artifacts.push(...resolved);
  session.artifacts.forEach((artifact, ordinal) => {
    artifact.ordinal = ordinal;
    if (artifact.destinationType === "new") artifact.restoredNumber = store.nextRestoredNumber(artifact.siteId);
  });
  const now = new Date(context.nowMs).toISOString();
  session.activatedDateTime = now;
  session.lastModifiedDateTime = now;
  session.lastModifiedBy = context.caller;
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "solutions/backupRestore/restoreSessions/$entity"),
    ...sessionView(session, context),
  });
};

type DeltaItem = ArtifactSpecInput & { id?: unknown; "@removed"?: unknown; "@contentId"?: unknown };

/** PATCH .../sharePointRestoreSessions/{id} with `siteRestoreArtifacts@delta` (draft only). */
export const patchSession: RouteHandler = (_request, context) => {
  const session = sessionFromPath(context);
  requireDraft(session, "update");
  const delta = (context.body as Record<string, unknown> | undefined)?.["siteRestoreArtifacts@delta"];
  if (!Array.isArray(delta))
    throw new GraphHttpError(400, "InvalidPatchRequest", "The body must contain a 'siteRestoreArtifacts@delta' array.");
  if (delta.length > PATCH_ARTIFACT_LIMIT) {
    throw new GraphHttpError(400, "RestoreArtifactsLimitBreached", `At most ${PATCH_ARTIFACT_LIMIT} artifacts can be sent in one request.`);
  }
  const items = delta as DeltaItem[];
  const adds = items.filter((item) => item["@removed"] === undefined);
  for (const item of items) {
    if (item["@removed"] !== undefined && typeof item.id !== "string") {
      throw new GraphHttpError(400, "InvalidPatchRequest", "An element marked '@removed' needs the artifact 'id'.");
    }
    if (item["@removed"] === undefined && item.id !== undefined) {
      throw new GraphHttpError(400, "InvalidPatchRequest", "Artifacts to add must not carry an 'id'.");
    }
  }
  adds.forEach((item, i) => destinationOf(item, i));
  singleDestination(adds);
  const removals = items.length - adds.length;
  if (session.artifacts.length - removals + adds.length > SESSION_ARTIFACT_LIMIT) {
    throw new GraphHttpError(400, "RestoreArtifactsLimitBreached", `A restore session holds at most ${SESSION_ARTIFACT_LIMIT} artifacts.`);
  }
  const results = items.map((item, index) => applyDeltaItem(session, item, index, context));
  session.lastModifiedDateTime = new Date(context.nowMs).toISOString();
  session.lastModifiedBy = context.caller;
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "solutions/backupRestore/sharePointRestoreSessions/siteRestoreArtifacts"),
    value: results,
  });
};

function applyDeltaItem(session: StoredSession, item: DeltaItem, index: number, context: RouteContext): Record<string, unknown> {
  const contentId = typeof item["@contentId"] === "string" ? item["@contentId"] : String(index + 1);
  if (item["@removed"] !== undefined) {
    const id = item.id as string;
    const position = session.artifacts.findIndex((a) => a.id.toLowerCase() === id.toLowerCase());
    if (position < 0)
      return itemFailure(contentId, "delete", 409, "ArtifactNotFound", `Artifact '${id}' is not part of this restore session.`);
    session.artifacts.splice(position, 1);
    return { "@contentId": contentId, "@removed": { reason: "deleted" }, id };
  }
  const destinationType = item.destinationType as "new" | "inPlace";
  const existing = sessionDestination(session.artifacts);
  if (existing !== undefined && existing !== destinationType) {
    return itemFailure(
      contentId,
      "insert",
      400,
      "DifferentRestoreDestinationType",
      `The session restores to '${existing}'; cannot add a '${destinationType}' artifact.`,
    );
  }
  const resolved = resolveArtifact(item, destinationType, context);
  if ("invalid" in resolved) return itemFailure(contentId, "insert", 400, "InvalidRestorePoint", resolved.invalid);
  if (session.artifacts.some((a) => a.siteId === resolved.siteId)) {
    return itemFailure(
      contentId,
      "insert",
      409,
      "DuplicateArtifactInList",
      `Site '${resolved.siteId}' is already part of this restore session.`,
    );
  }
  session.artifacts.push(resolved);
  return {
    "@contentId": contentId,
    id: resolved.id,
    destinationType,
    status: "added",
    restorePoint: { id: resolved.restorePointId },
  };
}

function itemFailure(
  contentId: string,
  failedOperation: "insert" | "delete",
  responseCode: number,
  code: string,
  message: string,
): Record<string, unknown> {
  return { "@contentId": contentId, "@Core.DataModificationException": { info: { code, message }, failedOperation, responseCode } };
}
