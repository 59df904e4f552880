/**
 * End to end at the engine's level: real Pulumi programs run through the engine harness, which hands
 * every SharePointRestoreSession to the real dynamic-provider host (package linked into the program
 * directory as a consumer has it), against the emulator over TLS.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { engineHarness, type StackState, type StepEvent } from "../../harness";
import { startEmulator, type Emulator } from "../../emulator";
import { makeProgramDir, repoRoot } from "../support/program-dir";
import { testCa } from "../support/test-ca";

// The program side exactly as a consumer loads it: the built package.

const { SharePointRestoreSession } = require(path.join(repoRoot, "dist", "provider")) as typeof import("../../provider");

const SESSIONS = "/v1.0/solutions/backupRestore/sharePointRestoreSessions";
const RESTORE_SESSIONS = "/v1.0/solutions/backupRestore/restoreSessions";
const URN = "urn:pulumi:drill::m365-backup-e2e::pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession::drill";

let emulator: Emulator;
let programDir: string;
let statePath: string;
let events: StepEvent[];
let logs: string[];
let desired: { sites: number[]; activate: boolean } | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
  restorePoints = emulator.tenant
    .sites()
    .filter((s) => s.protectionUnitId)
    .map((s) => emulator.tenant.latestRestorePointId(s.siteId));
});
afterAll(() => emulator?.close());

beforeEach(() => {
  programDir = makeProgramDir();
  statePath = path.join(programDir, "state.json");
  events = [];
  logs = [];
  desired = { sites: [0, 1, 2], activate: false };
  emulator.journal.clear();
});
afterEach(() => fs.rmSync(programDir, { recursive: true, force: true }));

// Fixed once: the latest restore point moves on with the emulator's clock.
let restorePoints: string[];
const restorePointOf = (site: number) => restorePoints[site];

function stack() {
  return engineHarness({
    projectName: "m365-backup-e2e",
    stackName: "drill",
    config: { "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken },
    statePath,
    workDir: programDir,
    onEvent: (e) => events.push(e),
    onLog: (text) => logs.push(text),
    program: async () => {
      if (!desired) return {};
      const session = new SharePointRestoreSession("drill", {
        siteRestoreArtifacts: desired.sites.map((s) => ({ restorePointId: restorePointOf(s) })),
        activate: desired.activate,
      });
      return { id: session.id, status: session.status, restored: session.siteRestoreArtifacts };
    },
  });
}

const state = () => JSON.parse(fs.readFileSync(statePath, "utf8")) as StackState;
const session = () => state().resources.find((r) => r.urn === URN);
const requests = () => emulator.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`);
const done = () => events.filter((e) => e.status === "done").map((e) => e.op);
const inEmulator = (id: string) => emulator.tenant.sessions().filter((s) => s.id === id);

test("the demo lifecycle: up activates, refresh shows completion, a second up changes nothing, destroy forgets", async () => {
  desired = { sites: [0, 1, 2], activate: true };
  const up = await stack().up();
  expect(up.changes).toEqual({ create: 1, update: 0, replace: 0, same: 0, delete: 0 });
  const id = String(up.outputs.id);
  expect(up.outputs.status).toBe("activating");
  expect(requests()).toEqual([`POST ${SESSIONS} 201`, `POST ${RESTORE_SESSIONS}/${id}/activate 200`]);

  emulator.clock.advance(12 * 60 * 60 * 1000);
  emulator.journal.clear();
  await stack().refresh();
  expect(requests()).toEqual([`GET ${RESTORE_SESSIONS}/${id} 200`, `GET ${SESSIONS}/${id}/siteRestoreArtifacts 200`]);
  expect(session()?.outputs).toMatchObject({ status: "completed", completedDateTime: expect.any(String) });

  emulator.journal.clear();
  const again = await stack().up();
  expect(again.changes).toEqual({ create: 0, update: 0, replace: 0, same: 1, delete: 0 });
  expect(requests()).toEqual([]);
  expect(again.outputs.status).toBe("completed");
  const restored = again.outputs.restored as { status: string; restoredSiteWebUrl: string }[];
  expect(restored.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);

  await stack().destroy();
  expect(requests()).toEqual([]);
  expect(state().resources).toEqual([]);
  expect(logs.join("")).toContain(`restore session ${id} was activated (status completed)`);
  expect(inEmulator(id)).toHaveLength(1);
});

test("an update while in draft PATCHes the same session, then activating it is an update too", async () => {
  const id = String((await stack().up()).outputs.id);
  desired = { sites: [1, 3], activate: false };
  emulator.journal.clear();
  const update = await stack().up();
  expect(update.changes).toEqual({ create: 0, update: 1, replace: 0, same: 0, delete: 0 });
  expect(update.outputs.id).toBe(id);
  expect(requests()).toEqual([
    `GET ${SESSIONS}/${id}/siteRestoreArtifacts 200`,
    `PATCH ${SESSIONS}/${id} 200`,
    `GET ${RESTORE_SESSIONS}/${id} 200`,
  ]);
  expect(inEmulator(id)[0]).toMatchObject({ status: "draft" });

  desired = { sites: [1, 3], activate: true };
  expect((await stack().up()).changes.update).toBe(1);
  expect(session()?.outputs.status).toBe("activating");
});

test("changing the sites after activation replaces the session: a new one is created, the old one forgotten", async () => {
  desired = { sites: [0], activate: true };
  const first = String((await stack().up()).outputs.id);
  desired = { sites: [4], activate: true };
  emulator.journal.clear();
  const replaced = await stack().up();
  expect(replaced.changes).toEqual({ create: 0, update: 0, replace: 1, same: 0, delete: 0 });
  const second = String(replaced.outputs.id);
  expect(second).not.toBe(first);
  expect(requests()).toEqual([`POST ${SESSIONS} 201`, `POST ${RESTORE_SESSIONS}/${second}/activate 200`]);
  expect(logs.join("")).toContain(`restore session ${first} was activated`);
  expect(state().resources.map((r) => r.id)).toEqual([second]);
});

test("refresh shows status drift and out-of-band deletion", async () => {
  const draft = String((await stack().up()).outputs.id);
  // Activated outside Pulumi: refresh shows the new status, and the inputs follow.
  emulator.journal.clear();
  const activate = await fetch(`${emulator.url}/v1.0/solutions/backupRestore/restoreSessions/${draft}/activate`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.accessToken}` },
  });
  expect(activate.status).toBe(200);
  await stack().refresh();
  expect(session()?.outputs).toMatchObject({ status: "activating", activate: true });

  // Deleted outside Pulumi while still a draft: refresh drops it, and the next up creates it again.
  desired = { sites: [5], activate: false };
  await stack().destroy();
  const second = String((await stack().up()).outputs.id);
  emulator.tenant.deleteSession(second);
  await stack().refresh();
  expect(done()).toContain("refresh-delete");
  expect(state().resources).toEqual([]);
});
