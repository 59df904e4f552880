/** Read-only tenant configuration: site protection units, SharePoint protection policies, restore-point search. */
import { randomBytes } from "node:crypto";
import { GraphHttpError } from "../errors";
import { jsonResponse, type RouteContext, type RouteHandler } from "../context";
import { isGuid } from "../ids";
import { page } from "../paging";
import type { DerivedRestorePoint } from "../seed";
import { odataContext, policyView, protectionUnitView, restorePointView } from "../views";

/** Protection units one search may name (documented). */
export const SEARCH_UNIT_LIMIT = 20;
/** Restore points one search returns at most (documented; not paged). */
export const SEARCH_RESULT_LIMIT = 5;

/** GET .../siteProtectionUnits, .../protectionUnits/microsoft.graph.siteProtectionUnit */
export const listProtectionUnits: RouteHandler = (request, context) => {
  const { seed } = context.tenant;
  const views = seed.protectedSites().map((site) => protectionUnitView(site, seed.policy, context.delegated));
  return jsonResponse(200, page(request, context, views, odataContext(context, "solutions/backupRestore/siteProtectionUnits")));
};

/** GET .../siteProtectionUnits/{unitId} and .../sharePointProtectionPolicies/{id}/siteProtectionUnits/{unitId} */
export const getProtectionUnit: RouteHandler = (_request, context) => {
  const { seed } = context.tenant;
  const unitId = context.params.unitId!;
  if (context.params.policyId !== undefined) policyFromPath(context);
  const site = seed.siteByUnitId(unitId);
  if (!site) throw new GraphHttpError(404, "ProtectionUnitNotFound", `Protection unit '${unitId}' was not found.`);
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "solutions/backupRestore/siteProtectionUnits/$entity"),
    ...protectionUnitView(site, seed.policy, context.delegated),
  });
};

/** GET .../sharePointProtectionPolicies */
export const listPolicies: RouteHandler = (request, context) => {
  const { seed } = context.tenant;
  const views = [policyView(seed.policy, seed.protectedSites().length)];
  return jsonResponse(200, page(request, context, views, odataContext(context, "solutions/backupRestore/sharePointProtectionPolicies")));
};

/** GET .../sharePointProtectionPolicies/{policyId} */
export const getPolicy: RouteHandler = (_request, context) => {
  const { seed } = context.tenant;
  policyFromPath(context);
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "solutions/backupRestore/sharePointProtectionPolicies/$entity"),
    ...policyView(seed.policy, seed.protectedSites().length),
  });
};

/** GET .../sharePointProtectionPolicies/{policyId}/siteProtectionUnits */
export const listPolicyUnits: RouteHandler = (request, context) => {
  const { seed } = context.tenant;
  policyFromPath(context);
  const views = seed.protectedSites().map((site) => protectionUnitView(site, seed.policy, context.delegated));
  return jsonResponse(
    200,
    page(
      request,
      context,
      views,
      odataContext(context, `solutions/backupRestore/sharePointProtectionPolicies('${seed.policy.id}')/siteProtectionUnits`),
    ),
  );
};

/** Throws 404 unless the path names the seeded policy. */
function policyFromPath(context: RouteContext): void {
  const id = context.params.policyId!;
  if (id.toLowerCase() !== context.tenant.seed.policy.id)
    throw new GraphHttpError(404, "ProtectionPolicyNotFound", `Protection policy '${id}' was not found.`);
}

interface SearchBody {
  protectionUnitIds?: unknown;
  protectionTimePeriod?: { startDateTime?: string | null; endDateTime?: string | null } | null;
  restorePointPreference?: string | null;
  tags?: string | null;
}

/** POST .../restorePoints/search: at most 20 units in, at most 5 restore points out, one unit after another. */
export const searchRestorePoints: RouteHandler = (_request, context) => {
  const { seed } = context.tenant;
  const body = (context.body ?? {}) as SearchBody;
  const unitIds = body.protectionUnitIds;
  if (!Array.isArray(unitIds) || unitIds.length === 0)
    throw new GraphHttpError(400, "InvalidSearchRequest", "protectionUnitIds must name at least one protection unit.");
  if (unitIds.length > SEARCH_UNIT_LIMIT) {
    throw new GraphHttpError(400, "InvalidSearchRequest", `At most ${SEARCH_UNIT_LIMIT} protection units can be searched in one request.`);
  }
  for (const id of unitIds) {
    if (typeof id !== "string" || !isGuid(id))
      throw new GraphHttpError(400, "InvalidProtectionUnitId", `'${String(id)}' is not a valid protection unit id.`);
  }
  const order = body.restorePointPreference === "oldest" ? "oldest" : "latest";
  const perUnit = new Map<string, DerivedRestorePoint[]>();
  const noResult: string[] = [];
  for (const id of unitIds as string[]) {
    const site = seed.siteByUnitId(id);
    const points = site
      ? seed.restorePoints(site, {
          nowMs: context.nowMs,
          order,
          limit: SEARCH_RESULT_LIMIT,
          fromMs: parseTime(body.protectionTimePeriod?.startDateTime),
          toMs: parseTime(body.protectionTimePeriod?.endDateTime),
          fastOnly: body.tags === "fastRestore",
        })
      : [];
    if (points.length === 0) noResult.push(id);
    else perUnit.set(id, points);
  }
  // Round-robin over units so that each unit gets its best point before any unit gets a second one.
  const results: DerivedRestorePoint[] = [];
  for (let round = 0; round < SEARCH_RESULT_LIMIT && results.length < SEARCH_RESULT_LIMIT; round++) {
    for (const points of perUnit.values()) {
      const point = points[round];
      if (point && results.length < SEARCH_RESULT_LIMIT) results.push(point);
    }
  }
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "microsoft.graph.restorePointSearchResponse"),
    searchResponseId: randomBytes(12).toString("base64url"),
    searchResults: results.map((point) => ({ restorePoint: restorePointView(point, seed.policy), artifactHitCount: null })),
    noResultProtectionUnitIds: noResult,
  });
};

function parseTime(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new GraphHttpError(400, "InvalidSearchRequest", `'${value}' is not a valid date and time.`);
  return ms;
}
