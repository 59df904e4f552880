/**
 * `npm run bench` (full: the figures of bench/results.json, bench/results.md and README.md's
 * performance block) or `npm run bench -- --quick` (CI: small sizes, written to bench/.tmp/ only).
 * Only loopback network: every Graph call goes to local emulators. Exits non-zero when an operation
 * failed, a resolution differed from a sequential one, or a request count is over the API minimum;
 * timing goals are reported, never enforced.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator, type EmulatorOptions } from "../emulator";
import { SEARCH_CONCURRENCY } from "../provider/graph/restore-point-search";
import { measureBulkRequest } from "./bulk-request";
import { measureColdStart } from "./cold-start";
import { measureDrillState } from "./drill-state";
import { runClientFleet, runHostFleet, SDK_DEFAULT_RETRY, type FleetLoad, type HostFleetResult } from "./fleet";
import { baselineFootprint, providerBytes } from "./footprint";
import { KINDS, type KindName, type RequestCounts } from "./kinds";
import { profileHostFleet } from "./profile";
import {
  blockingFailures,
  judge,
  renderMarkdown,
  renderReadmeBlock,
  replaceReadmeBlock,
  type BenchResults,
  type ComparisonRows,
} from "./report";
import { countRequests, isBuilt } from "./request-counts";
import { measureResolution } from "./resolve-sites";
import { ROOT } from "./support";

/** Sizes per mode: the issue's for full, small enough for CI in quick. */
const SIZES = {
  full: { sessions: 200, bulkSites: 1000, coldStartRuns: 7, drillSites: 1000, resolveSites: 1000, bulkRequestSites: 10_000, profile: true },
  quick: { sessions: 20, bulkSites: 120, coldStartRuns: 3, drillSites: 120, resolveSites: 120, bulkRequestSites: 500, profile: false },
};
/** Pulumi's current default `--parallel` is unbounded; a high bound stands in for it. */
const PARALLEL = 64;
const REQUESTS_PER_SECOND = 50;
const LATENCY_MS = 20;

function say(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

/** Runs a scenario against a fresh emulator and always closes it. */
async function withEmulator<T>(options: EmulatorOptions, scenario: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    return await scenario(emulator);
  } finally {
    await emulator.close();
  }
}

/** The host row and the two client rows of one load. */
async function fleetRows(emulator: Emulator, load: FleetLoad): Promise<{ host: HostFleetResult; comparison: ComparisonRows }> {
  const host = await runHostFleet(emulator, load);
  const { commands: _commands, ...figures } = host;
  say(`  provider host: ${JSON.stringify(figures)}`);
  const comparison: ComparisonRows = {
    providerRetryPolicy: await runClientFleet(emulator, load, {}),
    sdkDefaultRetry: await runClientFleet(emulator, load, SDK_DEFAULT_RETRY),
  };
  say(`  client rows: ${JSON.stringify(comparison)}`);
  return { host, comparison };
}

/** Request counts of every built kind, each kind against an emulator shaped for it. */
async function requestCountsOfKinds() {
  const requestsPerOperation = Object.fromEntries(KINDS.map((k) => [k.name, null])) as Record<KindName, RequestCounts | null>;
  const failedOperations: BenchResults["details"]["failedOperations"] = [];
  const built = KINDS.filter(isBuilt);
  const shapes = [...new Set(built.map((k) => JSON.stringify(k.emulator)))];
  for (const shape of shapes) {
    await withEmulator(JSON.parse(shape) as EmulatorOptions, async (emulator) => {
      for (const kind of built.filter((k) => JSON.stringify(k.emulator) === shape)) {
        const { counts, failed } = await countRequests(emulator, kind);
        say(`  ${kind.name}: ${JSON.stringify(counts)}${failed.length > 0 ? ` failed: ${JSON.stringify(failed)}` : ""}`);
        requestsPerOperation[kind.name] = counts;
        failedOperations.push(...failed.map((f) => ({ kind: kind.name, ...f })));
      }
    });
  }
  return { requestsPerOperation, failedOperations, built };
}

/** Strips what results.json keeps under details. */
function headline(host: HostFleetResult) {
  const { commands: _c, stateBytesPerResource: _s, peakRssMb: _p, hostCpuMsPerSite, ...figures } = host;
  return { figures, hostCpuMsPerSite };
}

async function main(): Promise<void> {
  const mode = process.argv.includes("--quick") ? "quick" : "full";
  const sizes = SIZES[mode];
  const loadAverageBefore = os.loadavg();
  say(`load average before: ${loadAverageBefore.map((l) => l.toFixed(2)).join(", ")}`);

  say("requests per operation, per resource kind");
  const { requestsPerOperation, failedOperations, built } = await requestCountsOfKinds();
  say(`serialized providers of ${built.length} kinds`);
  const providerBytesPerKind = await providerBytes(built.map((k) => k.resourceClass));
  const baseline = baselineFootprint();

  say("cold start");
  const coldStart = await withEmulator({}, (emulator) => measureColdStart(emulator, sizes.coldStartRuns));

  const load: FleetLoad = {
    sessions: sizes.sessions,
    sitesPerSession: 1,
    parallel: PARALLEL,
    requestsPerSecond: REQUESTS_PER_SECOND,
    latencyMs: LATENCY_MS,
  };
  const bulkLoad: FleetLoad = { ...load, sessions: 1, sitesPerSession: sizes.bulkSites };
  say(`fleet of ${load.sessions} sessions, then one session of ${bulkLoad.sitesPerSession} sites`);
  const { fleet, bulk, profile } = await withEmulator(
    { sites: Math.max(load.sessions, bulkLoad.sitesPerSession), latencyMs: LATENCY_MS },
    async (emulator) => ({
      fleet: await fleetRows(emulator, load),
      bulk: await fleetRows(emulator, bulkLoad),
      profile: sizes.profile ? await profileHostFleet(emulator, bulkLoad) : null,
    }),
  );

  say(`state of a completed ${sizes.drillSites}-site drill`);
  const drillState = {
    byRestorePoint: await measureDrillState(sizes.drillSites, "restorePointId"),
    bySiteId: await measureDrillState(sizes.drillSites, "siteId"),
  };
  say(`  ${JSON.stringify(drillState)}`);

  say(`resolution of ${sizes.resolveSites} sites named by id`);
  const resolveSites = await measureResolution(sizes.resolveSites, LATENCY_MS, SEARCH_CONCURRENCY);
  say(`  ${JSON.stringify(resolveSites)}`);

  say(`bulk restore of ${sizes.bulkRequestSites} sites by URL`);
  const {
    commands: bulkRequestCommands,
    peakRssMb: bulkRequestRss,
    ...bulkRequest10k
  } = await measureBulkRequest(sizes.bulkRequestSites, LATENCY_MS);
  say(`  ${JSON.stringify(bulkRequest10k)}`);

  const loadAverageAfter = os.loadavg();
  say(`load average after: ${loadAverageAfter.map((l) => l.toFixed(2)).join(", ")}`);
  const bulkSites = headline(bulk.host);
  const measured: Omit<BenchResults, "goals"> = {
    mode,
    command: mode === "quick" ? "npm run bench -- --quick" : "npm run bench",
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      loadAverageBefore,
      loadAverageAfter,
    },
    load: { parallel: PARALLEL, requestsPerSecond: REQUESTS_PER_SECOND, latencyMs: LATENCY_MS },
    providerBytes: Math.max(...Object.values(providerBytesPerKind)),
    coldStartRatio: coldStart.ratio,
    requestsPerOperation,
    fleet: headline(fleet.host).figures,
    bulkSites: { ...bulkSites.figures, hostCpuMsPerSite: bulkSites.hostCpuMsPerSite },
    stateBytesPerSite: drillState.byRestorePoint.bytesPerSite,
    resolveSites,
    bulkRequest10k,
    peakRssMb: Math.max(fleet.host.peakRssMb, bulk.host.peakRssMb, bulkRequestRss),
    details: {
      providerBytesPerKind,
      baseline,
      coldStart,
      minimumRequestsPerOperation: Object.fromEntries(
        KINDS.map((k) => [k.name, k.minimum]),
      ) as BenchResults["details"]["minimumRequestsPerOperation"],
      failedOperations,
      drillState,
      fleetCommands: fleet.host.commands,
      bulkSitesCommands: bulk.host.commands,
      bulkRequest10kCommands: bulkRequestCommands,
      bulkSitesHostCpuByCategory: profile,
      comparison: { fleet: fleet.comparison, bulkSites: bulk.comparison },
      fleetStateBytesPerResource: fleet.host.stateBytesPerResource,
    },
  };
  const results: BenchResults = { ...measured, goals: judge(measured) };

  const outDir = mode === "quick" ? path.join(__dirname, ".tmp") : __dirname;
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  fs.writeFileSync(path.join(outDir, "results.md"), renderMarkdown(results));
  say(`wrote ${path.relative(process.cwd(), path.join(outDir, "results.json"))} and results.md`);
  if (mode === "full") {
    const readme = path.join(ROOT, "README.md");
    fs.writeFileSync(readme, replaceReadmeBlock(fs.readFileSync(readme, "utf8"), renderReadmeBlock(results)));
    say("rewrote README.md's performance block");
  }
  for (const goal of results.goals) say(`${goal.met ? "met   " : "MISSED"} ${goal.name}: ${goal.actual} (goal ${goal.goal})`);

  const blocking = blockingFailures(results);
  if (blocking.length > 0) {
    process.stderr.write(`[bench] failing: ${blocking.join("; ")}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
