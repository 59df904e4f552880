/**
 * `npm run bench` (full: the README's figures, written to bench/results.json and bench/results.md)
 * or `npm run bench -- --quick` (CI: small sizes, written to bench/.tmp/). Only loopback network:
 * every Graph call goes to local emulators. Exits non-zero when an operation failed or a request
 * count is over the API minimum.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { measureColdStart } from "./cold-start";
import { runClientFleet, runHostFleet, SDK_DEFAULT_RETRY, type FleetLoad } from "./fleet";
import { baselineFootprint, providerBytes } from "./footprint";
import { blockingFailures, judge, renderMarkdown, type BenchResults, type ComparisonRows } from "./report";
import { countRequests, MINIMUM_REQUESTS } from "./request-counts";

/** Sizes per mode: the for full, small enough for CI in quick. */
const SIZES = {
  full: { sessions: 200, bulkSites: 1000, coldStartRuns: 7 },
  quick: { sessions: 20, bulkSites: 120, coldStartRuns: 3 },
};
/** Pulumi's current default `--parallel` is unbounded; a high bound stands in for it. */
const PARALLEL = 64;
const REQUESTS_PER_SECOND = 50;
const LATENCY_MS = 20;
/** Emulators at speed 1: their virtual clock, which refills the rate limit's token bucket, runs in real time. */
const EMULATOR_SPEED = 1;

function say(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

/** Runs a scenario against a fresh emulator and always closes it. */
async function withEmulator<T>(options: Parameters<typeof startEmulator>[0], scenario: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    return await scenario(emulator);
  } finally {
    await emulator.close();
  }
}

/** The host row and the two client rows of one load. */
async function fleetRows(emulator: Emulator, load: FleetLoad) {
  const host = await runHostFleet(emulator, load);
  say(`  provider host: ${JSON.stringify(host)}`);
  const comparison: ComparisonRows = {
    providerRetryPolicy: await runClientFleet(emulator, load, {}),
    sdkDefaultRetry: await runClientFleet(emulator, load, SDK_DEFAULT_RETRY),
  };
  say(`  client rows: ${JSON.stringify(comparison)}`);
  return { host, comparison };
}

async function main(): Promise<void> {
  const mode = process.argv.includes("--quick") ? "quick" : "full";
  const sizes = SIZES[mode];

  say("state footprint");
  const bytes = await providerBytes();
  const baseline = baselineFootprint();

  say("requests per operation and cold start (emulator without latency or rate limit)");
  const { requestCounts, coldStart } = await withEmulator({ speed: EMULATOR_SPEED }, async (emulator) => ({
    requestCounts: await countRequests(emulator),
    coldStart: await measureColdStart(emulator, sizes.coldStartRuns),
  }));

  const load: FleetLoad = { sessions: sizes.sessions, sitesPerSession: 1, parallel: PARALLEL, requestsPerSecond: REQUESTS_PER_SECOND };
  const bulkLoad: FleetLoad = { ...load, sessions: 1, sitesPerSession: sizes.bulkSites };
  const sites = Math.max(load.sessions, bulkLoad.sitesPerSession);
  say(`fleet of ${load.sessions} sessions, then one session of ${bulkLoad.sitesPerSession} sites`);
  const { fleet, bulk } = await withEmulator({ speed: EMULATOR_SPEED, sites, latencyMs: LATENCY_MS }, async (emulator) => ({
    fleet: await fleetRows(emulator, load),
    bulk: await fleetRows(emulator, bulkLoad),
  }));

  const measured: Omit<BenchResults, "goals"> = {
    mode,
    command: mode === "quick" ? "npm run bench -- --quick" : "npm run bench",
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
    },
    load: { parallel: PARALLEL, requestsPerSecond: REQUESTS_PER_SECOND, latencyMs: LATENCY_MS },
    providerBytes: bytes,
    baseline,
    stateBytesPerResource: fleet.host.stateBytesPerResource,
    coldStartRatio: coldStart.ratio,
    coldStart,
    requestsPerOperation: requestCounts.counts,
    minimumRequestsPerOperation: MINIMUM_REQUESTS,
    failedOperations: requestCounts.failed,
    fleet: withoutHostExtras(fleet.host),
    bulkSites: withoutHostExtras(bulk.host),
    comparison: { fleet: fleet.comparison, bulkSites: bulk.comparison },
    peakRssMb: Math.max(fleet.host.peakRssMb, bulk.host.peakRssMb),
  };
  const results: BenchResults = { ...measured, goals: judge(measured) };

  const outDir = mode === "quick" ? path.join(__dirname, ".tmp") : __dirname;
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  fs.writeFileSync(path.join(outDir, "results.md"), renderMarkdown(results));
  say(`wrote ${path.relative(process.cwd(), path.join(outDir, "results.json"))} and results.md`);
  for (const goal of results.goals) say(`${goal.met ? "met   " : "MISSED"} ${goal.name}: ${goal.actual} (goal ${goal.goal})`);

  const blocking = blockingFailures(results);
  if (blocking.length > 0) {
    process.stderr.write(`[bench] failing: ${blocking.join("; ")}\n`);
    process.exitCode = 1;
  }
}

/** The fleet figures proper; state size and memory are reported at the top level. */
function withoutHostExtras<T extends { stateBytesPerResource: number; peakRssMb: number }>(
  result: T,
): Omit<T, "stateBytesPerResource" | "peakRssMb"> {
  const { stateBytesPerResource: _state, peakRssMb: _rss, ...figures } = result;
  return figures;
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
