/**
 * examples/scheduled-drill as its workflow runs it, with the engine harness in the CLI's place and
 * the emulator in Graph's: `up` with this month's drillId, then the report the workflow publishes,
 * rendered by `m365-backup drill-report` from the stack's state (after a failed drill too); a re-run
 * in the same month changes nothing, and the next month restores again.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineHarness, type StackState } from "../../harness";
import { startEmulator, type Emulator } from "../../emulator";
import { makeProgramDir, repoRoot } from "../support/program-dir";
import { testCa } from "../support/test-ca";

// The example imports the package by name, as users do; here that name is the built package.
jest.mock("pulumi-m365-backup", () => jest.requireActual("../../dist/provider"), { virtual: true });

const program = require("../../examples/scheduled-drill/index.ts") as () => Promise<Record<string, unknown>>;
const CLI = path.join(repoRoot, "dist", "cli", "index.js");
const PROJECT = "m365-backup-scheduled-drill";
/** Virtual time per real time that ends an emulated restore within a few polls. */
const FAST = 6000;

let emulator: Emulator;
let programDir: string;
let statePath: string;

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
});
afterAll(() => emulator?.close());
beforeEach(() => {
  programDir = makeProgramDir();
  statePath = path.join(programDir, "state.json");
  emulator.journal.clear();
  emulator.clock.setSpeed(FAST);
});
afterEach(() => fs.rmSync(programDir, { recursive: true, force: true }));

const sites = () =>
  emulator.tenant
    .sites()
    .slice(0, 2)
    .map((s) => s.siteWebUrl);

/** The stack as the workflow runs it: `pulumi up --config drillId=<month>`, config from Pulumi.<stack>.yaml. */
function stack(drillId: string, siteWebUrls: string[], drives?: string[]) {
  return engineHarness({
    projectName: PROJECT,
    stackName: "prod-drill",
    config: {
      "m365-backup:graphEndpoint": emulator.url,
      "m365-backup:accessToken": emulator.accessToken,
      [`${PROJECT}:drillId`]: drillId,
      [`${PROJECT}:siteWebUrls`]: JSON.stringify(siteWebUrls),
      ...(drives ? { [`${PROJECT}:drives`]: JSON.stringify(drives) } : {}),
      [`${PROJECT}:pollIntervalSeconds`]: "0.2",
    },
    statePath,
    workDir: programDir,
    program,
  });
}

/** `npx m365-backup drill-report <state> [--json]`, as the workflow's report step runs it. */
function drillReport(file: string, ...flags: string[]) {
  const run = spawnSync(process.execPath, [CLI, "drill-report", file, ...flags], { encoding: "utf8", env: { PATH: process.env.PATH } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** What `pulumi stack export` writes, with the harness's resources in it. */
function exportState(): string {
  const state = JSON.parse(fs.readFileSync(statePath, "utf8")) as StackState;
  const file = path.join(programDir, "export.json");
  fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { manifest: {}, resources: state.resources } }));
  return file;
}

const writes = () => emulator.journal.entries().filter((e) => e.method !== "GET" && !e.path.endsWith("/search"));

test("a month's drill restores and waits; the published report has every site; the same month again is a no-op; the next month restores again", async () => {
  const up = await stack("2026-12", sites(), ["adele@contoso.com"]).up();
  expect(up.changes).toEqual({ create: 2, update: 0, replace: 0, same: 0, delete: 0 });
  expect(up.outputs.drillId).toBe("2026-12");
  expect(up.outputs.status).toEqual(["completed", "completed"]);

  const file = exportState();
  const json = drillReport(file, "--json");
  expect(json.code).toBe(0);
  const reports = JSON.parse(json.stdout) as {
    workload: string;
    drillId: string;
    status: string;
    succeeded: number;
    failed: number;
    items: { name: string; status: string }[];
  }[];
  expect(reports.map((r) => [r.workload, r.drillId, r.status, r.succeeded, r.failed])).toEqual([
    ["SharePoint", "2026-12", "completed", 2, 0],
    ["OneDrive", "2026-12", "completed", 1, 0],
  ]);
  expect(reports.flatMap((r) => r.items.map((i) => i.status))).toEqual(["succeeded", "succeeded", "succeeded"]);

  const markdown = drillReport(file);
  expect(markdown.code).toBe(0);
  expect(markdown.stdout).toMatch(/^# /);
  for (const report of reports) {
    expect(markdown.stdout).toContain(report.drillId);
    for (const item of report.items) expect(markdown.stdout).toContain(item.name);
  }

  // A retried job or a manual dispatch in the same month: nothing changes, nothing reaches Graph.
  emulator.journal.clear();
  const again = await stack("2026-12", sites(), ["adele@contoso.com"]).up();
  expect(again.changes).toEqual({ create: 0, update: 0, replace: 0, same: 2, delete: 0 });
  expect(writes()).toEqual([]);

  // The next month's schedule: new sessions, a new restore.
  const next = await stack("2027-01", sites(), ["adele@contoso.com"]).up();
  expect(next.changes).toEqual({ create: 0, update: 0, replace: 2, same: 0, delete: 0 });
  expect(next.outputs.status).toEqual(["completed", "completed"]);
});

test("a failed drill fails up, and the report from the state still shows it, with what could not be restored", async () => {
  const missing = "https://contoso.sharepoint.com/sites/does-not-exist";
  await expect(stack("2026-12", [...sites(), missing]).up()).rejects.toThrow(
    /exists, but the drill failed: .*BulkRestoreArtifactsNotResolved/,
  );

  const file = exportState();
  const json = drillReport(file, "--json");
  expect(json.code).toBe(0);
  // The two sites were restored; the session completed; the name Graph could not resolve fails the drill.
  const [report] = JSON.parse(json.stdout) as { drillId: string; status: string; succeeded: number; unresolvedNames?: unknown }[];
  expect([report!.drillId, report!.status, report!.succeeded]).toEqual(["2026-12", "completed", 2]);
  expect(report!.unresolvedNames).toEqual({
    code: "BulkRestoreArtifactsNotResolved",
    message: "Errors while resolving restore artifacts",
    details: [{ code: "SiteUrlNotFound", message: `Site url '${missing}' could not be resolved`, target: missing }],
  });
  const markdown = drillReport(file);
  expect(markdown.code).toBe(0);
  expect(markdown.stdout).toContain(
    `| Names not resolved | BulkRestoreArtifactsNotResolved: Errors while resolving restore artifacts (${missing}) |`,
  );
});

describe("m365-backup drill-report's exit codes", () => {
  it("4 when the state holds no restore session with a report, 1 when the file is not a state export", () => {
    const empty = path.join(programDir, "empty.json");
    fs.writeFileSync(empty, JSON.stringify({ version: 3, deployment: { resources: [] } }));
    expect(drillReport(empty)).toEqual({ code: 4, stdout: "", stderr: `m365-backup: ${empty}: no restore session with a drill report\n` });
    const notState = path.join(programDir, "not-state.json");
    fs.writeFileSync(notState, "[]");
    expect(drillReport(notState)).toEqual({
      code: 1,
      stdout: "",
      stderr: `m365-backup: ${notState} is not a Pulumi state export: it has no deployment.resources\n`,
    });
  });
});
