/**
 * The shape of `bench/results.json`, the goals it is judged against, the Markdown of
 * `bench/results.md`, and the block of README.md between its bench markers. All pure: the run
 * measures, this writes.
 */
import type { BulkRequestResult } from "./bulk-request";
import type { ColdStartResult } from "./cold-start";
import type { DrillStateResult } from "./drill-state";
import type { FleetResult } from "./fleet";
import type { BaselineFootprint } from "./footprint";
import { OPERATIONS, type KindName, type Minimum, type Operation, type RequestCounts } from "./kinds";
import type { CommandFigures } from "./measured-stack";
import { OWNERS, type CpuBreakdown } from "./profile";
import type { ResolveResult } from "./resolve-sites";

/** Everything one run measured; the top-level figures are the keys. */
export interface BenchResults {
  mode: "full" | "quick";
  command: string;
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  load: { parallel: number; requestsPerSecond: number; latencyMs: number };
  /** The largest serialized provider of the built kinds, in bytes. */
  providerBytes: number;
  coldStartRatio: number;
  /** Per kind; null for a kind the built package does not have yet. */
  requestsPerOperation: Record<KindName, RequestCounts | null>;
  /** Many one-site sessions at once, against the rate limit. */
  fleet: FleetResult;
  /** One session of many sites (create, refresh, destroy), against latency plus the emulator's handling. */
  bulkSites: FleetResult & { hostCpuMsPerSite: number };
  /** A completed drill of many sites named by restore point: its resource's bytes per site. */
  stateBytesPerSite: number;
  resolveSites: ResolveResult;
  bulkRequest10k: Omit<BulkRequestResult, "commands" | "peakRssMb">;
  peakRssMb: number;
  details: BenchDetails;
  goals: Goal[];
}

/** The figures behind the headline ones. */
export interface BenchDetails {
  providerBytesPerKind: Record<string, number>;
  baseline: BaselineFootprint;
  coldStart: ColdStartResult;
  minimumRequestsPerOperation: Record<KindName, Record<Operation, Minimum>>;
  /** Operations of the request counts that failed, with the error the host reported. */
  failedOperations: { kind: KindName; operation: Operation; error: string }[];
  drillState: { byRestorePoint: DrillStateResult; bySiteId: DrillStateResult };
  fleetCommands: CommandFigures[];
  bulkSitesCommands: CommandFigures[];
  bulkRequest10kCommands: CommandFigures[];
  /** The bulk-sites load again with the host profiled: its CPU by category (null when not profiled). */
  bulkSitesHostCpuByCategory: CpuBreakdown | null;
  /** The same loads at the Graph-client level: our retry policy, and the Graph SDK's RetryHandler defaults. */
  comparison: { fleet: ComparisonRows; bulkSites: ComparisonRows };
  /** Bytes of one one-site session in the fleet's state. */
  fleetStateBytesPerResource: number;
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
  /** A missed blocking goal fails the run (CI): something failed, or a count is over its minimum. */
  blocking: boolean;
}

export const GOALS = {
  providerBytes: 2048,
  coldStartRatio: 1.3,
  fleetRatio: 1.2,
  bulkSitesRatio: 1.3,
  hostCpuMsPerSite: 1,
  stateBytesPerSite: 400,
} as const;

/** Judges the figures against the goals. */
export function judge(r: Omit<BenchResults, "goals">): Goal[] {
  const kinds = Object.keys(r.requestsPerOperation) as KindName[];
  const missing = kinds.filter((k) => r.requestsPerOperation[k] === null);
  const over = kinds.flatMap((k) => {
    const counts = r.requestsPerOperation[k];
    const minimum = r.details.minimumRequestsPerOperation[k];
    return counts === null ? [] : OPERATIONS.filter((op) => counts[op] > minimum[op].requests).map((op) => `${k}.${op}`);
  });
  const atMost = (name: string, actual: number, goal: number, unit = ""): Goal => ({
    name,
    goal: `<= ${goal}${unit}`,
    actual: `${actual}${unit}`,
    met: actual <= goal,
    blocking: false,
  });
  const none = (name: string, failed: number | string[]): Goal => {
    const count = typeof failed === "number" ? failed : failed.length;
    return {
      name,
      goal: "0",
      actual: typeof failed === "number" ? String(failed) : failed.join(", ") || "0",
      met: count === 0,
      blocking: true,
    };
  };
  return [
    atMost("largest provider", r.providerBytes, GOALS.providerBytes, " bytes"),
    atMost(
      `cold start ratio (${Object.keys(r.details.providerBytesPerKind).length} kinds built, first create)`,
      r.coldStartRatio,
      GOALS.coldStartRatio,
    ),
    {
      name: "requests per operation",
      goal: "at the API minimum",
      actual: over.length === 0 ? "all at the minimum" : `over for ${over.join(", ")}`,
      met: over.length === 0,
      blocking: true,
    },
    {
      name: "resource kinds counted",
      goal: `${kinds.length}`,
      actual: missing.length === 0 ? `${kinds.length}` : `${kinds.length - missing.length} (not built yet: ${missing.join(", ")})`,
      met: missing.length === 0,
      blocking: false,
    },
    none(
      "counted operations failed",
      r.details.failedOperations.map((f) => `${f.kind}.${f.operation}`),
    ),
    atMost("fleet ratio (rate bound)", r.fleet.ratio, GOALS.fleetRatio),
    none("fleet operations failed", r.fleet.failed),
    atMost(`${r.bulkSites.sitesPerSession}-site session ratio (latency + handling bound)`, r.bulkSites.ratio, GOALS.bulkSitesRatio),
    atMost(
      `${r.bulkSites.sitesPerSession}-site session host CPU per site per operation`,
      r.bulkSites.hostCpuMsPerSite,
      GOALS.hostCpuMsPerSite,
      " ms",
    ),
    none("bulk sites operations failed", r.bulkSites.failed),
    atMost(
      `state per site, completed ${r.details.drillState.byRestorePoint.sites}-site drill`,
      r.stateBytesPerSite,
      GOALS.stateBytesPerSite,
      " bytes",
    ),
    none("resolved sites with another answer than a sequential search", r.resolveSites.wrongAnswers),
    none(`${r.bulkRequest10k.sites}-site bulk restore failures`, r.bulkRequest10k.failed),
  ];
}

/** The goals whose miss fails the run (CI): an operation failed, or a request count is over its minimum. */
export function blockingFailures(results: Pick<BenchResults, "goals">): string[] {
  return results.goals.filter((g) => g.blocking && !g.met).map((g) => `${g.name}: ${g.actual} (goal ${g.goal})`);
}

/** Table cells cannot hold pipes or line breaks. */
function cell(value: unknown): string {
  return String(value ?? "–")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ");
}

function row(...cells: unknown[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
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
  return `fails to serialize: ${reason}`;
}

function sortedEntries(record: Record<string, number>): string {
  return Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([name, n]) => `${name} (${n})`)
    .join(", ");
}

function machineLine(r: BenchResults): string {
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(", ");
  return (
    `Ran ${r.generatedAt} on ${r.machine.cpus} cores (${r.machine.cpuModel}), Node ${r.machine.node}, ${r.machine.platform}; ` +
    `load average (1, 5, 15 min) ${load(r.machine.loadAverageBefore)} before and ${load(r.machine.loadAverageAfter)} after ` +
    "(the machine is shared: timings move with it, counts and bytes do not)."
  );
}

function goalsTable(r: BenchResults): string[] {
  return [
    "| goal | target | measured | met |",
    "|---|---|---|---|",
    ...r.goals.map((g) => row(g.name, g.goal, g.actual, g.met ? "yes" : "**no**")),
  ];
}

function countsTable(r: BenchResults): string[] {
  const min = r.details.minimumRequestsPerOperation;
  return [
    `| kind | ${OPERATIONS.join(" | ")} |`,
    `|---|${OPERATIONS.map(() => "---").join("|")}|`,
    ...(Object.keys(r.requestsPerOperation) as KindName[]).map((kind) => {
      const counts = r.requestsPerOperation[kind];
      return row(kind, ...OPERATIONS.map((op) => (counts === null ? "not built yet" : `${counts[op]} (min ${min[kind][op].requests})`)));
    }),
  ];
}

function minimumsTable(r: BenchResults): string[] {
  const rows = new Map<string, string[]>();
  for (const [kind, minimum] of Object.entries(r.details.minimumRequestsPerOperation) as [KindName, Record<Operation, Minimum>][]) {
    const family = kind.endsWith("RestoreSession") ? "restore session" : "protection policy";
    for (const op of OPERATIONS) rows.set(`${family}|${op}`, [family, op, String(minimum[op].requests), minimum[op].why]);
  }
  return ["| kind | operation | minimum | why |", "|---|---|---|---|", ...[...rows.values()].map((cells) => row(...cells))];
}

/**
 * Per command: where its wall time went, as far as it can be measured from outside. The latency +
 * handling bound only binds requests made one after another (`sequential`).
 */
function commandsTable(commands: readonly CommandFigures[], sites: number, sequential = true): string[] {
  return [
    "| command | wall s | requests | latency + handling bound s | ratio | emulator handling ms | host CPU ms | host CPU ms/site | harness CPU ms | failed |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...commands.map((c) =>
      row(
        c.command,
        c.wallSeconds,
        c.throttled > 0 ? `${c.requests} (+${c.throttled} 429s)` : c.requests,
        sequential ? c.sequentialBoundSeconds : "n/a (concurrent)",
        sequential && c.sequentialBoundSeconds > 0 ? (c.wallSeconds / c.sequentialBoundSeconds).toFixed(2) : "n/a",
        c.handlingMs,
        c.hostCpuMs,
        (c.hostCpuMs / sites).toFixed(3),
        c.harnessCpuMs,
        c.error === undefined ? 0 : c.error,
      ),
    ),
  ];
}

function breakdownTable(breakdown: CpuBreakdown | null): string[] {
  if (breakdown === null) return ["(not profiled in this mode)"];
  const total = Object.values(breakdown).reduce((a, b) => a + b, 0);
  return [
    "| where the host's CPU went | whose | ms | share |",
    "|---|---|---|---|",
    ...Object.entries(breakdown).map(([label, ms]) => row(label, OWNERS[label] ?? "–", ms, `${((ms / total) * 100).toFixed(0)}%`)),
    row("total (a second, profiled run of the same load)", "", total.toFixed(1), "100%"),
  ];
}

function fleetRow(label: string, f: FleetResult): string {
  const adjusted =
    f.burstAdjustedLowerBoundSeconds === null ? "n/a" : `${f.burstAdjustedLowerBoundSeconds} / ${f.burstAdjustedRatio ?? "n/a"}`;
  return row(
    label,
    `${f.sessions} x ${f.sitesPerSession}`,
    f.wallSeconds,
    f.bound,
    f.lowerBoundSeconds,
    f.ratio,
    adjusted,
    f.throttled,
    f.failed,
    f.requestsPerSession,
  );
}

function drillRow(d: DrillStateResult): string {
  return row(
    d.naming === "siteId" ? "by site id" : "by restore point id",
    `${d.sites} (${d.succeeded} succeeded, session ${d.status})`,
    d.bytesPerSite,
    d.inputBytesPerSite,
    d.artifactBytesPerSite,
    d.sharedBytes,
    d.resourceBytes,
  );
}

/** Where the bulk-sites run's time went beyond its bound, in words and figures. */
function closingNote(r: BenchResults): string[] {
  const commands = r.details.bulkSitesCommands;
  const wall = commands.reduce((s, c) => s + c.wallSeconds, 0);
  const bound = commands.reduce((s, c) => s + c.sequentialBoundSeconds, 0);
  const host = commands.reduce((s, c) => s + c.hostCpuMs, 0) / 1000;
  const harness = commands.reduce((s, c) => s + c.harnessCpuMs, 0) / 1000;
  const client = r.details.comparison.bulkSites.providerRetryPolicy;
  const large = r.details.bulkRequest10kCommands
    .filter((c) => c.command !== "destroy" && c.sequentialBoundSeconds > 0)
    .map((c) => `${c.command} ${(c.wallSeconds / c.sequentialBoundSeconds).toFixed(2)}`)
    .join(", ");
  return [
    `The ${r.bulkSites.sitesPerSession}-site session took ${wall.toFixed(2)} s of steps against a bound of ${bound.toFixed(2)} s ` +
      `(every request's latency plus the emulator's handling, one after another): ${(wall - bound).toFixed(2)} s more. ` +
      `In that time the provider host used ${host.toFixed(2)} s of CPU (its start-up excluded) and this process, the engine harness ` +
      `standing in for the CLI, ${harness.toFixed(2)} s (the emulator's handling excluded), on ${r.machine.cpus} cores shared with the ` +
      `emulator and the machine's other load. The same requests through the Graph client alone, in one warm process, take ` +
      `${client.ratio} times the bound: the rest is paid per command, because the engine starts a fresh host for each one, which ` +
      "loads the engine, marshals the state through gRPC and opens its first HTTPS connection every time (the profile below). " +
      `Those costs do not grow with the sites: at ${r.bulkRequest10k.sites} sites the ratios are ${large}.`,
  ];
}

/** The Markdown of bench/results.md. */
export function renderMarkdown(r: BenchResults): string {
  const drill = r.details.drillState;
  const bulk10k = r.bulkRequest10k;
  return [
    `# Benchmarks (${r.mode} mode)`,
    "",
    `Written by \`${r.command}\`, never by hand. ${machineLine(r)}`,
    `Graph is the local emulator over loopback HTTPS with ${r.load.latencyMs} ms of added latency per request; the fleet rows also`,
    `have a rate limit of ${r.load.requestsPerSecond} requests/s per application (429 with Retry-After) and run ${r.load.parallel} resource steps at once.`,
    "Wall time is provider work: per command, first step started to last step done (host start and program run excluded). Host CPU",
    "is the provider host's own (user + system, from /proc/<pid>/stat) from the moment it listens to its last step, so configure,",
    "check and diff count and the Pulumi host's start-up does not.",
    "",
    ...goalsTable(r),
    "",
    "## State",
    "",
    "A resource is counted as the state file records it: URN, type, id, inputs and outputs (each with `__provider`), as compact JSON.",
    "",
    "| completed drill, sites named | sites | bytes/site | program's entry/site | stored artifact/site | stored once | resource bytes |",
    "|---|---|---|---|---|---|---|",
    drillRow(drill.byRestorePoint),
    drillRow(drill.bySiteId),
    "",
    `Named by site id, each site's id is stored twice: in the program's inputs and in its artifact, which diff reads (decision 0030).`,
    "",
    "| figure | value |",
    "|---|---|",
    row("`__provider` bytes per kind", sortedEntries(r.details.providerBytesPerKind)),
    row("baseline provider (captures its Graph client and zod schema)", baselineText(r.details.baseline)),
    row("one one-site session in the fleet's state (bytes)", r.details.fleetStateBytesPerResource),
    "",
    "## Cold start",
    "",
    "| figure | value |",
    "|---|---|",
    row(`host cold start to first create, this provider (median of ${r.details.coldStart.runs})`, `${r.details.coldStart.providerMs} ms`),
    row("same host, no-op provider", `${r.details.coldStart.noopMs} ms`),
    row("ratio", r.coldStartRatio),
    row("what a first restore session loads in the host (files per package)", sortedEntries(r.details.coldStart.loadedByEngine)),
    row(
      "load time of each, alone in a fresh process",
      Object.entries(r.details.coldStart.requireMs)
        .map(([name, ms]) => `${name} ${ms} ms`)
        .join(", "),
    ),
    "",
    "## Graph requests per operation",
    "",
    "One small resource of each kind (one site, OneDrive, mailbox or protection unit); a no-op `up` counts every request, reads too.",
    "",
    ...countsTable(r),
    "",
    ...minimumsTable(r),
    "",
    `## One session of ${r.bulkSites.sitesPerSession} sites: create, refresh, destroy`,
    "",
    `Its requests go one after another (create with 50, then PATCHes of 50; the session, then artifact pages of 100), so the`,
    "lower bound is each request's added latency plus the emulator's own handling time (its journal's `handlingMs`), summed.",
    "",
    ...commandsTable(r.details.bulkSitesCommands, r.bulkSites.sitesPerSession),
    "",
    ...closingNote(r),
    "",
    ...breakdownTable(r.details.bulkSitesHostCpuByCategory),
    "",
    "## Fleet: many sessions against the rate limit",
    "",
    "The lower bound is the requests served divided by the rate. The token bucket holds one second of requests and refills while",
    `the next command's host starts, so each command's first ${r.load.requestsPerSecond} requests cost no wait: the burst-adjusted bound leaves`,
    "them out. Client rows make the same requests through the Graph client in one process, without the host.",
    "",
    "| run | sessions x sites | wall s | bound | lower bound s | ratio | burst-adjusted bound s / ratio | 429s | failed | requests/session |",
    "|---|---|---|---|---|---|---|---|---|---|",
    fleetRow("sessions, provider host", r.fleet),
    fleetRow("sessions, client, provider retry policy", r.details.comparison.fleet.providerRetryPolicy),
    fleetRow("sessions, client, Graph SDK RetryHandler defaults", r.details.comparison.fleet.sdkDefaultRetry),
    fleetRow("bulk sites, provider host", r.bulkSites),
    fleetRow("bulk sites, client, provider retry policy", r.details.comparison.bulkSites.providerRetryPolicy),
    fleetRow("bulk sites, client, Graph SDK RetryHandler defaults", r.details.comparison.bulkSites.sdkDefaultRetry),
    "",
    ...commandsTable(r.details.fleetCommands, r.fleet.sessions * r.fleet.sitesPerSession, false),
    "",
    "## Resolution of sites named by id",
    "",
    `${r.resolveSites.sites} sites: the units listed, then ${r.resolveSites.searches} restore-point searches (five units each), ` +
      `${r.resolveSites.concurrency} at a time under the client's throttle. From the first search's arrival to the last answer: ` +
      `${r.resolveSites.searchSeconds} s against searches / concurrency x (latency + mean handling ${r.resolveSites.meanHandlingMs} ms) = ` +
      `${r.resolveSites.boundSeconds} s, ratio ${r.resolveSites.ratio}. Sites given another restore point than a sequential search gives: ` +
      `${r.resolveSites.wrongAnswers}. The whole create, POST and PATCHes included: ${r.resolveSites.createSeconds} s.`,
    "",
    `## Bulk restore of ${bulk10k.sites} sites by URL`,
    "",
    `One empty session, one bulk addition request naming ${bulk10k.sites} URLs, activation, the wait (the emulator's clock jumps to the`,
    `restore's end when activation is served), refresh and destroy: ${bulk10k.requests} requests, ${bulk10k.wallSeconds} s of steps, ` +
      `${bulk10k.hostCpuSeconds} s of host CPU, ${bulk10k.stateBytes} bytes of state (${(bulk10k.stateBytes / bulk10k.sites).toFixed(0)} per site), ` +
      `${bulk10k.succeeded} sites restored, ${bulk10k.failed} failures.`,
    "",
    ...commandsTable(r.details.bulkRequest10kCommands, bulk10k.sites),
    "",
    `Peak RSS of any provider host in this run: ${r.peakRssMb} MB.`,
    "",
  ].join("\n");
}

/** The README's performance block: the goals and where to read the rest. */
export function renderReadmeBlock(r: BenchResults): string {
  return [
    `Written by \`${r.command}\` (full mode) on ${r.generatedAt.slice(0, 10)}; every figure and how it is measured is in`,
    `[bench/results.md](bench/results.md), the raw numbers in [bench/results.json](bench/results.json). ${machineLine(r)}`,
    "",
    ...goalsTable(r),
    "",
    ...countsTable(r),
    "",
    ...closingNote(r),
    "",
    ...breakdownTable(r.details.bulkSitesHostCpuByCategory),
  ].join("\n");
}

export const README_START = "<!-- bench:start (written by npm run bench; edits between these markers are overwritten) -->";
export const README_END = "<!-- bench:end -->";

/** `readme` with the text between the bench markers replaced by `block`; throws when the markers are missing or out of order. */
export function replaceReadmeBlock(readme: string, block: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < 0 || end < start) throw new Error(`README.md needs the markers ${README_START} and ${README_END}, in that order`);
  return `${readme.slice(0, start + README_START.length)}\n${block.trim()}\n${readme.slice(end)}`;
}
