/**
 * One restore point per protection unit, for any number of units, in as few restore-point searches
 * as Graph allows: the engine (entries named by site, user or mailbox) and the program-side
 * `getRestorePoints` both ask this way.
 *
 * A search takes at most 20 units but returns at most five restore points in total, unpaged; so
 * units are searched five at a time, which leaves room for one point each. Units that ask for a
 * different window, preference or tag go in different searches. Searches run concurrently
 * (bounded) under the client's shared throttle; the answer does not depend on their order.
 */
import pLimit from "p-limit";
import type { RestorePoint } from "../schemas/wire";
import { chunks } from "./chunks";
import { LIMITS } from "../workloads";
import type { GraphClient, RestorePointSearchRequest } from "./client";
import { isGraphRequestError } from "./graph-request-error";

/** Units per search: as many as the search has results, so each unit can get one. */
export const UNITS_PER_SEARCH = LIMITS.resultsPerSearch;

/** Searches in flight at once; the client's throttle gate still bounds requests per origin. */
export const SEARCH_CONCURRENCY = 8;

/** What a search asks for, without its units: window, preference, tag. */
export type SearchCriteria = Omit<RestorePointSearchRequest, "protectionUnitIds" | "artifactQuery">;

/** One unit and what to search it for. */
export interface UnitSearch {
  unitId: string;
  criteria: SearchCriteria;
}

/**
 * The restore point of each unit that fits its criteria (newest for `latest`, the default; oldest
 * for `oldest`), or `undefined` when it has none, in the order asked. A unit asked twice with the
 * same criteria is searched once. A failed search rejects with its error, noting the units it
 * searched. `concurrency` bounds the searches in flight (1: one after another, the same answers).
 */
export async function searchEachUnit(
  graph: GraphClient,
  wanted: readonly UnitSearch[],
  concurrency: number = SEARCH_CONCURRENCY,
): Promise<(RestorePoint | undefined)[]> {
  const groups = new Map<string, { criteria: SearchCriteria; unitIds: Map<string, string> }>();
  for (const { unitId, criteria } of wanted) {
    const key = criteriaKey(criteria);
    const group = groups.get(key) ?? { criteria, unitIds: new Map<string, string>() };
    group.unitIds.set(unitId.toLowerCase(), unitId);
    groups.set(key, group);
  }
  const limit = pLimit(concurrency);
  const found = new Map<string, RestorePoint | undefined>();
  const searchOnce = (criteria: SearchCriteria, unitIds: string[]) =>
    limit(() =>
      graph.searchRestorePoints({ ...criteria, protectionUnitIds: unitIds }).catch((error: unknown) => {
        throw isGraphRequestError(error) ? error.withNote(`protection units searched: ${unitIds.join(", ")}`) : error;
      }),
    );
  const search = async (criteria: SearchCriteria, unitIds: string[]): Promise<void> => {
    const response = await searchOnce(criteria, unitIds);
    const without = new Set(response.noResultProtectionUnitIds.map((id) => id.toLowerCase()));
    const missed: string[] = [];
    for (const unitId of unitIds) {
      const own = response.searchResults
        .map((r) => r.restorePoint)
        .filter((p) => p.protectionUnit?.id?.toLowerCase() === unitId.toLowerCase());
      const point = pick(own, criteria.preference);
      if (point === undefined && unitIds.length > 1 && !without.has(unitId.toLowerCase())) missed.push(unitId);
      else found.set(resultKey(criteria, unitId), point);
    }
    // Graph documents the five-point cap, not how it shares the five among units: a unit that got
    // none and that Graph did not list as having none is asked again on its own.
    await Promise.all(missed.map((unitId) => search(criteria, [unitId])));
  };
  await Promise.all(
    [...groups.values()].flatMap(({ criteria, unitIds }) =>
      chunks([...unitIds.values()], UNITS_PER_SEARCH).map((ids) => search(criteria, ids)),
    ),
  );
  return wanted.map(({ unitId, criteria }) => found.get(resultKey(criteria, unitId)));
}

/** The newest point for `latest`, the oldest for `oldest`, whatever order Graph lists them in. */
export function pick(points: readonly RestorePoint[], preference: SearchCriteria["preference"]): RestorePoint | undefined {
  const time = (p: RestorePoint) => Date.parse(p.protectionDateTime ?? "");
  const oldest = preference === "oldest";
  const dated = points.filter((p) => !Number.isNaN(time(p)));
  return [...dated].sort((a, b) => (oldest ? time(a) - time(b) : time(b) - time(a)))[0] ?? points[0];
}

function criteriaKey(c: SearchCriteria): string {
  return JSON.stringify([c.start ?? null, c.end ?? null, c.preference ?? "latest", c.fastRestoreOnly === true]);
}

function resultKey(criteria: SearchCriteria, unitId: string): string {
  return `${criteriaKey(criteria)}|${unitId.toLowerCase()}`;
}
