/**
 * The fault matrix: every Graph operation the provider makes × every fault the emulator injects,
 * through the real provider host (restore point search, which the engine does not call yet,
 * through the Graph client in this process against the same TLS server). For each pair: the
 * outcome is success or a clear error of an exact shape, the tenant holds exactly the sessions it
 * should (none duplicated, none orphaned) and what the provider reports matches the service.
 */
import type { FaultRule } from "../../emulator";
import { resolveSettings } from "../../provider/config";
import { createGraphClient, type RestorePointSearchResponse } from "../../provider/graph";
import { ThrottleGate } from "../../provider/graph/throttle-gate";
import { urnFor } from "../support/host";
import {
  outcomeOf,
  purgeSessions,
  reportedRestorePoints,
  SESSIONS_PATH,
  startRig,
  storedRestorePoints,
  type Outcome,
  type Rig,
} from "./rig";

type FaultName =
  | "429 Retry-After"
  | "429 no Retry-After"
  | "500"
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
  "503": { status: 503 },
  "504": { status: 504 },
  "reset before": { reset: "before" },
  "reset after": { reset: "after" },
  timeout: { timeout: true },
  "malformed JSON": { malformed: true },
  "expired token (401)": { status: 401, code: "InvalidAuthenticationToken" },
};

type Operation = "create" | "activate" | "read" | "list artifacts" | "update" | "delete" | "restore point search";

/** Graph route each operation's fault is injected on. */
const ROUTES: Record<Operation, { method: string; path: string }> = {
  create: { method: "POST", path: "/solutions/backupRestore/sharePointRestoreSessions" },
  activate: { method: "POST", path: "/solutions/backupRestore/restoreSessions/{id}/activate" },
  read: { method: "GET", path: "/solutions/backupRestore/restoreSessions/{id}" },
  "list artifacts": { method: "GET", path: "/solutions/backupRestore/sharePointRestoreSessions/{id}/siteRestoreArtifacts" },
  update: { method: "PATCH", path: "/solutions/backupRestore/sharePointRestoreSessions/{id}" },
  delete: { method: "DELETE", path: "/solutions/backupRestore/restoreSessions/{id}" },
  "restore point search": { method: "POST", path: "/solutions/backupRestore/restorePoints/search" },
};

/**
 * Where an error is the right answer: a plain 500 is not a documented transient code, so even a
 * GET is not repeated (Graph's guidance retries 429, 503, 504 and the two documented 500 codes).
 * Every other pair must succeed.
 */
const EXPECTED_ERRORS: Partial<Record<`${Operation}|${FaultName}`, RegExp>> = {
  "read|500":
    /^GET \/v1\.0\/solutions\/backupRestore\/restoreSessions\/[0-9a-f-]{36} -> 500 InternalServerError: Injected fault: HTTP 500\. \(request-id [0-9a-f-]{36}\)$/,
  "list artifacts|500":
    /^GET \/v1\.0\/solutions\/backupRestore\/sharePointRestoreSessions\/[0-9a-f-]{36}\/siteRestoreArtifacts -> 500 InternalServerError: Injected fault: HTTP 500\. \(request-id [0-9a-f-]{36}\)$/,
  "delete|500":
    /^DELETE \/v1\.0\/solutions\/backupRestore\/restoreSessions\/[0-9a-f-]{36} -> 500 InternalServerError: Injected fault: HTTP 500\. \(request-id [0-9a-f-]{36}\)$/,
  "restore point search|500":
    /^POST \/v1\.0\/solutions\/backupRestore\/restorePoints\/search -> 500 InternalServerError: Injected fault: HTTP 500\. \(request-id [0-9a-f-]{36}\)$/,
};

let rig: Rig;
const urn = urnFor("matrix");
const table: { operation: Operation; fault: FaultName; outcome: string; requests: string; sessions: number }[] = [];

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
  printTable();
});

const draftInputs = (restorePoints = [rig.restorePoints[0]!], activate = false) => ({
  siteRestoreArtifacts: restorePoints.map((restorePointId) => ({ restorePointId })),
  destinationType: "new",
  activate,
  __provider: rig.provider,
});

/** Creates a draft with no fault active, for the operations that need an existing session. */
async function existingDraft(): Promise<{ id: string; properties: Record<string, unknown> }> {
  return rig.host.create(urn, draftInputs());
}

/** The Graph requests of the faulted route and the rest, in order, as `METHOD status`. */
function requestSummary(): string {
  return rig.emulator.journal
    .entries()
    .filter((entry) => entry.path.startsWith("/v1.0/"))
    .map((entry) => `${entry.method} ${entry.outcome === "response" || entry.outcome === "fault" ? entry.status : entry.outcome}`)
    .join(", ");
}

/** Runs one operation with the fault armed once on its route, and checks the tenant against what the provider reported. */
async function runCell(operation: Operation, fault: FaultName): Promise<Outcome<unknown>> {
  const { emulator, host } = rig;
  const sessions = () => emulator.tenant.sessions();
  const arm = () => emulator.faults.add({ ...ROUTES[operation], ...FAULTS[fault], times: 1 });
  let outcome: Outcome<unknown>;
  switch (operation) {
    case "create": {
      arm();
      outcome = await outcomeOf(() => host.create(urn, draftInputs()));
      const created = expectOk(outcome) as { id: string; properties: Record<string, unknown> };
      expect(sessions().map((s) => [s.id, s.status])).toEqual([[created.id, "draft"]]);
      // Exactly one create reached the service's logic: after an ambiguous failure the session was adopted, or posted again only when there was none.
      const processed = emulator.journal
        .entries()
        .filter((e) => e.method === "POST" && e.path === SESSIONS_PATH && ["response", "reset-after", "malformed"].includes(e.outcome));
      expect(processed).toHaveLength(1);
      expect(reportedRestorePoints(created.properties)).toEqual(storedRestorePoints(emulator, created.id));
      break;
    }
    case "activate": {
      arm();
      outcome = await outcomeOf(() => host.create(urn, draftInputs(undefined, true)));
      const created = expectOk(outcome) as { id: string; properties: Record<string, unknown> };
      expect(sessions().map((s) => s.id)).toEqual([created.id]);
      expect(sessions()[0]!.status).not.toBe("draft");
      expect(created.properties.status).not.toBe("draft");
      // Exactly one activation reached the service's logic; a second would show as a 403 response.
      const processed = emulator.journal
        .entries()
        .filter((e) => e.path.endsWith("/activate") && ["response", "reset-after", "malformed"].includes(e.outcome));
      expect(processed.map((e) => e.status ?? e.outcome)).toEqual([fault === "reset after" ? "reset-after" : 200]);
      break;
    }
    case "read":
    case "list artifacts": {
      const { id, properties } = await existingDraft();
      emulator.journal.clear();
      arm();
      outcome = await outcomeOf(() => host.read(id, urn, properties));
      expect(sessions().map((s) => s.id)).toEqual([id]);
      if (outcome.ok) {
        const read = outcome.value as { id: string; properties: Record<string, unknown> };
        expect(read.id).toBe(id);
        expect(read.properties.status).toBe("draft");
        expect(reportedRestorePoints(read.properties)).toEqual(storedRestorePoints(emulator, id));
      }
      break;
    }
    case "update": {
      const { id, properties } = await existingDraft();
      emulator.journal.clear();
      arm();
      const wanted = rig.restorePoints.slice(0, 2);
      outcome = await outcomeOf(() => host.update(id, urn, properties, draftInputs(wanted), draftInputs()));
      const updated = expectOk(outcome) as { properties: Record<string, unknown> };
      expect(sessions().map((s) => s.id)).toEqual([id]);
      // Exactly the two restore points: a blind repeat of the PATCH would have added the second twice.
      expect(storedRestorePoints(emulator, id)).toEqual([...wanted].sort());
      expect(reportedRestorePoints(updated.properties)).toEqual([...wanted].sort());
      break;
    }
    case "delete": {
      const { id, properties } = await existingDraft();
      emulator.journal.clear();
      arm();
      outcome = await outcomeOf(() => host.delete(id, urn, properties));
      // Deleted means gone; a failed delete leaves the session, which the state still holds.
      expect(sessions().map((s) => s.id)).toEqual(outcome.ok ? [] : [id]);
      break;
    }
    case "restore point search": {
      arm();
      const site = emulator.tenant.sites().find((s) => s.protectionUnitId)!;
      const client = createGraphClient(resolveSettings({ get: (key) => rig.config[key] }), { throttle: new ThrottleGate() });
      outcome = await client.searchRestorePoints({ protectionUnitIds: [site.protectionUnitId] }).then(
        (value) => ({ ok: true as const, value }),
        (error: Error) => ({ ok: false as const, error: { details: error.message } as never }),
      );
      if (outcome.ok) {
        const response = outcome.value as RestorePointSearchResponse;
        expect(response.searchResults.map((result) => result.restorePoint.id)).toContain(emulator.tenant.latestRestorePointId(site.siteId));
      }
      expect(sessions()).toEqual([]);
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
    purgeSessions(rig.emulator);
    rig.emulator.faults.clear();
    rig.emulator.journal.clear();
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
        sessions: rig.emulator.tenant.sessions().length,
      });
    }
  });
});

function printTable(): void {
  const header = ["operation", "fault", "outcome", "sessions", "Graph requests (in order)"];
  const rows = table.map((row) => [
    row.operation === "restore point search" ? "search (in-process client)" : row.operation,
    row.fault,
    row.outcome,
    String(row.sessions),
    row.requests,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  console.log(["Fault matrix", line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n"));
}
