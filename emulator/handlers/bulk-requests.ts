/**
 * Restore bulk addition requests (`<site|drive|mailbox>RestoreArtifactsBulkAdditionRequests`):
 * create, list and get while the session is a draft, delete once resolved. The names are resolved
 * when the session is activated (bulk-resolution.ts).
 */
import { LIMITS } from "../../provider/workloads";
import { jsonResponse, noContent, routeWorkload, type RouteContext, type RouteHandler } from "../context";
import { GraphHttpError } from "../errors";
import { isGuid, newGuid } from "../ids";
import { page } from "../paging";
import type { StoredBulkRequest, StoredSession } from "../store";
import { bulkRequestView } from "../views/bulk";
import { odataContext } from "../views/common";
import { requireDraft, sessionFromPath, touch } from "./session-lookup";

interface BulkBody {
  displayName?: string;
  destinationType?: unknown;
  protectionTimePeriod?: StoredBulkRequest["protectionTimePeriod"];
  restorePointPreference?: unknown;
  tags?: string | null;
  [names: string]: unknown;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** POST .../{id}/<bulkRequests> */
export const createBulkRequest: RouteHandler = (_request, context) => {
  const workload = routeWorkload(context);
  const session = sessionFromPath(context);
  requireDraft(session, "add a bulk request to");
  // BulkRestoreInvalidCreateRequest for both: it is the documented create error for a request the
  // service cannot take, and the docs say one request per session and no mixing with manual artifacts.
  if (session.bulkRequests.length >= LIMITS.bulkRequestsPerSession) {
    throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequest", "A restore session takes one bulk addition request.");
  }
  if (session.artifacts.length > 0) {
    throw new GraphHttpError(
      400,
      "BulkRestoreInvalidCreateRequest",
      "A restore session with artifacts cannot take a bulk addition request.",
    );
  }
  const body = (context.body ?? {}) as BulkBody;
  const { bulkNames, bulkNameKind } = workload.restoreSession;
  const names = body[bulkNames];
  if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== "string"))) {
    throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequest", `${bulkNames} must be a list of strings.`);
  }
  const list = (names ?? []) as string[];
  if (list.length === 0) throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequest", `Give at least one entry in ${bulkNames}.`);
  if (body.destinationType !== "new" && body.destinationType !== "inPlace") {
    throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequest", "destinationType must be 'new' or 'inPlace'.");
  }
  if (list.length > LIMITS.namesPerBulkRequest) {
    throw new GraphHttpError(
      400,
      "BulkRestoreRestorationResourcesCountExceedsLimit",
      `A bulk request can name at most ${LIMITS.namesPerBulkRequest} ${workload.noun.many}.`,
    );
  }
  for (const name of list) {
    if (bulkNameKind === "url" && !isHttpsUrl(name)) {
      throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequestSiteUrl", `'${name}' is not a valid site URL.`);
    }
    if (bulkNameKind === "email" && !EMAIL.test(name)) {
      throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequestUserEmail", `'${name}' is not a valid email address.`);
    }
  }
  const now = new Date(context.nowMs).toISOString();
  const request: StoredBulkRequest = {
    id: newGuid(),
    displayName: body.displayName,
    destinationType: body.destinationType,
    names: [...list],
    protectionTimePeriod: body.protectionTimePeriod,
    restorePointPreference: body.restorePointPreference === "oldest" ? "oldest" : "latest",
    tags: body.tags,
    createdDateTime: now,
    createdBy: context.caller,
    lastModifiedDateTime: now,
  };
  session.bulkRequests.push(request);
  session.restoreJobType = "bulk";
  touch(session, context);
  return jsonResponse(201, { "@odata.context": entityContext(context), ...bulkRequestView(workload, request, false) });
};

/** GET .../{id}/<bulkRequests> (without the names, as documented) */
export const listBulkRequests: RouteHandler = (request, context) => {
  const workload = routeWorkload(context);
  const session = sessionFromPath(context);
  const views = session.bulkRequests.map((r) => bulkRequestView(workload, r, true));
  const fragment = `solutions/backupRestore/${workload.restoreSession.collection}('${session.id}')/${workload.restoreSession.bulkRequests}`;
  return jsonResponse(200, page(request, context, views, odataContext(context, fragment)));
};

/** GET .../{id}/<bulkRequests>/{requestId} */
export const getBulkRequest: RouteHandler = (_request, context) => {
  const workload = routeWorkload(context);
  const { found } = bulkRequestFromPath(context);
  return jsonResponse(200, { "@odata.context": entityContext(context), ...bulkRequestView(workload, found, false) });
};

/** DELETE .../{id}/<bulkRequests>/{requestId}: only once the request is resolved (403 InvalidStateForBulkRequestDeletion before). */
export const deleteBulkRequest: RouteHandler = (_request, context) => {
  const { session, found } = bulkRequestFromPath(context);
  if (!found.resolution) {
    throw new GraphHttpError(
      403,
      "InvalidStateForBulkRequestDeletion",
      `Bulk request '${found.id}' is still active; it can be deleted once it is completed or completedWithErrors.`,
    );
  }
  session.bulkRequests.splice(session.bulkRequests.indexOf(found), 1);
  return noContent();
};

function bulkRequestFromPath(context: RouteContext): { session: StoredSession; found: StoredBulkRequest } {
  const session = sessionFromPath(context);
  const id = context.params.requestId!;
  if (!isGuid(id)) throw new GraphHttpError(400, "InvalidBulkRestoreArtifactId", `'${id}' is not a valid bulk request id.`);
  const found = session.bulkRequests.find((r) => r.id.toLowerCase() === id.toLowerCase());
  if (!found) throw new GraphHttpError(404, "BulkRestoreArtifactsNotFound", `Bulk request '${id}' was not found.`);
  return { session, found };
}

function entityContext(context: RouteContext): string {
  const { restoreSession } = routeWorkload(context);
  return odataContext(context, `solutions/backupRestore/${restoreSession.collection}/${restoreSession.bulkRequests}/$entity`);
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}
