/**
 * POST .../restorePoints/search over units of every workload: at most 20 units in, at most 5 restore
 * points out, one unit after another. With an `artifactQuery` (mailbox items) it takes exactly one
 * mailbox unit, counts the matching items per restore point and remembers the search, so granular
 * mailbox artifacts can name it by its `searchResponseId`.
 */
import { createHash, randomBytes } from "node:crypto";
import { EXCHANGE, LIMITS } from "../../provider/workloads";
import { jsonResponse, type RouteHandler } from "../context";
import { GraphHttpError } from "../errors";
import { isGuid } from "../ids";
import type { StoredUnit } from "../store";
import { restorePointsOf, type DerivedRestorePoint } from "../tenant/units";
import { odataContext } from "../views/common";
import { restorePointView } from "../views/restore-points";

interface SearchBody {
  protectionUnitIds?: unknown;
  protectionTimePeriod?: { startDateTime?: string | null; endDateTime?: string | null } | null;
  restorePointPreference?: string | null;
  tags?: string | null;
  artifactQuery?: { queryExpression?: unknown; artifactType?: unknown } | null;
}

/** POST .../restorePoints/search */
export const searchRestorePoints: RouteHandler = (_request, context) => {
  const body = (context.body ?? {}) as SearchBody;
  const unitIds = body.protectionUnitIds;
  if (!Array.isArray(unitIds) || unitIds.length === 0)
    throw new GraphHttpError(400, "InvalidSearchRequest", "protectionUnitIds must name at least one protection unit.");
  if (unitIds.length > LIMITS.unitsPerSearch) {
    throw new GraphHttpError(
      400,
      "InvalidSearchRequest",
      `At most ${LIMITS.unitsPerSearch} protection units can be searched in one request.`,
    );
  }
  for (const id of unitIds) {
    if (typeof id !== "string" || !isGuid(id))
      throw new GraphHttpError(400, "InvalidProtectionUnitId", `'${String(id)}' is not a valid protection unit id.`);
  }
  const query = body.artifactQuery ?? undefined;
  if (query !== undefined) checkArtifactQuery(query, unitIds as string[], context.tenant.store.getUnit(unitIds[0] as string));

  const order = body.restorePointPreference === "oldest" ? "oldest" : "latest";
  const perUnit = new Map<string, DerivedRestorePoint[]>();
  const noResult: string[] = [];
  for (const id of unitIds as string[]) {
    const unit = context.tenant.store.getUnit(id);
    const points = unit
      ? restorePointsOf(context.tenant, unit, {
          nowMs: context.nowMs,
          order,
          limit: LIMITS.resultsPerSearch,
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
  for (let round = 0; round < LIMITS.resultsPerSearch && results.length < LIMITS.resultsPerSearch; round++) {
    for (const points of perUnit.values()) {
      const point = points[round];
      if (point && results.length < LIMITS.resultsPerSearch) results.push(point);
    }
  }
  const searchResponseId = randomBytes(12).toString("base64url");
  const hits =
    query === undefined ? undefined : Object.fromEntries(results.map((p) => [p.id, hitCount(String(query.queryExpression), p.id)]));
  if (query !== undefined) {
    context.tenant.store.addSearch({
      id: searchResponseId,
      protectionUnitId: (unitIds[0] as string).toLowerCase(),
      queryExpression: String(query.queryExpression),
      artifactType: String(query.artifactType),
      createdDateTime: new Date(context.nowMs).toISOString(),
      hits: hits!,
    });
  }
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "microsoft.graph.restorePointSearchResponse"),
    searchResponseId,
    searchResults: results.map((point) => ({
      ...(hits === undefined ? {} : { artifactHitCount: hits[point.id] }),
      restorePoint: restorePointView(point, true),
    })),
    noResultProtectionUnitIds: noResult,
  });
};

/** The documented rules of an artifact query: exactly one unit, a mailbox's, a non-empty expression, `message` items. */
function checkArtifactQuery(query: NonNullable<SearchBody["artifactQuery"]>, unitIds: string[], unit: StoredUnit | undefined): void {
  if (unitIds.length !== 1)
    throw new GraphHttpError(400, "InvalidSearchRequest", "A search with an artifactQuery takes exactly one protection unit.");
  if (unit && unit.workload !== EXCHANGE.name) {
    throw new GraphHttpError(400, "InvalidSearchRequest", "An artifactQuery searches the items of a mailbox protection unit.");
  }
  if (typeof query.queryExpression !== "string" || query.queryExpression.trim().length === 0) {
    throw new GraphHttpError(400, "InvalidSearchRequest", "artifactQuery.queryExpression must be a non-empty expression.");
  }
  if (query.artifactType !== "message")
    throw new GraphHttpError(400, "InvalidSearchRequest", "artifactQuery.artifactType must be 'message'.");
}

/** How many items a query matches in a restore point: deterministic, between 1 and 40. */
function hitCount(expression: string, restorePointId: string): number {
  return 1 + (createHash("sha256").update(`${expression}\n${restorePointId}`).digest().readUInt16BE(0) % 40);
}

function parseTime(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new GraphHttpError(400, "InvalidSearchRequest", `'${value}' is not a valid date and time.`);
  return ms;
}
