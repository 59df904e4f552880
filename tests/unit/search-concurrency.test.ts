/**
 * Resolving 1,000 units concurrently gives the answers of one search after another: searches that
 * finish in a shuffled order, uneven answers that send units back on their own, and three kinds of
 * criteria, against a fake whose every answer follows the documented search (window, preference,
 * five points at most). Both runs must also equal the answer worked out from the data directly.
 */
import type { GraphClient, RestorePointSearchRequest } from "../../provider/graph";
import { SEARCH_CONCURRENCY, searchEachUnit, type SearchCriteria, type UnitSearch } from "../../provider/graph/restore-point-search";
import type { RestorePoint, RestorePointSearchResponse } from "../../provider/schemas/wire";

const UNITS = 1000;
const unitId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const at = (hour: number) => new Date(Date.UTC(2026, 10, 1) + hour * 3_600_000).toISOString();

/** Deterministic pseudo-random numbers (a linear congruential generator), so a failure replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** Each unit's points: none for every 17th unit, else one to four at scattered hours. */
function pointsOfUnits(): Map<string, RestorePoint[]> {
  const next = random(7);
  const points = new Map<string, RestorePoint[]>();
  for (let n = 0; n < UNITS; n++) {
    const count = n % 17 === 0 ? 0 : 1 + Math.floor(next() * 4);
    const hours = Array.from({ length: count }, () => Math.floor(next() * 600));
    points.set(
      unitId(n).toLowerCase(),
      [...new Set(hours)].map((hour) => ({ id: `${unitId(n)}_${hour}`, protectionDateTime: at(hour), protectionUnit: { id: unitId(n) } })),
    );
  }
  return points;
}

/** Three kinds of criteria, by unit: the newest before a time, the newest before an earlier one, the oldest in a window. */
function criteriaOf(n: number): SearchCriteria {
  if (n % 3 === 0) return { end: at(600), preference: "latest" };
  if (n % 3 === 1) return { end: at(300), preference: "latest" };
  return { start: at(100), end: at(600), preference: "oldest" };
}

function inWindow(p: RestorePoint, c: SearchCriteria): boolean {
  const t = Date.parse(p.protectionDateTime!);
  return (c.start === undefined || t >= Date.parse(c.start)) && (c.end === undefined || t <= Date.parse(c.end));
}

function ordered(points: RestorePoint[], c: SearchCriteria): RestorePoint[] {
  const time = (p: RestorePoint) => Date.parse(p.protectionDateTime!);
  return [...points].sort((a, b) => (c.preference === "oldest" ? time(a) - time(b) : time(b) - time(a)));
}

/**
 * A search as documented: each unit's points in the window, in the preference's order, five in all.
 * Uneven on purpose: every third search hands out points unit by unit (the first units may take all
 * five), the others round-robin. Answers come back after a shuffled number of ticks.
 */
function fakeSearch(points: Map<string, RestorePoint[]>, seed: number) {
  const delay = random(seed);
  let searches = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  const graph = {
    async searchRestorePoints(request: RestorePointSearchRequest): Promise<RestorePointSearchResponse> {
      const n = searches++;
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      for (let ticks = Math.floor(delay() * 8); ticks > 0; ticks--) await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      const own = request.protectionUnitIds.map((id) =>
        ordered(
          (points.get(id.toLowerCase()) ?? []).filter((p) => inWindow(p, request)),
          request,
        ),
      );
      const results: RestorePoint[] = [];
      if (n % 3 === 0) for (const list of own) for (const p of list) if (results.length < 5) results.push(p);
      for (let round = 0; round < 5; round++)
        for (const list of own) if (results.length < 5 && list[round] && !results.includes(list[round]!)) results.push(list[round]!);
      return {
        searchResponseId: `search-${n}`,
        searchResults: results.map((restorePoint) => ({ restorePoint })),
        noResultProtectionUnitIds: request.protectionUnitIds.filter((_, i) => own[i]!.length === 0),
      };
    },
  } as unknown as GraphClient;
  return { graph, searches: () => searches, mostInFlight: () => mostInFlight };
}

test(`1,000 units: ${SEARCH_CONCURRENCY} searches at a time give exactly the answers of one search after another`, async () => {
  const points = pointsOfUnits();
  const wanted: UnitSearch[] = Array.from({ length: UNITS }, (_, n) => ({ unitId: unitId(n), criteria: criteriaOf(n) }));
  const expected = wanted.map(
    ({ unitId: id, criteria }) =>
      ordered(
        (points.get(id.toLowerCase()) ?? []).filter((p) => inWindow(p, criteria)),
        criteria,
      )[0],
  );

  const concurrent = fakeSearch(points, 11);
  const sequential = fakeSearch(points, 23);
  const fromConcurrent = await searchEachUnit(concurrent.graph, wanted);
  const fromSequential = await searchEachUnit(sequential.graph, wanted, 1);

  expect(concurrent.mostInFlight()).toBe(SEARCH_CONCURRENCY);
  expect(sequential.mostInFlight()).toBe(1);
  // 1,000 units in three criteria groups of five units a search, plus units an uneven answer left out.
  expect(concurrent.searches()).toBeGreaterThanOrEqual(Math.ceil(334 / 5) + 2 * Math.ceil(333 / 5));
  expect(fromConcurrent).toEqual(fromSequential);
  expect(fromConcurrent).toEqual(expected);
  expect(expected.filter((p) => p === undefined).length).toBeGreaterThan(0);
  expect(expected.filter((p) => p !== undefined).length).toBeGreaterThan(UNITS / 2);
});
