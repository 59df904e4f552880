/**
 * The benchmark's pure parts: request tallies and lower bounds from the journal, CPU time from
 * /proc, fleet figures, the kinds' minimums, the search span, the profile's categories, the goals,
 * and the Markdown of results.md and of README.md's marked block. No timing is asserted here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { JournalEntry } from "../../emulator";
import { boundKindOf, fleetFigures, hostCpuMsPerSite, type FleetLoad, type FleetResult } from "../../bench/fleet";
import { KINDS, minimumCounts, OPERATIONS, overMinimum, type KindName, type RequestCounts } from "../../bench/kinds";
import type { CommandFigures } from "../../bench/measured-stack";
import { CATEGORIES, categorize, sumBreakdowns, type CpuProfile } from "../../bench/profile";
import {
  blockingFailures,
  judge,
  README_END,
  README_START,
  renderMarkdown,
  renderReadmeBlock,
  replaceReadmeBlock,
  type BenchResults,
} from "../../bench/report";
import { searchTimes } from "../../bench/resolve-sites";
import { cpuTicksOfStat, handlingMs, median, sequentialBoundMs, tally } from "../../bench/support";

function entry(method: string, path: string, status: number, extra: Partial<JournalEntry> = {}): JournalEntry {
  return {
    time: "2026-01-01T00:00:00.000Z",
    requestId: "r",
    method,
    path,
    query: {},
    headers: {},
    body: undefined,
    status,
    outcome: status === 429 ? "fault" : "response",
    ...extra,
  };
}

const SESSIONS = "/v1.0/solutions/backupRestore/sharePointRestoreSessions";

test("tally counts Graph requests only, 429s apart, and writes among the served", () => {
  const entries = [
    entry("POST", "/8c3e/oauth2/v2.0/token", 200),
    entry("POST", SESSIONS, 429),
    entry("POST", SESSIONS, 201),
    entry("GET", "/v1.0/solutions/backupRestore/restoreSessions/x", 200),
    entry("PATCH", "/beta/solutions/backupRestore/sharePointRestoreSessions/x", 200),
    entry("DELETE", "/v1.0/solutions/backupRestore/restoreSessions/x", 204),
  ];
  expect(tally(entries)).toEqual({ served: 4, throttled: 1, writes: 3 });
});

test("the sequential bound is each Graph request's latency plus the emulator's handling; the token endpoint is not Graph", () => {
  const entries = [
    entry("POST", "/8c3e/oauth2/v2.0/token", 200, { handlingMs: 50 }),
    entry("POST", SESSIONS, 201, { handlingMs: 3.5 }),
    entry("PATCH", `${SESSIONS}/x`, 200, { handlingMs: 6 }),
    entry("GET", `${SESSIONS}/x`, 200),
  ];
  expect(handlingMs(entries)).toBe(9.5);
  expect(sequentialBoundMs(entries, 20)).toBe(3 * 20 + 9.5);
  expect(sequentialBoundMs([], 20)).toBe(0);
});

test("CPU ticks from /proc/<pid>/stat: utime plus stime, after a command name holding spaces and parentheses", () => {
  // Fields after the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
  const stat = "4242 (node (a) b) S 1 4242 4242 0 -1 4194560 9001 0 12 0 137 42 0 0 20 0 11 0 98765 1234567 890";
  expect(cpuTicksOfStat(stat)).toBe(179);
  expect(() => cpuTicksOfStat("garbage")).toThrow(/not a \/proc\/<pid>\/stat line/);
});

test("median of odd and even lists, and of none", () => {
  expect(median([5, 1, 3])).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(() => median([])).toThrow(RangeError);
});

const LOAD: FleetLoad = { sessions: 200, sitesPerSession: 1, parallel: 64, requestsPerSecond: 50, latencyMs: 20 };

test("many sessions are bound by the rate (with the burst each command may spend), one session by latency plus handling", () => {
  expect(boundKindOf(LOAD)).toBe("rate");
  expect(boundKindOf({ sessions: 1 })).toBe("sequential");
  const served = Array.from({ length: 800 }, () => entry("GET", `${SESSIONS}/x`, 200, { handlingMs: 1 }));
  const rate = fleetFigures([...served, entry("GET", `${SESSIONS}/x`, 429)], LOAD, {
    wallSeconds: 17,
    commandSeconds: 20,
    failed: 0,
    servedPerStretch: [400, 200, 200],
  });
  expect(rate).toMatchObject({ bound: "rate", lowerBoundSeconds: 16, ratio: 1.06, throttled: 1, requests: 800, requestsPerSession: 4 });
  // Each command's first 50 requests cost no wait: (350 + 150 + 150) / 50.
  expect(rate).toMatchObject({ burstAdjustedLowerBoundSeconds: 13, burstAdjustedRatio: 1.31 });

  const one = { ...LOAD, sessions: 1, sitesPerSession: 1000 };
  const requests = [
    entry("POST", SESSIONS, 201, { handlingMs: 30 }),
    ...Array.from({ length: 19 }, () => entry("PATCH", `${SESSIONS}/x`, 200, { handlingMs: 10 })),
  ];
  const sequential = fleetFigures(requests, one, { wallSeconds: 1.3, commandSeconds: 2, failed: 0, servedPerStretch: [20] });
  // 20 x 20 ms + 30 + 190 ms of handling.
  expect(sequential).toMatchObject({
    bound: "sequential",
    lowerBoundSeconds: 0.62,
    ratio: 2.1,
    burstAdjustedLowerBoundSeconds: null,
    burstAdjustedRatio: null,
  });
});

function command(overrides: Partial<CommandFigures>): CommandFigures {
  return {
    command: "up",
    wallSeconds: 1,
    commandSeconds: 2,
    requests: 20,
    throttled: 0,
    handlingMs: 100,
    sequentialBoundSeconds: 0.5,
    hostCpuMs: 400,
    hostStartupCpuMs: 380,
    harnessCpuMs: 150,
    succeeded: 1,
    ...overrides,
  };
}

test("host CPU per site is the costliest command's", () => {
  const commands = [
    command({ hostCpuMs: 430 }),
    command({ command: "refresh", hostCpuMs: 610 }),
    command({ command: "destroy", hostCpuMs: 250 }),
  ];
  expect(hostCpuMsPerSite(commands, 1000)).toBe(0.61);
});

test("six kinds, named as results.json names them, each with a minimum and a reason per operation", () => {
  expect(KINDS.map((k) => k.name)).toEqual([
    "sharePointRestoreSession",
    "oneDriveRestoreSession",
    "exchangeRestoreSession",
    "sharePointProtectionPolicy",
    "oneDriveProtectionPolicy",
    "exchangeProtectionPolicy",
  ]);
  expect(KINDS.map((k) => k.resourceClass)).toEqual([
    "SharePointRestoreSession",
    "OneDriveRestoreSession",
    "ExchangeRestoreSession",
    "SharePointProtectionPolicy",
    "OneDriveProtectionPolicy",
    "ExchangeProtectionPolicy",
  ]);
  for (const kind of KINDS) {
    expect(minimumCounts(kind)).toEqual({ create: 1, createActivate: 2, diff: 0, delete: 1, noopUp: 0 });
    for (const op of OPERATIONS) expect(kind.minimum[op].why.length).toBeGreaterThan(20);
  }
  // Graph refuses a second active policy of a workload, so policies need a tenant without the seeded ones.
  expect(KINDS.filter((k) => k.emulator.seedPolicies === false).map((k) => k.name)).toEqual([
    "sharePointProtectionPolicy",
    "oneDriveProtectionPolicy",
    "exchangeProtectionPolicy",
  ]);
  expect(overMinimum(KINDS[0]!, { create: 1, createActivate: 3, diff: 0, delete: 1, noopUp: 1 })).toEqual(["createActivate", "noopUp"]);
});

test("the searches' span runs from the first arrival to the last answer; the bound is searches / concurrency x (latency + handling)", () => {
  const search = (time: string, handling: number) =>
    entry("POST", "/v1.0/solutions/backupRestore/restorePoints/search", 200, { time, handlingMs: handling });
  const searches = [search("2026-01-01T00:00:00.000Z", 2), search("2026-01-01T00:00:00.010Z", 4), search("2026-01-01T00:00:00.100Z", 3)];
  expect(searchTimes(searches, 20, 2)).toEqual({ searchMs: 123, boundMs: 1.5 * 23, meanHandlingMs: 3 });
  expect(() => searchTimes([], 20, 8)).toThrow(RangeError);
});

test("profile samples are charged to loading first, else to the innermost frame that names a package or our code; idle and the profiler are left out", () => {
  const frame = (functionName: string, url: string) => ({ functionName, url });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", ""), children: [2, 3, 8, 9, 10, 12] },
      { id: 2, callFrame: frame("read", "file:///x/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"), children: [4, 5] },
      { id: 3, callFrame: frame("(garbage collector)", "") },
      { id: 4, callFrame: frame("readState", "file:///repo/dist/provider/engine/restore-session/state.js"), children: [6, 7] },
      { id: 5, callFrame: frame("toJavaScript", "file:///x/node_modules/google-protobuf/google/protobuf/struct_pb.js") },
      { id: 6, callFrame: frame("parse", "file:///x/node_modules/zod/v4/core/schemas.cjs") },
      { id: 7, callFrame: frame("require", "node:internal/modules/cjs/loader"), children: [11] },
      { id: 8, callFrame: frame("(idle)", "") },
      { id: 9, callFrame: frame("fetch", "node:internal/deps/undici/undici") },
      { id: 10, callFrame: frame("JSON.parse", ""), children: [] },
      { id: 11, callFrame: frame("compile", "") },
      { id: 12, callFrame: frame("(anonymous)", "file:///repo/bench/host-profiler.js"), children: [13] },
      { id: 13, callFrame: frame("post", "node:inspector") },
    ],
    samples: [4, 5, 6, 11, 3, 8, 9, 10, 4, 13],
    timeDeltas: [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 500, 9000],
  };
  expect(categorize(profile)).toEqual({
    [CATEGORIES.ours]: 1.5,
    [CATEGORIES.pulumi]: 2,
    [CATEGORIES.zod]: 3,
    [CATEGORIES.loading]: 4,
    [CATEGORIES.gc]: 5,
    [CATEGORIES.http]: 7,
    [CATEGORIES.node]: 8,
  });
  expect(sumBreakdowns([{ [CATEGORIES.ours]: 1.04, [CATEGORIES.gc]: 2 }, { [CATEGORIES.ours]: 2 }])).toEqual({
    [CATEGORIES.ours]: 3,
    [CATEGORIES.gc]: 2,
  });
});

function fleet(overrides: Partial<FleetResult> = {}): FleetResult {
  return {
    sessions: 200,
    sitesPerSession: 1,
    wallSeconds: 17,
    commandSeconds: 20,
    bound: "rate",
    lowerBoundSeconds: 16,
    ratio: 1.06,
    burstAdjustedLowerBoundSeconds: 13,
    burstAdjustedRatio: 1.31,
    throttled: 40,
    failed: 0,
    requests: 800,
    requestsPerSession: 4,
    ...overrides,
  };
}

const AT_MINIMUM: RequestCounts = { create: 1, createActivate: 2, diff: 0, delete: 1, noopUp: 0 };

function measured(overrides: Partial<Omit<BenchResults, "goals">> = {}): Omit<BenchResults, "goals"> {
  const drill = { sites: 1000, status: "completed", succeeded: 1000, sharedBytes: 5400 };
  const bulkSites = fleet({
    sessions: 1,
    sitesPerSession: 1000,
    bound: "sequential",
    lowerBoundSeconds: 0.78,
    ratio: 1.5,
    burstAdjustedLowerBoundSeconds: null,
    burstAdjustedRatio: null,
  });
  return {
    mode: "full",
    command: "npm run bench",
    generatedAt: "2026-01-01T00:00:00.000Z",
    machine: {
      cpus: 2,
      cpuModel: "cpu",
      node: "v20.0.0",
      platform: "linux x64",
      loadAverageBefore: [3.5, 3, 2],
      loadAverageAfter: [4, 3.25, 2],
    },
    load: { parallel: 64, requestsPerSecond: 50, latencyMs: 20 },
    providerBytes: 2017,
    coldStartRatio: 1.2,
    requestsPerOperation: Object.fromEntries(KINDS.map((k, i) => [k.name, i < 3 ? { ...AT_MINIMUM } : null])) as Record<
      KindName,
      RequestCounts | null
    >,
    fleet: fleet(),
    bulkSites: { ...bulkSites, hostCpuMsPerSite: 0.45 },
    stateBytesPerSite: 394.4,
    resolveSites: {
      sites: 1000,
      searches: 200,
      ratio: 1.4,
      concurrency: 8,
      searchSeconds: 0.8,
      boundSeconds: 0.57,
      meanHandlingMs: 2.8,
      wrongAnswers: 0,
      createSeconds: 1.9,
    },
    bulkRequest10k: {
      sites: 10000,
      requests: 210,
      failed: 0,
      wallSeconds: 14,
      hostCpuSeconds: 6.5,
      stateBytes: 3_100_000,
      succeeded: 10000,
    },
    peakRssMb: 230,
    details: {
      providerBytesPerKind: { SharePointRestoreSession: 1963, OneDriveRestoreSession: 2017, ExchangeRestoreSession: 2011 },
      baseline: {
        error:
          "error serializing\n  function 'bound safeParse': which could not be serialized because\n  the function could not be parsed.\nFunction code:\n  function () {}",
      },
      coldStart: {
        runs: 7,
        providerMs: 540,
        noopMs: 450,
        ratio: 1.2,
        requireMs: { "pulumi-m365-backup/engine": 65.6, zod: 32.5 },
        loadedByEngine: { zod: 95, "pulumi-m365-backup": 54 },
      },
      minimumRequestsPerOperation: Object.fromEntries(
        KINDS.map((k) => [k.name, k.minimum]),
      ) as BenchResults["details"]["minimumRequestsPerOperation"],
      failedOperations: [],
      drillState: {
        byRestorePoint: {
          ...drill,
          naming: "restorePointId",
          resourceBytes: 394_400,
          bytesPerSite: 394.4,
          inputBytesPerSite: 76,
          artifactBytesPerSite: 313,
        },
        bySiteId: {
          ...drill,
          naming: "siteId",
          resourceBytes: 538_400,
          bytesPerSite: 538.4,
          inputBytesPerSite: 112,
          artifactBytesPerSite: 421,
        },
      },
      fleetCommands: [command({ command: "up" })],
      bulkSitesCommands: [
        command({ command: "up", wallSeconds: 0.7, sequentialBoundSeconds: 0.5, hostCpuMs: 450, harnessCpuMs: 150 }),
        command({ command: "refresh", wallSeconds: 0.5, sequentialBoundSeconds: 0.25, hostCpuMs: 420, harnessCpuMs: 120 }),
        command({ command: "destroy", wallSeconds: 0.3, sequentialBoundSeconds: 0.03, hostCpuMs: 250, harnessCpuMs: 40 }),
      ],
      bulkRequest10kCommands: [command({ command: "up", requests: 6 })],
      bulkSitesHostCpuByCategory: { [CATEGORIES.pulumi]: 300, [CATEGORIES.loading]: 200, [CATEGORIES.ours]: 100 },
      comparison: {
        fleet: { providerRetryPolicy: fleet(), sdkDefaultRetry: fleet({ failed: 12 }) },
        bulkSites: { providerRetryPolicy: bulkSites, sdkDefaultRetry: bulkSites },
      },
      fleetStateBytesPerResource: 5300,
    },
    ...overrides,
  };
}

test("judge flags each missed goal; only failures, wrong answers and excess requests block", () => {
  const results = measured();
  const goals = judge(results);
  expect(goals.filter((g) => !g.met).map((g) => `${g.name}: ${g.actual}`)).toEqual([
    "resource kinds counted: 3 (not built yet: sharePointProtectionPolicy, oneDriveProtectionPolicy, exchangeProtectionPolicy)",
    "1000-site session ratio (latency + handling bound): 1.5",
  ]);
  expect(blockingFailures({ goals })).toEqual([]);

  const counts = { ...results.requestsPerOperation, oneDriveRestoreSession: { ...AT_MINIMUM, createActivate: 3 } };
  const bad = measured({
    requestsPerOperation: counts,
    stateBytesPerSite: 401,
    bulkSites: { ...results.bulkSites, hostCpuMsPerSite: 1.2 },
    resolveSites: { ...results.resolveSites, wrongAnswers: 2 },
    bulkRequest10k: { ...results.bulkRequest10k, failed: 1 },
  });
  bad.details.failedOperations.push({ kind: "exchangeRestoreSession", operation: "delete", error: "boom" });
  const badGoals = judge(bad);
  expect(badGoals.filter((g) => !g.met).map((g) => g.name)).toEqual([
    "requests per operation",
    "resource kinds counted",
    "counted operations failed",
    "1000-site session ratio (latency + handling bound)",
    "1000-site session host CPU per site per operation",
    "state per site, completed 1000-site drill",
    "resolved sites with another answer than a sequential search",
    "10000-site bulk restore failures",
  ]);
  expect(blockingFailures({ goals: badGoals })).toEqual([
    "requests per operation: over for oneDriveRestoreSession.createActivate (goal at the API minimum)",
    "counted operations failed: exchangeRestoreSession.delete (goal 0)",
    "resolved sites with another answer than a sequential search: 2 (goal 0)",
    "10000-site bulk restore failures: 1 (goal 0)",
  ]);
});

test("results.md names the command, the machine's load, every kind and where the time went", () => {
  const results = measured();
  const markdown = renderMarkdown({ ...results, goals: judge(results) });
  expect(markdown).toContain("Written by `npm run bench`, never by hand.");
  expect(markdown).toContain("load average (1, 5, 15 min) 3.50, 3.00, 2.00 before and 4.00, 3.25, 2.00 after");
  expect(markdown).toContain("| 1000-site session ratio (latency + handling bound) | <= 1.3 | 1.5 | **no** |");
  expect(markdown).toContain("| sharePointRestoreSession | 1 (min 1) | 2 (min 2) | 0 (min 0) | 1 (min 1) | 0 (min 0) |");
  expect(markdown).toContain(
    "| exchangeProtectionPolicy | not built yet | not built yet | not built yet | not built yet | not built yet |",
  );
  expect(markdown).toContain("| by restore point id | 1000 (1000 succeeded, session completed) | 394.4 | 76 | 313 | 5400 | 394400 |");
  expect(markdown).toContain("| refresh | 0.5 | 20 | 0.25 | 2.00 | 100 | 420 | 0.420 | 120 | 0 |");
  expect(markdown).toContain("took 1.50 s of steps against a bound of 0.78 s");
  expect(markdown).toContain(
    "| Pulumi host: gRPC and protobuf Struct marshalling | Pulumi's dynamic-provider host (grows with the state's size) | 300 | 50% |",
  );
  expect(markdown).toContain("take 1.5 times the bound: the rest is paid per command");
  expect(markdown).toContain("at 10000 sites the ratios are up 2.00.");
  // The fleet runs 64 steps at once: the sequential bound does not bind it.
  expect(markdown).toContain("| up | 1 | 20 | n/a (concurrent) | n/a | 100 | 400 | 2.000 | 150 | 0 |");
  expect(markdown).toContain(
    "| baseline provider (captures its Graph client and zod schema) | fails to serialize: function 'bound safeParse': which could not be serialized because the function could not be parsed. |",
  );
  expect(markdown).toContain("| bulk sites, provider host | 1 x 1000 | 17 | sequential | 0.78 | 1.5 | n/a | 40 | 0 | 4 |");
  expect(markdown).toContain(
    "| sessions, client, Graph SDK RetryHandler defaults | 200 x 1 | 17 | rate | 16 | 1.06 | 13 / 1.31 | 40 | 12 | 4 |",
  );
  expect(markdown).toContain(
    "210 requests, 14 s of steps, 6.5 s of host CPU, 3100000 bytes of state (310 per site), 10000 sites restored, 0 failures.",
  );
});

test("README's block is replaced between its markers only, again and again, and the markers must be there", () => {
  const results = measured();
  const block = renderReadmeBlock({ ...results, goals: judge(results) });
  const readme = `# Title\n\n## Performance\n\nintro\n\n${README_START}\nold figures\n${README_END}\n\n## Next\n`;
  const once = replaceReadmeBlock(readme, block);
  expect(once).toBe(`# Title\n\n## Performance\n\nintro\n\n${README_START}\n${block.trim()}\n${README_END}\n\n## Next\n`);
  expect(replaceReadmeBlock(once, block)).toBe(once);
  expect(block).toContain("[bench/results.md](bench/results.md)");
  expect(() => replaceReadmeBlock("# no markers\n", block)).toThrow(/needs the markers/);
  expect(() => replaceReadmeBlock(`${README_END}\n${README_START}\n`, block)).toThrow(/in that order/);
});

test("the repository's README has the bench markers once each, in order", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
  expect(readme.split(README_START)).toHaveLength(2);
  expect(readme.split(README_END)).toHaveLength(2);
  expect(readme.indexOf(README_START)).toBeLessThan(readme.indexOf(README_END));
});
