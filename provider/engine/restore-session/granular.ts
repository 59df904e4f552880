/**
 * Item-level mailbox restores (Exchange granular artifacts): each entry's query becomes one
 * `restorePoints/search` with an `artifactQuery` on exactly one mailbox unit, whose answer gives
 * the restore point and the `searchResponseId` the session needs.
 *
 * v1.0 takes the query as a `queryExpression` string in the syntax Microsoft's docs show
 * (`(subject -contains 'Finance') -and (sender -eq 'alex@contoso.com') -and hasAttachment -eq true`);
 * beta also takes a `structuredQueryExpression`, which alone can name item kinds.
 */
import type { GraphClient, RestorePointSearchRequest } from "../../graph";
import type { GranularArtifactInput, MailboxQuery } from "../../schemas/inputs/restore-session";
import type { Workload } from "../../workloads";
import { UnitResolutionError } from "../unit-resolution-error";
import { labelOf, matchUnit, searchRequest, type ResolvedUnit } from "./resolve";
import type { ArtifactRequest } from "./state";

/** One resolved item-level artifact: the stored request and the search that picked its items. */
export interface GranularRequest extends ArtifactRequest {
  searchResponseId: string;
}

/** Resolves item-level entries, one search each (the artifact query takes one mailbox). */
export async function resolveGranular(
  graph: GraphClient,
  workload: Workload,
  entries: readonly GranularArtifactInput[],
  apiVersion: "v1.0" | "beta",
  now: () => Date,
): Promise<{ requests: GranularRequest[]; units: ResolvedUnit[] }> {
  const needsCatalog = entries.some((e) => e.restorePointId === undefined);
  const catalog = needsCatalog ? await graph.listProtectionUnits(workload) : [];
  const requests: GranularRequest[] = [];
  const units: ResolvedUnit[] = [];
  for (const entry of entries) {
    const label = labelOf(workload, entry);
    let unitId: string;
    let window: Pick<RestorePointSearchRequest, "start" | "end" | "preference" | "fastRestoreOnly">;
    if (entry.restorePointId !== undefined) {
      // A given restore point: search exactly its instant on its own unit.
      const point = await graph.getRestorePoint(entry.restorePointId);
      if (point?.protectionUnit?.id === undefined || point.protectionDateTime === undefined) {
        throw new UnitResolutionError(label, "is not a restore point Microsoft Graph knows (or it names no protection unit)");
      }
      unitId = point.protectionUnit.id;
      window = { start: point.protectionDateTime, end: point.protectionDateTime, preference: "latest" };
    } else {
      unitId = matchUnit(workload, catalog, entry).id;
      window = searchRequest(entry, now().toISOString(), [unitId]);
    }
    const response = await graph.searchRestorePoints({
      ...window,
      protectionUnitIds: [unitId],
      artifactQuery: artifactQuery(entry.query, apiVersion),
    });
    const point = response.searchResults.find(
      (r) => r.restorePoint.protectionUnit?.id?.toLowerCase() === unitId.toLowerCase(),
    )?.restorePoint;
    if (point === undefined || response.searchResponseId === undefined) {
      throw new UnitResolutionError(label, "has no restore point with items matching the query in the requested window");
    }
    requests.push({
      restorePointId: point.id,
      protectionDateTime: point.protectionDateTime,
      email: entry.email,
      directoryObjectId: entry.directoryObjectId,
      requestedPointInTime: entry.pointInTime,
      restorePointPreference: entry.restorePointPreference,
      fastRestoreOnly: entry.fastRestoreOnly,
      query: entry.query,
      searchResponseId: response.searchResponseId,
    });
    units.push({ label, protectionUnitId: unitId });
  }
  return { requests, units };
}

/** The search's artifact query: the documented v1.0 expression, or beta's structured form. */
export function artifactQuery(query: MailboxQuery, apiVersion: "v1.0" | "beta"): NonNullable<RestorePointSearchRequest["artifactQuery"]> {
  if (apiVersion === "beta") {
    const { itemKinds, ...rest } = query;
    return { structuredQueryExpression: { ...rest, ...(itemKinds !== undefined ? { items: itemKinds } : {}) }, artifactType: "message" };
  }
  return { queryExpression: queryExpression(query), artifactType: "message" };
}

/** Builds the v1.0 `queryExpression` from a query, in the syntax Microsoft's docs show. */
export function queryExpression(query: MailboxQuery): string {
  // One condition is `(field op 'v')`; alternatives are grouped: `((field op 'a') -or (field op 'b'))`.
  const anyOf = (field: string, op: string, values: readonly string[] | undefined): string[] => {
    if (values === undefined) return [];
    const conditions = values.map((v) => `(${field} ${op} ${quote(v)})`);
    return [conditions.length === 1 ? conditions[0]! : `(${conditions.join(" -or ")})`];
  };
  const clauses = [
    ...anyOf("subject", "-contains", query.subjects),
    ...anyOf("sender", "-eq", query.senders),
    ...anyOf("recipient", "-eq", query.recipients),
    ...(query.hasAttachment !== undefined ? [`hasAttachment -eq ${query.hasAttachment}`] : []),
  ];
  return clauses.join(" -and ");
}

/** A string literal with single quotes doubled, as OData quotes them. */
function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
