/**
 * The shape of `bench/results.json`, the goals it is judged against, and the Markdown table the
 * README quotes.
 */
import type { BaselineFootprint } from "./footprint";
import type { ColdStartResult } from "./cold-start";
import type { FleetResult } from "./fleet";
import type { RequestCounts } from "./request-counts";

/** Everything one run measured. */
export interface BenchResults {
  mode: "full" | "quick";
  command: string;
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  load: { parallel: number; requestsPerSecond: number; latencyMs: number };
  providerBytes: number;
  baseline: BaselineFootprint;
  stateBytesPerResource: number;
  coldStartRatio: number;
  coldStart: ColdStartResult;
  requestsPerOperation: RequestCounts;
  minimumRequestsPerOperation: RequestCounts;
  /** Single operations (of the request counts) that failed, with the error the host reported. */
  failedOperations: { operation: keyof RequestCounts; error: string }[];
  fleet: FleetResult;
  bulkSites: FleetResult;
  /** The same loads at the Graph-client level: our retry policy, and the Graph SDK's RetryHandler defaults. */
  comparison: { fleet: ComparisonRows; bulkSites: ComparisonRows };
  peakRssMb: number;
  goals: Goal[];
}

/** Client-level rows of one load. */
export interface ComparisonRows {
  providerRetryPolicy: FleetResult;
  sdkDefaultRetry: FleetResult;
}

/** One goal of the issue and whether this run met it. */
export interface Goal {
  name: string;
  goal: string;
  actual: string;
  met: boolean;
}

const PROVIDER_BYTES_GOAL = 2048;
const COLD_START_RATIO_GOAL = 1.3;
const FLEET_RATIO_GOAL = 1.2;

/** Judges the figures against the issue's goals. */
export function judge(results: Omit<BenchResults, "goals">): Goal[] {
  const counts = Object.keys(results.minimumRequestsPerOperation) as (keyof RequestCounts)[];
  const overMinimum = counts.filter((op) => results.requestsPerOperation[op] > results.minimumRequestsPerOperation[op]);
  return [
    {
      name: "provider size",
      goal: `<= ${PROVIDER_BYTES_GOAL} bytes`,
      actual: `${results.providerBytes} bytes`,
      met: results.providerBytes <= PROVIDER_BYTES_GOAL,
    },
    {
      name: "cold start ratio",
      goal: `<= ${COLD_START_RATIO_GOAL}`,
      actual: String(results.coldStartRatio),
      met: results.coldStartRatio <= COLD_START_RATIO_GOAL,
    },
    {
      name: "requests per operation",
      goal: "equal to the API minimum",
      actual: overMinimum.length === 0 ? "all at the minimum" : `over for ${overMinimum.join(", ")}`,
      met: overMinimum.length === 0,
    },
    {
      name: "counted operations failed",
      goal: "0",
      actual: results.failedOperations.length === 0 ? "0" : results.failedOperations.map((f) => f.operation).join(", "),
      met: results.failedOperations.length === 0,
    },
    ...(["fleet", "bulkSites"] as const).flatMap((key) => [
      {
        name: `${key} ratio`,
        goal: `<= ${FLEET_RATIO_GOAL}`,
        actual: String(results[key].ratio),
        met: results[key].ratio <= FLEET_RATIO_GOAL,
      },
      { name: `${key} operations failed`, goal: "0", actual: String(results[key].failed), met: results[key].failed === 0 },
    ]),
  ];
}

/** Checks whose failure fails the run (CI): an operation failed, or a request count is over its minimum. */
export function blockingFailures(results: BenchResults): string[] {
  return results.goals
    .filter((g) => !g.met && (g.name === "requests per operation" || g.name.endsWith("failed")))
    .map((g) => `${g.name}: ${g.actual} (goal ${g.goal})`);
}

function fleetRow(label: string, r: FleetResult): string {
  const adjusted = `${r.burstAdjustedLowerBoundSeconds} / ${r.burstAdjustedRatio ?? "n/a"}`;
  return `| ${label} | ${r.sessions} x ${r.sitesPerSession} | ${r.wallSeconds} | ${r.lowerBoundSeconds} | ${r.ratio} | ${adjusted} | ${r.throttled} | ${r.failed} | ${r.requestsPerSession} |`;
}

function baselineText(baseline: BaselineFootprint): string {
  if ("providerBytes" in baseline) return `${baseline.providerBytes} bytes`;
  // The serializer's message spans lines; from "could not be serialized" to the function's code is the reason.
  const lines = baseline.error
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const from = lines.findIndex((l) => l.includes("could not be serialized"));
  const to = lines.findIndex((l) => l.startsWith("Function code:"));
  const reason = from < 0 ? (lines[0] ?? "") : lines.slice(from, to > from ? to : undefined).join(" ");
  return `fails to serialize: ${reason.replace(/\|/g, "\\|")}`;
}

function loadedText(loaded: Record<string, number>): string {
  return Object.entries(loaded)
    .sort(([, a], [, b]) => b - a)
    .map(([name, files]) => `${name} (${files})`)
    .join(", ");
}

/** The Markdown the README's Performance section quotes. */
export function renderMarkdown(r: BenchResults): string {
  const ops = r.requestsPerOperation;
  const min = r.minimumRequestsPerOperation;
  return [
    `# Benchmarks (${r.mode} mode)`,
    "",
    `Reproduce with \`${r.command}\`. Ran ${r.generatedAt} on ${r.machine.cpus} cores (${r.machine.cpuModel}), Node ${r.machine.node}, ${r.machine.platform};`,
    `Graph is the local emulator over loopback HTTPS: ${r.load.latencyMs} ms latency per request and a rate limit of ${r.load.requestsPerSecond} requests/s per application`,
    `(429 with Retry-After) for the fleet rows; the engine harness runs ${r.load.parallel} resource steps at once.`,
    "",
    "| goal | target | measured | met |",
    "|---|---|---|---|",
    ...r.goals.map((g) => `| ${g.name} | ${g.goal} | ${g.actual} | ${g.met ? "yes" : "**no**"} |`),
    "",
    "## State and start",
    "",
    "| figure | value |",
    "|---|---|",
    `| \`__provider\` bytes | ${r.providerBytes} |`,
    `| baseline provider (captures its Graph client and zod schema) | ${baselineText(r.baseline)} |`,
    `| stored state per resource (bytes, one-site session) | ${r.stateBytesPerResource} |`,
    `| host cold start to first create, this provider (median of ${r.coldStart.runs}) | ${r.coldStart.providerMs} ms |`,
    `| same host, no-op provider | ${r.coldStart.noopMs} ms |`,
    `| ratio | ${r.coldStartRatio} |`,
    `| what requiring the engine loads (files per package) | ${loadedText(r.coldStart.loadedByEngine)} |`,
    `| require time of each, alone in a fresh process | ${Object.entries(r.coldStart.requireMs)
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(", ")} |`,
    `| host peak RSS across the fleet runs | ${r.peakRssMb} MB |`,
    "",
    "## Graph requests per operation",
    "",
    "| operation | requests | API minimum |",
    "|---|---|---|",
    `| create (draft) | ${ops.create} | ${min.create} |`,
    `| create and activate | ${ops.createActivate} | ${min.createActivate} |`,
    `| read (one artifact page) | ${ops.read} | ${min.read} |`,
    `| diff | ${ops.diff} | ${min.diff} |`,
    `| delete (draft) | ${ops.delete} | ${min.delete} |`,
    `| no-op up (writes) | ${ops.noopUp} | ${min.noopUp} |`,
    "",
    "## Fleet: create, refresh, destroy",
    "",
    "Wall time is provider work: per command, first step started to last step done, summed (host starts excluded).",
    "The lower bound is the requests served divided by the rate (the issue's bound). The token bucket holds one second",
    "of requests (Retry-After is whole seconds) and refills while the next command's host starts, so each command's",
    "first 50 requests cost no wait: the burst-adjusted bound leaves them out (n/a: the run never had to wait for the",
    "rate). One session of many sites is sequential (create, then PATCHes of 50, then artifact pages of 100), so it is",
    "bound by latency, not by the rate. Client rows make the same requests through the Graph client in one process,",
    "without the host: the provider has no setting for its retry count.",
    "",
    "| run | sessions x sites | wall s | lower bound s | ratio | burst-adjusted bound s / ratio | 429s | failed | requests/session |",
    "|---|---|---|---|---|---|---|---|---|",
    fleetRow("sessions, provider host", r.fleet),
    fleetRow("sessions, client, provider retry policy", r.comparison.fleet.providerRetryPolicy),
    fleetRow("sessions, client, Graph SDK RetryHandler defaults", r.comparison.fleet.sdkDefaultRetry),
    fleetRow("bulk sites, provider host", r.bulkSites),
    fleetRow("bulk sites, client, provider retry policy", r.comparison.bulkSites.providerRetryPolicy),
    fleetRow("bulk sites, client, Graph SDK RetryHandler defaults", r.comparison.bulkSites.sdkDefaultRetry),
    "",
  ].join("\n");
}
