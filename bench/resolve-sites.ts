/**
 * Resolution of many sites named by id, through the provider host: the protection units are listed,
 * then one restore-point search per five units, `SEARCH_CONCURRENCY` at a time. The searches' span
 * (first arrival to last answer, from the emulator's journal) is set against the bound
 * `searches / concurrency x (latency + handling)`, and every site must get the restore point a
 * sequential search would give it (its latest).
 */
import * as path from "node:path";
import { startEmulator, type JournalEntry } from "../emulator";
import { measuredStack } from "./measured-stack";
import { protectedSites, ROOT, round } from "./support";

/** Resolution figures; `sites`, `searches` and `ratio` are the issue's. */
export interface ResolveResult {
  sites: number;
  searches: number;
  ratio: number;
  concurrency: number;
  /** First search arrived to last search answered, in seconds. */
  searchSeconds: number;
  /** searches / concurrency x (latency + mean handling), in seconds. */
  boundSeconds: number;
  meanHandlingMs: number;
  /** Sites whose chosen restore point is not their latest (0: the same answers as one search after another). */
  wrongAnswers: number;
  /** The whole create (units listed, searches, POST and PATCHes), first step to last. */
  createSeconds: number;
}

const SEARCH_PATH = /\/restorePoints\/search$/;

/** First arrival to last answer of `searches`, and the bound of running them `concurrency` at a time. */
export function searchTimes(
  searches: readonly JournalEntry[],
  latencyMs: number,
  concurrency: number,
): { searchMs: number; boundMs: number; meanHandlingMs: number } {
  if (searches.length === 0) throw new RangeError("no searches in the journal");
  const arrivals = searches.map((e) => Date.parse(e.time));
  const ends = searches.map((e, i) => arrivals[i]! + latencyMs + (e.handlingMs ?? 0));
  const meanHandlingMs = searches.reduce((sum, e) => sum + (e.handlingMs ?? 0), 0) / searches.length;
  return {
    searchMs: Math.max(...ends) - Math.min(...arrivals),
    boundMs: (searches.length / concurrency) * (latencyMs + meanHandlingMs),
    meanHandlingMs,
  };
}

/** Creates a draft of `sites` sites named by id and measures how their searches ran. */
export async function measureResolution(sites: number, latencyMs: number, concurrency: number): Promise<ResolveResult> {
  const emulator = await startEmulator({ sites, latencyMs });
  try {
    const { SharePointRestoreSession } = require(path.join(ROOT, "dist", "provider")) as typeof import("../provider");
    const seeded = protectedSites(emulator, sites);
    const stack = measuredStack({
      emulator,
      latencyMs,
      program: async () => {
        new SharePointRestoreSession("resolved", { siteRestoreArtifacts: seeded.map((s) => ({ siteId: s.siteId })), activate: false });
      },
    });
    emulator.journal.clear();
    const up = await stack.run("up");
    if (up.error !== undefined) throw new Error(`the resolving up failed: ${up.error}`);
    const searches = emulator.journal.entries().filter((e) => e.method === "POST" && SEARCH_PATH.test(e.path) && e.status === 200);
    const times = searchTimes(searches, latencyMs, concurrency);
    const [resource] = stack.state().resources;
    const chosen = (resource?.outputs.siteRestoreArtifacts ?? []) as { siteId?: string; restorePointId: string }[];
    const wrongAnswers =
      seeded.length -
      seeded.filter(
        (s, i) => chosen[i]?.siteId === s.siteId && chosen[i]?.restorePointId === emulator.tenant.latestRestorePointId(s.siteId),
      ).length;
    await stack.run("destroy");
    return {
      sites,
      searches: searches.length,
      ratio: round(times.searchMs / times.boundMs),
      concurrency,
      searchSeconds: round(times.searchMs / 1000, 3),
      boundSeconds: round(times.boundMs / 1000, 3),
      meanHandlingMs: round(times.meanHandlingMs, 2),
      wrongAnswers,
      createSeconds: up.wallSeconds,
    };
  } finally {
    await emulator.close();
  }
}
