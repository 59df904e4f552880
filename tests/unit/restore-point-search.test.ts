/**
 * `searchEachUnit`, shared by the engine and `getRestorePoints`: five units per search, grouped by
 * criteria, merged in the order asked, bounded concurrency, and a unit left out by an uneven answer
 * asked again on its own.
 */
import type { GraphClient, RestorePointSearchRequest } from "../../provider/graph";
import { GraphRequestError } from "../../provider/graph";
import { SEARCH_CONCURRENCY, searchEachUnit, type SearchCriteria } from "../../provider/graph/restore-point-search";
import type { RestorePoint, RestorePointSearchResponse } from "../../provider/schemas/wire";

const LATEST: SearchCriteria = { end: "2026-12-01T00:00:00Z", preference: "latest" };
const unit = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const point = (unitId: string, hour: number): RestorePoint => ({
  id: `${unitId}_${hour}`,
  protectionDateTime: `2026-11-30T${String(hour).padStart(2, "0")}:00:00Z`,
  protectionUnit: { id: unitId },
});

/** A fake search that records each request and answers with `answer`, one tick later. */
function fakeGraph(answer: (request: RestorePointSearchRequest) => RestorePointSearchResponse) {
  const requests: RestorePointSearchRequest[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const graph = {
    async searchRestorePoints(request: RestorePointSearchRequest) {
      requests.push(request);
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return answer(request);
    },
  } as unknown as GraphClient;
  return { graph, requests, mostInFlight: () => mostInFlight };
}

/** Each unit's points, as many as fit in five, one unit after another (round-robin, as the emulator does). */
function fair(points: Record<string, RestorePoint[]>) {
  return (request: RestorePointSearchRequest): RestorePointSearchResponse => {
    const results: RestorePoint[] = [];
    for (let round = 0; results.length < 5 && round < 5; round++)
      for (const id of request.protectionUnitIds) if (results.length < 5 && points[id]?.[round]) results.push(points[id]![round]!);
    return {
      searchResponseId: "s",
      searchResults: results.map((restorePoint) => ({ restorePoint })),
      noResultProtectionUnitIds: request.protectionUnitIds.filter((id) => !points[id]?.length),
    };
  };
}

test("twelve units, one asked twice in another case: searches of 5, 5 and 2, answers in the order asked", async () => {
  const ids = Array.from({ length: 12 }, (_, i) => unit(i));
  const points = Object.fromEntries(ids.map((id) => [id, [point(id, 3), point(id, 9)]]));
  const { graph, requests } = fakeGraph(fair(points));
  const wanted = [...ids, ids[4]!.toUpperCase()].map((unitId) => ({ unitId, criteria: LATEST }));

  const found = await searchEachUnit(graph, wanted);

  expect(requests.map((r) => r.protectionUnitIds)).toEqual([ids.slice(0, 5), ids.slice(5, 10), ids.slice(10)]);
  expect(requests.every((r) => r.end === LATEST.end && r.preference === "latest")).toBe(true);
  // A full search leaves each unit its first point; the last one, with room, gets both, and the
  // newer one is taken although the answer lists it second.
  const expected = ids.map((id, i) => `${id}_${i < 10 ? 3 : 9}`);
  expect(found.map((p) => p?.id)).toEqual([...expected, expected[4]]);
});

test("different windows, preferences or tags go in different searches; oldest picks the oldest", async () => {
  const [a, b] = [unit(1), unit(2)];
  const { graph, requests } = fakeGraph(fair({ [a]: [point(a, 9), point(a, 3)], [b]: [point(b, 5)] }));
  const oldest: SearchCriteria = { ...LATEST, preference: "oldest" };
  const fast: SearchCriteria = { ...LATEST, fastRestoreOnly: true };

  const found = await searchEachUnit(graph, [
    { unitId: a, criteria: oldest },
    { unitId: a, criteria: LATEST },
    { unitId: b, criteria: fast },
    { unitId: b, criteria: LATEST },
  ]);

  expect(requests.map((r) => [r.preference, r.fastRestoreOnly === true, r.protectionUnitIds])).toEqual([
    ["oldest", false, [a]],
    ["latest", false, [a, b]],
    ["latest", true, [b]],
  ]);
  expect(found.map((p) => p?.id)).toEqual([`${a}_3`, `${a}_9`, `${b}_5`, `${b}_5`]);
});

test("a unit an uneven answer left out is asked again alone; one Graph says has none is not", async () => {
  const [a, b, c, d] = [unit(1), unit(2), unit(3), unit(4)];
  const { graph, requests } = fakeGraph((request) => {
    // An answer that spends all five points on the first unit and names only d as having none.
    const first = request.protectionUnitIds[0]!;
    return {
      searchResults: [1, 2, 3, 4, 5].map((hour) => ({ restorePoint: point(first, hour) })),
      noResultProtectionUnitIds: request.protectionUnitIds.filter((id) => id === d),
    };
  });

  const found = await searchEachUnit(
    graph,
    [a, b, c, d].map((unitId) => ({ unitId, criteria: LATEST })),
  );

  expect(requests.map((r) => r.protectionUnitIds)).toEqual([[a, b, c, d], [b], [c]]);
  expect(found.map((p) => p?.id)).toEqual([`${a}_5`, `${b}_5`, `${c}_5`, undefined]);
});

test("at most SEARCH_CONCURRENCY searches at once", async () => {
  const ids = Array.from({ length: 60 }, (_, i) => unit(i));
  const { graph, requests, mostInFlight } = fakeGraph(fair(Object.fromEntries(ids.map((id) => [id, [point(id, 1)]]))));
  await searchEachUnit(
    graph,
    ids.map((unitId) => ({ unitId, criteria: LATEST })),
  );
  expect(requests).toHaveLength(12);
  expect(mostInFlight()).toBe(SEARCH_CONCURRENCY);
});

test("a failed search rejects with Graph's error, noting the units it searched", async () => {
  const refused = new GraphRequestError({
    method: "POST",
    path: "/v1.0/solutions/backupRestore/restorePoints/search",
    status: 400,
    code: "InvalidProtectionUnitId",
    retryable: false,
  });
  const graph = { searchRestorePoints: () => Promise.reject(refused) } as unknown as GraphClient;
  const failure = await searchEachUnit(graph, [
    { unitId: "u-1", criteria: LATEST },
    { unitId: "u-2", criteria: LATEST },
  ]).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(GraphRequestError);
  expect((failure as Error).message).toBe(
    "POST /v1.0/solutions/backupRestore/restorePoints/search -> 400 InvalidProtectionUnitId; protection units searched: u-1, u-2",
  );
});
