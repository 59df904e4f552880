/**
 * Bulk addition requests: create, list and get while the session is a draft; on activation the
 * requested sites are resolved to artifacts (restore point chosen by period, preference and tags).
 */
import { GraphHttpError } from "../errors";
import { jsonResponse, type RouteContext, type RouteHandler } from "../context";
import { isGuid, newGuid } from "../ids";
import { page } from "../paging";
import type { StoredArtifact, StoredBulkRequest, StoredSession } from "../store";
import { bulkRequestView, odataContext } from "../views";
import { SESSION_ARTIFACT_LIMIT } from "./artifact-rules";
import { requireDraft, sessionFromPath } from "./sessions";

interface BulkBody {
  displayName?: string;
  destinationType?: unknown;
  siteIds?: unknown;
  siteWebUrls?: unknown;
  protectionTimePeriod?: { startDateTime?: string; endDateTime?: string };
  restorePointPreference?: unknown;
  tags?: string;
}

/** POST .../sharePointRestoreSessions/{id}/siteRestoreArtifactsBulkAdditionRequests */
export const createBulkRequest: RouteHandler = (_request, context) => {
  const session = sessionFromPath(context);
  requireDraft(session, "add a bulk request to");
  const body = (context.body ?? {}) as BulkBody;
  const siteIds = stringList(body.siteIds, "siteIds");
  const siteWebUrls = stringList(body.siteWebUrls, "siteWebUrls");
  if (siteIds.length + siteWebUrls.length === 0) {
    throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequest", "Give at least one entry in siteIds or siteWebUrls.");
  }
  if (body.destinationType !== "new" && body.destinationType !== "inPlace") {
    throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequest", "destinationType must be 'new' or 'inPlace'.");
  }
  for (const url of siteWebUrls) {
    if (!isHttpsUrl(url)) throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequestSiteUrl", `'${url}' is not a valid site URL.`);
  }
  if (siteIds.length + siteWebUrls.length > SESSION_ARTIFACT_LIMIT) {
    throw new GraphHttpError(
      400,
      "BulkRestoreRestorationResourcesCountExceedsLimit",
      `A bulk request can name at most ${SESSION_ARTIFACT_LIMIT} sites.`,
    );
  }
  const now = new Date(context.nowMs).toISOString();
  const request: StoredBulkRequest = {
    id: newGuid(),
    displayName: body.displayName,
    destinationType: body.destinationType,
    siteIds,
    siteWebUrls,
    protectionTimePeriod: body.protectionTimePeriod,
    restorePointPreference: body.restorePointPreference === "oldest" ? "oldest" : "latest",
    tags: body.tags,
    createdDateTime: now,
    createdBy: context.caller,
    lastModifiedDateTime: now,
  };
  session.bulkRequests.push(request);
  session.restoreJobType = "bulk";
  session.lastModifiedDateTime = now;
  session.lastModifiedBy = context.caller;
  return jsonResponse(201, {
    "@odata.context": odataContext(
      context,
      "solutions/backupRestore/sharePointRestoreSessions/siteRestoreArtifactsBulkAdditionRequests/$entity",
    ),
    ...bulkRequestView(request, false),
  });
};

/** GET .../siteRestoreArtifactsBulkAdditionRequests (without siteWebUrls) */
export const listBulkRequests: RouteHandler = (request, context) => {
  const session = sessionFromPath(context);
  const views = session.bulkRequests.map((r) => bulkRequestView(r, true));
  return jsonResponse(
    200,
    page(
      request,
      context,
      views,
      odataContext(context, `solutions/backupRestore/sharePointRestoreSessions('${session.id}')/siteRestoreArtifactsBulkAdditionRequests`),
    ),
  );
};

/** GET .../siteRestoreArtifactsBulkAdditionRequests/{requestId} */
export const getBulkRequest: RouteHandler = (_request, context) => {
  const session = sessionFromPath(context);
  const id = context.params.requestId!;
  if (!isGuid(id)) throw new GraphHttpError(400, "InvalidBulkRestoreArtifactId", `'${id}' is not a valid bulk request id.`);
  const found = session.bulkRequests.find((r) => r.id.toLowerCase() === id.toLowerCase());
  if (!found) throw new GraphHttpError(404, "BulkRestoreArtifactsNotFound", `Bulk request '${id}' was not found.`);
  return jsonResponse(200, {
    "@odata.context": odataContext(
      context,
      "solutions/backupRestore/sharePointRestoreSessions/siteRestoreArtifactsBulkAdditionRequests/$entity",
    ),
    ...bulkRequestView(found, false),
  });
};

/** DELETE .../siteRestoreArtifactsBulkAdditionRequests/{requestId}: only once the request is resolved. */
export const deleteBulkRequest: RouteHandler = (_request, context) => {
  const session = sessionFromPath(context);
  const id = context.params.requestId!;
  if (!isGuid(id)) throw new GraphHttpError(400, "InvalidBulkRestoreArtifactId", `'${id}' is not a valid bulk request id.`);
  const index = session.bulkRequests.findIndex((r) => r.id.toLowerCase() === id.toLowerCase());
  if (index < 0) throw new GraphHttpError(404, "BulkRestoreArtifactsNotFound", `Bulk request '${id}' was not found.`);
  if (!session.bulkRequests[index]!.resolution) {
    throw new GraphHttpError(
      403,
      "InvalidStateForBulkRequestDeletion",
      `Bulk request '${id}' is still active; it can be deleted once it is completed or completedWithErrors.`,
    );
  }
  session.bulkRequests.splice(index, 1);
  return new Response(null, { status: 204 });
};

/** Turns a draft session's bulk requests into artifacts and records each request's outcome. */
export function resolveBulkRequests(session: StoredSession, context: RouteContext): StoredArtifact[] {
  const { seed } = context.tenant;
  const artifacts: StoredArtifact[] = [];
  const taken = new Set(session.artifacts.map((a) => a.siteId));
  const at = new Date(context.nowMs).toISOString();
  for (const request of session.bulkRequests) {
    const unresolved: string[] = [];
    for (const ref of [...request.siteIds, ...request.siteWebUrls]) {
      const site = seed.siteByIdOrUrl(ref);
      const point = site
        ? seed.restorePoints(site, {
            nowMs: context.nowMs,
            order: request.restorePointPreference,
            limit: 1,
            fromMs: parseTime(request.protectionTimePeriod?.startDateTime),
            toMs: parseTime(request.protectionTimePeriod?.endDateTime),
            fastOnly: request.tags === "fastRestore",
          })[0]
        : undefined;
      if (!site || !point) {
        unresolved.push(ref);
        continue;
      }
      // A site named twice (by id and URL, or in two requests) is restored once.
      if (taken.has(site.siteId)) continue;
      taken.add(site.siteId);
      artifacts.push({
        id: newGuid(),
        restorePointId: point.id,
        protectionMs: point.protectionMs,
        siteId: site.siteId,
        destinationType: request.destinationType,
      });
    }
    request.resolution = { status: unresolved.length === 0 ? "completed" : "completedWithErrors", unresolved, at };
  }
  return artifacts;
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequest", `${name} must be a list of strings.`);
  }
  return value as string[];
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

function parseTime(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(value);
}
