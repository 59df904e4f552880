/** The benchmark's pure parts: request tallies from the journal, medians, goals and the Markdown table. */
import type { JournalEntry } from "../../emulator";
import type { FleetResult } from "../../bench/fleet";
import { blockingFailures, judge, renderMarkdown, type BenchResults } from "../../bench/report";
import { MINIMUM_REQUESTS } from "../../bench/request-counts";
import { median, tally } from "../../bench/support";

function entry(method: string, path: string, status: number): JournalEntry {
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
  };
}

function fleet(overrides: Partial<FleetResult> = {}): FleetResult {
  return {
    sessions: 200,
    sitesPerSession: 1,
    wallSeconds: 17,
    commandSeconds: 20,
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

function measured(overrides: Partial<Omit<BenchResults, "goals">> = {}): Omit<BenchResults, "goals"> {
  return {
    mode: "full",
    command: "npm run bench",
    generatedAt: "2026-01-01T00:00:00.000Z",
    machine: { cpus: 2, cpuModel: "cpu", node: "v20.0.0", platform: "linux x64" },
    load: { parallel: 64, requestsPerSecond: 50, latencyMs: 20 },
    providerBytes: 1963,
    baseline: {
      error:
        "error serializing\n  function 'bound safeParse': which could not be serialized because\n  the function could not be parsed.\nFunction code:\n  function () {}",
    },
    stateBytesPerResource: 5000,
    coldStartRatio: 1.1,
    coldStart: {
      runs: 7,
      providerMs: 550,
      noopMs: 500,
      ratio: 1.1,
      requireMs: { zod: 36.8 },
      loadedByEngine: { zod: 95, "pulumi-m365-backup": 41, jose: 83 },
    },
    requestsPerOperation: { ...MINIMUM_REQUESTS },
    minimumRequestsPerOperation: MINIMUM_REQUESTS,
    failedOperations: [],
    fleet: fleet(),
    bulkSites: fleet({ sessions: 1, sitesPerSession: 1000, ratio: 1.5, burstAdjustedLowerBoundSeconds: 0, burstAdjustedRatio: null }),
    comparison: {
      fleet: { providerRetryPolicy: fleet(), sdkDefaultRetry: fleet({ failed: 12 }) },
      bulkSites: { providerRetryPolicy: fleet(), sdkDefaultRetry: fleet() },
    },
    peakRssMb: 180,
    ...overrides,
  };
}

test("tally counts Graph requests only, 429s apart, and writes among the served", () => {
  const entries = [
    entry("POST", "/8c3e/oauth2/v2.0/token", 200),
    entry("POST", "/v1.0/solutions/backupRestore/sharePointRestoreSessions", 429),
    entry("POST", "/v1.0/solutions/backupRestore/sharePointRestoreSessions", 201),
    entry("GET", "/v1.0/solutions/backupRestore/restoreSessions/x", 200),
    entry("PATCH", "/beta/solutions/backupRestore/sharePointRestoreSessions/x", 200),
    entry("DELETE", "/v1.0/solutions/backupRestore/restoreSessions/x", 204),
  ];
  expect(tally(entries)).toEqual({ served: 4, throttled: 1, writes: 3 });
});

test("median of odd and even lists, and of none", () => {
  expect(median([5, 1, 3])).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(() => median([])).toThrow(RangeError);
});

test("the API minimum per operation is the issue's", () => {
  expect(MINIMUM_REQUESTS).toEqual({ create: 1, createActivate: 2, read: 2, diff: 0, delete: 1, noopUp: 0 });
});

test("judge flags each missed goal; only failures and excess requests block", () => {
  const results = measured({ requestsPerOperation: { ...MINIMUM_REQUESTS, read: 3 }, coldStartRatio: 1.4 });
  const goals = judge(results);
  expect(goals.filter((g) => !g.met).map((g) => `${g.name}: ${g.actual}`)).toEqual([
    "cold start ratio: 1.4",
    "requests per operation: over for read",
    "bulkSites ratio: 1.5",
  ]);
  expect(blockingFailures({ ...results, goals })).toEqual(["requests per operation: over for read (goal equal to the API minimum)"]);

  const failing = measured({ fleet: fleet({ failed: 2 }), failedOperations: [{ operation: "read", error: "boom" }] });
  expect(blockingFailures({ ...failing, goals: judge(failing) })).toEqual([
    "counted operations failed: read (goal 0)",
    "fleet operations failed: 2 (goal 0)",
  ]);
});

test("the Markdown names the command, the machine, every row, and why the baseline did not serialize", () => {
  const results = measured();
  const markdown = renderMarkdown({ ...results, goals: judge(results) });
  expect(markdown).toContain("Reproduce with `npm run bench`.");
  expect(markdown).toContain("on 2 cores (cpu)");
  expect(markdown).toContain("| bulkSites ratio | <= 1.2 | 1.5 | **no** |");
  expect(markdown).toContain(
    "| baseline provider (captures its Graph client and zod schema) | fails to serialize: function 'bound safeParse': which could not be serialized because the function could not be parsed. |",
  );
  expect(markdown).toContain("| sessions, client, Graph SDK RetryHandler defaults | 200 x 1 | 17 | 16 | 1.06 | 13 / 1.31 | 40 | 12 | 4 |");
  expect(markdown).toContain("| what requiring the engine loads (files per package) | zod (95), jose (83), pulumi-m365-backup (41) |");
  expect(markdown).toContain("| require time of each, alone in a fresh process | zod 36.8 ms |");
  expect(markdown).toContain("| bulk sites, provider host | 1 x 1000 | 17 | 16 | 1.5 | 0 / n/a |");
  expect(markdown.split("\n").filter((l) => l.startsWith("| sessions,") || l.startsWith("| bulk sites,"))).toHaveLength(6);
});
