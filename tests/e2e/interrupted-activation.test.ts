/**
 * The provider host dies as a restore session's activation reaches Graph: Graph activated it, but
 * the engine keeps the draft it knew (and drops the pending update), so the next `up` updates the
 * session again, from a state that says draft. Graph now refuses to activate or change it: no longer
 * a draft. The provider reads that as what it is, instead of failing every `up` after.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EngineCrashedError, engineHarness, type StackState } from "../../harness";
import { startEmulator, type Emulator } from "../../emulator";
import { makeProgramDir, repoRoot } from "../support/program-dir";
import { testCa } from "../support/test-ca";

const { SharePointRestoreSession } = require(path.join(repoRoot, "dist", "provider")) as typeof import("../../provider");

let emulator: Emulator;
let programDir: string;
let hostPid: number | undefined;
let onRequest: (method: string, path: string) => void = () => undefined;

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa(), speed: 0, onRequest: (r) => onRequest(r.method, r.path) });
});
afterAll(() => emulator?.close());
beforeEach(() => {
  programDir = makeProgramDir();
  emulator.journal.clear();
});
afterEach(() => fs.rmSync(programDir, { recursive: true, force: true }));

let activate = false;
let sites = 1;
function stack(crash?: Parameters<typeof engineHarness>[0]["crash"]) {
  const restorePoints = emulator.tenant
    .sites()
    .slice(0, sites)
    .map((s) => ({ restorePointId: emulator.tenant.latestRestorePointId(s.siteId) }));
  return engineHarness({
    projectName: "m365-backup-e2e",
    stackName: "interrupted-activation",
    config: { "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken },
    statePath: path.join(programDir, "state.json"),
    workDir: programDir,
    crash,
    onHostStarted: (host) => (hostPid = host.pid),
    program: async () => {
      const session = new SharePointRestoreSession("drill", { siteRestoreArtifacts: restorePoints, activate, drillId: "d1" });
      return { status: session.status };
    },
  });
}

const requests = () => emulator.journal.entries().map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}/g, "{id}")} ${e.status}`);

/** Runs an up that activates the draft and kills the host as the activation reaches Graph. */
async function activateAndCrash(): Promise<void> {
  activate = false;
  await stack().up();
  activate = true;
  let struck!: () => void;
  const killed = new Promise<void>((resolve) => (struck = resolve));
  onRequest = (method, requestPath) => {
    if (method !== "POST" || !requestPath.endsWith("/activate")) return;
    onRequest = () => undefined;
    process.kill(hostPid!, "SIGKILL");
    struck();
  };
  await expect(stack({ during: (operation) => operation.op === "update", when: () => killed }).up()).rejects.toThrow(EngineCrashedError);
  const state = JSON.parse(fs.readFileSync(path.join(programDir, "state.json"), "utf8")) as StackState;
  expect(state.resources[0]!.outputs.status).toBe("draft");
}

const activatedSessions = () => emulator.tenant.sessions().filter((s) => s.activatedDateTime !== undefined);

beforeEach(() => {
  for (const session of emulator.tenant.sessions()) emulator.tenant.deleteSession(session.id);
  sites = 1;
});

test("an activation killed after it reached Graph: the next up finds the session activated and records it; the up after is a no-op", async () => {
  await activateAndCrash();
  expect(activatedSessions()).toHaveLength(1);
  emulator.journal.clear();
  expect((await stack().up()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 0, delete: 0 });
  expect(requests()).toEqual([
    "GET /v1.0/solutions/backupRestore/sharePointRestoreSessions/{id}/siteRestoreArtifacts 200",
    "POST /v1.0/solutions/backupRestore/restoreSessions/{id}/activate 403",
    "GET /v1.0/solutions/backupRestore/restoreSessions/{id} 200",
  ]);
  expect(activatedSessions()).toHaveLength(1);
  emulator.journal.clear();
  expect((await stack().up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 1, delete: 0 });
  expect(requests()).toEqual([]);
});

test("then a change to what it restores: the next up records the session as activated, the up after replaces it, then a no-op", async () => {
  await activateAndCrash();
  sites = 2;
  await expect(stack().up()).rejects.toThrow(/adding artifacts|updating artifacts/);
  expect(
    requests()
      .filter((r) => r.startsWith("PATCH"))
      .map((r) => r.split(" ").at(-1)),
  ).toEqual(["403"]);
  emulator.journal.clear();
  expect((await stack().up()).changes).toEqual({ create: 0, update: 0, replace: 1, same: 0, delete: 0 });
  // The new session restores both sites; the first one, activated, is only forgotten (Graph cannot delete it).
  expect(
    activatedSessions()
      .map((s) => s.artifacts.length)
      .sort(),
  ).toEqual([1, 2]);
  expect((await stack().up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 1, delete: 0 });
});
