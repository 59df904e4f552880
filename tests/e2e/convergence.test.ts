/**
 * A failed step, then `pulumi refresh`, then `pulumi up`: the tenant still ends as the program
 * declares. The engine harness plays the Go engine's part faithfully (a failed create with an id is
 * an init error that forces an update; refresh replaces the state with what read returns and clears
 * that flag), so the only thing that can carry the unfinished work across the refresh is diff
 * comparing the program with the session as observed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { engineHarness, type StackState } from "../../harness";
import { startEmulator, type Emulator } from "../../emulator";
import { makeProgramDir, repoRoot } from "../support/program-dir";
import { testCa } from "../support/test-ca";

const { SharePointRestoreSession } = require(path.join(repoRoot, "dist", "provider")) as typeof import("../../provider");

const SESSIONS = "/v1.0/solutions/backupRestore/sharePointRestoreSessions";
const RESTORE_SESSIONS = "/v1.0/solutions/backupRestore/restoreSessions";

let emulator: Emulator;
let programDir: string;
let statePath: string;
let restorePoints: string[];
let program: { sites: number; activate: boolean };

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa(), sites: 70 });
  // Fixed once: the latest restore point moves on with the emulator's clock.
  restorePoints = emulator.tenant
    .sites()
    .filter((s) => s.protectionUnitId)
    .map((s) => emulator.tenant.latestRestorePointId(s.siteId));
});
afterAll(() => emulator?.close());

beforeEach(() => {
  programDir = makeProgramDir();
  statePath = path.join(programDir, "state.json");
  emulator.journal.clear();
  emulator.faults.clear();
});
afterEach(() => fs.rmSync(programDir, { recursive: true, force: true }));

function stack() {
  return engineHarness({
    projectName: "m365-backup-e2e",
    stackName: "convergence",
    config: { "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken },
    statePath,
    workDir: programDir,
    program: async () => {
      const session = new SharePointRestoreSession("drill", {
        siteRestoreArtifacts: restorePoints.slice(0, program.sites).map((restorePointId) => ({ restorePointId })),
        activate: program.activate,
      });
      return { status: session.status };
    },
  });
}

const resource = () => (JSON.parse(fs.readFileSync(statePath, "utf8")) as StackState).resources[0]!;
const requests = () => emulator.journal.entries().map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}/g, "{id}")} ${e.status}`);
const stored = (id: string) => emulator.tenant.sessions().find((s) => s.id === id)!;

test("a failed activation, then refresh, then up: the session is activated, and the next up is a no-op", async () => {
  program = { sites: 2, activate: true };
  emulator.faults.add({ method: "POST", path: /\/activate$/, status: 403, code: "Forbidden", times: 1 });
  await expect(stack().up()).rejects.toThrow(
    /restore session [0-9a-f-]{36} exists, but activation failed: POST .*\/activate -> 403 Forbidden/,
  );
  const { id, initErrors } = resource();
  expect(initErrors).toHaveLength(1);
  expect(stored(id).status).toBe("draft");

  await stack().refresh();
  expect(resource().initErrors).toBeUndefined();
  // The state now says what Graph holds: a draft, not activated; the program still asks for activation.
  expect(resource().outputs).toMatchObject({ status: "draft", activate: false });

  emulator.journal.clear();
  const up = await stack().up();
  expect(up.changes).toEqual({ create: 0, update: 1, replace: 0, same: 0, delete: 0 });
  expect(requests()).toEqual([`GET ${SESSIONS}/{id}/siteRestoreArtifacts 200`, `POST ${RESTORE_SESSIONS}/{id}/activate 200`]);
  expect(stored(id).status).toBe("activating");
  expect(emulator.tenant.sessions()).toHaveLength(1);

  emulator.journal.clear();
  expect((await stack().up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 1, delete: 0 });
  expect(requests()).toEqual([]);
});

test("a failed PATCH chunk, then refresh, then up: every site is in the session exactly once, and the next up is a no-op", async () => {
  program = { sites: 60, activate: false };
  emulator.faults.add({ method: "PATCH", path: /sharePointRestoreSessions\/[^/]+$/, status: 403, code: "Forbidden", times: 1 });
  await expect(stack().up()).rejects.toThrow(/exists, but adding artifacts failed: PATCH .* -> 403 Forbidden/);
  const { id } = resource();
  expect(stored(id).artifacts).toHaveLength(50);

  await stack().refresh();
  expect(resource().initErrors).toBeUndefined();

  emulator.journal.clear();
  const up = await stack().up();
  expect(up.changes).toEqual({ create: 0, update: 1, replace: 0, same: 0, delete: 0 });
  expect(requests()).toEqual([
    `GET ${SESSIONS}/{id}/siteRestoreArtifacts 200`,
    `PATCH ${SESSIONS}/{id} 200`,
    `GET ${RESTORE_SESSIONS}/{id} 200`,
  ]);
  const held = stored(id).artifacts.map((a) => a.restorePointId);
  expect(held.slice().sort()).toEqual(restorePoints.slice(0, 60).sort());
  expect(new Set(held).size).toBe(60);

  emulator.journal.clear();
  expect((await stack().up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 1, delete: 0 });
  expect(requests()).toEqual([]);
  await stack().destroy();
  expect(emulator.tenant.sessions().filter((s) => s.id === id)).toEqual([]);
});

test("without the refresh, the init error alone drives the update that finishes the work", async () => {
  program = { sites: 60, activate: false };
  emulator.faults.add({ method: "PATCH", path: /sharePointRestoreSessions\/[^/]+$/, status: 403, code: "Forbidden", times: 1 });
  await expect(stack().up()).rejects.toThrow(/adding artifacts failed/);
  const { id } = resource();
  expect((await stack().up()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 0, delete: 0 });
  expect(new Set(stored(id).artifacts.map((a) => a.restorePointId)).size).toBe(60);
  expect(stored(id).artifacts).toHaveLength(60);
  expect((await stack().up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 1, delete: 0 });
  await stack().destroy();
});
