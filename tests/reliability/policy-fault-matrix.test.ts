/**
 * The fault matrix of protection-policy calls: every Graph call a policy makes × every fault the
 * emulator injects, through the real provider host. For each pair the outcome is success or a clear
 * error of an exact shape, every write reached the service's logic exactly once (no duplicate
 * policy after an ambiguous create, no unit, rule or job twice), and what the provider reports
 * matches the tenant.
 */
import { startEmulator, type Emulator, type FaultRule } from "../../emulator";
import { startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedResourceProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";
import { clientSecretConfig, outcomeOf, type Outcome } from "./rig";

type FaultName =
  | "429 Retry-After"
  | "429 no Retry-After"
  | "500"
  | "500 PolicySaveFailed"
  | "503"
  | "504"
  | "reset before"
  | "reset after"
  | "timeout"
  | "malformed JSON"
  | "expired token (401)";

const FAULTS: Record<FaultName, Omit<FaultRule, "method" | "path">> = {
  "429 Retry-After": { status: 429, retryAfterSeconds: 1 },
  "429 no Retry-After": { status: 429, retryAfterSeconds: null },
  "500": { status: 500 },
  "500 PolicySaveFailed": { status: 500, code: "PolicySaveFailed" },
  "503": { status: 503 },
  "504": { status: 504 },
  "reset before": { reset: "before" },
  "reset after": { reset: "after" },
  timeout: { timeout: true },
  "malformed JSON": { malformed: true },
  "expired token (401)": { status: 401, code: "InvalidAuthenticationToken" },
};

const ROOT = "/solutions/backupRestore";
const POLICIES = `${ROOT}/sharePointProtectionPolicies`;
/** Graph route each operation's fault is injected on; deactivate runs last, because it moves the emulator's clock ahead of ours. */
const ROUTES = {
  create: { method: "POST", path: POLICIES },
  "add units": { method: "PATCH", path: `${POLICIES}/{policyId}` },
  activate: { method: "POST", path: `${ROOT}/protectionPolicies/{policyId}/activate` },
  read: { method: "GET", path: `${POLICIES}/{policyId}` },
  "list units": { method: "GET", path: `${POLICIES}/{policyId}/siteProtectionUnits` },
  "create rule": { method: "POST", path: `${POLICIES}/{policyId}/siteInclusionRules` },
  "bulk job": { method: "POST", path: `${POLICIES}/{policyId}/siteProtectionUnitsBulkAdditionJobs` },
  delete: { method: "DELETE", path: `${ROOT}/protectionPolicies/{policyId}` },
  deactivate: { method: "POST", path: `${ROOT}/protectionPolicies/{policyId}/deactivate` },
} as const;
type Operation = keyof typeof ROUTES;

/** A plain 500 is not a documented transient code, so a GET or DELETE is not repeated: the error is the answer. */
const EXPECTED_ERRORS: Partial<Record<`${Operation}|${FaultName}`, RegExp>> = {
  "read|500":
    /^GET \/v1\.0\/solutions\/backupRestore\/sharePointProtectionPolicies\/[0-9a-f-]{36} -> 500 InternalServerError: Injected fault: HTTP 500\./,
  "list units|500":
    /^GET \/v1\.0\/solutions\/backupRestore\/sharePointProtectionPolicies\/[0-9a-f-]{36}\/siteProtectionUnits -> 500 InternalServerError: Injected fault: HTTP 500\./,
  "delete|500":
    /^DELETE \/v1\.0\/solutions\/backupRestore\/protectionPolicies\/[0-9a-f-]{36} -> 500 InternalServerError: Injected fault: HTTP 500\./,
};

let emulator: Emulator;
let host: Host;
let provider: string;
const urn = urnFor("matrix", "pulumi-nodejs:dynamic/m365-backup:SharePointProtectionPolicy");
const table: { operation: Operation; fault: FaultName; outcome: string; requests: string; policies: number }[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa(), seedPolicies: false, sites: 70 });
  provider = await serializedResourceProviderText("SharePointProtectionPolicy", { displayName: "probe", active: false });
  host = await startHost({ cwd: makeProgramDir() });
  const config = clientSecretConfig(emulator);
  await host.configure(config, { secretKeys: ["m365-backup:clientSecret"] });
});
afterAll(async () => {
  await host?.close();
  await emulator?.close();
  printTable();
});

const sites = (n: number) =>
  emulator.tenant
    .sites()
    .slice(0, n)
    .map((s) => s.siteId);
const inputs = (extra: Record<string, unknown> = {}) => ({
  displayName: "matrix",
  siteIds: sites(3),
  active: false,
  adoptExisting: false,
  __provider: provider,
  ...extra,
});
const livePolicies = () => emulator.tenant.policies().filter((p) => p.status !== "deleted");
const liveKeys = (id: string) =>
  livePolicies()
    .find((p) => p.id === id)!
    .units.filter((u) => u.status !== "removed" && u.status !== "removeRequested")
    .map((u) => u.key)
    .sort();
/** How many requests to the route reached the service's logic (answered, or processed before the connection broke). */
const processed = (method: string, pattern: RegExp) =>
  emulator.journal
    .entries()
    .filter((e) => e.method === method && pattern.test(e.path) && ["response", "reset-after", "malformed"].includes(e.outcome));

function requestSummary(): string {
  return emulator.journal
    .entries()
    .filter((entry) => entry.path.startsWith("/v1.0/"))
    .map((entry) => `${entry.method} ${entry.outcome === "response" || entry.outcome === "fault" ? entry.status : entry.outcome}`)
    .join(", ");
}

async function existing(extra: Record<string, unknown> = {}): Promise<{ id: string; properties: Record<string, unknown> }> {
  const created = await host.create(urn, inputs(extra));
  emulator.journal.clear();
  return created;
}

async function runCell(operation: Operation, fault: FaultName): Promise<Outcome<unknown>> {
  const arm = () => emulator.faults.add({ ...ROUTES[operation], ...FAULTS[fault], times: 1 });
  let outcome: Outcome<unknown>;
  switch (operation) {
    case "create": {
      arm();
      outcome = await outcomeOf(() => host.create(urn, inputs()));
      const created = expectOk(outcome) as { id: string; properties: Record<string, unknown> };
      expect(livePolicies().map((p) => p.id)).toEqual([created.id]);
      expect(processed("POST", /sharePointProtectionPolicies$/)).toHaveLength(1);
      expect(liveKeys(created.id)).toEqual(sites(3).sort());
      break;
    }
    case "add units": {
      arm();
      outcome = await outcomeOf(() => host.create(urn, inputs({ siteIds: sites(60) })));
      const created = expectOk(outcome) as { id: string; properties: Record<string, unknown> };
      expect(liveKeys(created.id)).toEqual(sites(60).sort());
      expect(processed("PATCH", /sharePointProtectionPolicies\/[^/]+$/)).toHaveLength(1);
      expect((created.properties.siteProtectionUnits as unknown[]).length).toBe(60);
      break;
    }
    case "activate": {
      arm();
      outcome = await outcomeOf(() => host.create(urn, inputs({ active: true })));
      const created = expectOk(outcome) as { id: string; properties: Record<string, unknown> };
      expect(livePolicies().find((p) => p.id === created.id)!.status).toBe("updating");
      expect(created.properties.status).not.toBe("inactive");
      // A second activation would have been refused with a 403 response.
      expect(processed("POST", /\/activate$/).map((e) => e.status ?? e.outcome)).toEqual([fault === "reset after" ? "reset-after" : 202]);
      break;
    }
    case "read":
    case "list units": {
      const { id, properties } = await existing();
      arm();
      outcome = await outcomeOf(() => host.read(id, urn, properties));
      if (outcome.ok) {
        const read = outcome.value as { id: string; properties: Record<string, unknown> };
        expect(read.id).toBe(id);
        expect((read.properties.siteProtectionUnits as { siteId: string }[]).map((u) => u.siteId).sort()).toEqual(sites(3).sort());
      }
      break;
    }
    case "create rule": {
      arm();
      outcome = await outcomeOf(() =>
        host.create(urn, inputs({ siteInclusionRules: [{ expression: "(displayName -contains 'Finance')" }] })),
      );
      const created = expectOk(outcome) as { id: string; properties: Record<string, unknown> };
      expect(livePolicies().find((p) => p.id === created.id)!.rules).toHaveLength(1);
      expect(processed("POST", /siteInclusionRules$/)).toHaveLength(1);
      break;
    }
    case "bulk job": {
      arm();
      const urls = emulator.tenant
        .sites()
        .slice(10, 12)
        .map((s) => s.siteWebUrl);
      outcome = await outcomeOf(() => host.create(urn, inputs({ siteWebUrls: urls })));
      const created = expectOk(outcome) as { id: string; properties: Record<string, unknown> };
      expect(livePolicies().find((p) => p.id === created.id)!.bulkJobs).toHaveLength(1);
      expect(created.properties.siteProtectionUnitsBulkAdditionJobs).toEqual([expect.objectContaining({ names: urls })]);
      break;
    }
    case "delete": {
      const { id, properties } = await existing();
      arm();
      outcome = await outcomeOf(() => host.delete(id, urn, properties));
      // Deleted means gone; a failed delete leaves the policy, which the state still holds.
      expect(livePolicies().map((p) => p.id)).toEqual(outcome.ok ? [] : [id]);
      break;
    }
    case "deactivate": {
      const { id, properties } = await existing({ active: true });
      emulator.clock.advance(16 * 60_000);
      const { properties: active } = await host.read(id, urn, properties);
      expect(active.status).toBe("active");
      emulator.journal.clear();
      arm();
      outcome = await outcomeOf(() => host.update(id, urn, active, inputs({ active: false }), inputs({ active: true })));
      expectOk(outcome);
      expect(livePolicies().find((p) => p.id === id)!.status).toBe("updating");
      expect(processed("POST", /\/deactivate$/).map((e) => e.status ?? e.outcome)).toEqual([fault === "reset after" ? "reset-after" : 202]);
      break;
    }
  }
  const expectedError = EXPECTED_ERRORS[`${operation}|${fault}`];
  if (expectedError === undefined) expectOk(outcome);
  else {
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.details).toMatch(expectedError);
      expect(outcome.error.initFailure).toBeUndefined();
    }
  }
  return outcome;
}

function expectOk(outcome: Outcome<unknown>): unknown {
  if (!outcome.ok) throw new Error(`expected success, got: ${outcome.error.details}`);
  return outcome.value;
}

describe.each(Object.keys(ROUTES) as Operation[])("%s", (operation) => {
  test.each(Object.keys(FAULTS) as FaultName[])(`under %s`, async (fault) => {
    for (const policy of livePolicies()) emulator.tenant.deletePolicy(policy.id);
    emulator.faults.clear();
    emulator.journal.clear();
    let outcome: Outcome<unknown> | undefined;
    try {
      outcome = await runCell(operation, fault);
    } finally {
      table.push({
        operation,
        fault,
        outcome:
          outcome === undefined ? "TEST FAILED" : outcome.ok ? "ok" : `error: ${outcome.error.details.split(" -> ")[1]?.split(":")[0]}`,
        requests: requestSummary(),
        policies: livePolicies().length,
      });
    }
  });
});

function printTable(): void {
  const header = ["operation", "fault", "outcome", "policies", "Graph requests (in order)"];
  const rows = table.map((row) => [row.operation, row.fault, row.outcome, String(row.policies), row.requests]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  console.log(["Policy fault matrix", line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n"));
}
