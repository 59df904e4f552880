/**
 * The provider host dies in the middle of a policy's create or update, after Graph acted: the engine
 * (the harness, as the CLI) keeps only a pending operation, and the next `up` runs create (or the
 * update) again from the state it had. A second create is refused because of the first policy (its
 * units are taken): the provider recognises its own interrupted create and finishes it (found by
 * `npm run chaos`, seed 16). A second dynamic rule is refused too: an update looks at the rules before
 * it creates one (seed 48).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EngineCrashedError, engineHarness, type StackState } from "../../harness";
import { startEmulator, type Emulator } from "../../emulator";
import { makeProgramDir, repoRoot } from "../support/program-dir";
import { testCa } from "../support/test-ca";

const { OneDriveProtectionPolicy, SharePointProtectionPolicy } = require(
  path.join(repoRoot, "dist", "provider"),
) as typeof import("../../provider");

const ROOT = "/v1.0/solutions/backupRestore";
const COLLECTION = `${ROOT}/sharePointProtectionPolicies`;

let emulator: Emulator;
let programDir: string;
let hostPid: number | undefined;
/** Set by a test: called as each request arrives, before the emulator handles it. */
let onRequest: (method: string, path: string) => void = () => undefined;

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa(), seedPolicies: false, speed: 0, onRequest: (r) => onRequest(r.method, r.path) });
});
afterAll(() => emulator?.close());
beforeEach(() => {
  programDir = makeProgramDir();
  emulator.journal.clear();
});
afterEach(() => fs.rmSync(programDir, { recursive: true, force: true }));

let withRule = false;
function stack(crash?: Parameters<typeof engineHarness>[0]["crash"], kind: "sites" | "drives" = "sites") {
  const siteIds = emulator.tenant
    .sites()
    .slice(0, 3)
    .map((s) => s.siteId);
  const engineering = emulator.tenant.groups().find((g) => g.displayName === "Engineering")!.id;
  return engineHarness({
    projectName: "m365-backup-e2e",
    stackName: "interrupted",
    config: { "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken },
    statePath: path.join(programDir, "state.json"),
    workDir: programDir,
    crash,
    onHostStarted: (host) => (hostPid = host.pid),
    program: async () => {
      const policy =
        kind === "sites"
          ? new SharePointProtectionPolicy("sites", { displayName: "Tier 1", siteIds })
          : new OneDriveProtectionPolicy("drives", {
              displayName: "Drives",
              userIds: [emulator.tenant.users()[0]!.directoryObjectId],
              driveInclusionRules: withRule ? [{ groupIds: [engineering], autoApply: true }] : [],
            });
      return { status: policy.status };
    },
  });
}

const requests = () => emulator.journal.entries().map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}/g, "{id}")} ${e.status}`);
const live = () => emulator.tenant.policies().filter((p) => p.workload === "sharePoint" && p.status !== "deleted");

test("a policy create killed after Graph made the policy: the next up takes that policy over and finishes it; the up after is a no-op", async () => {
  // The host dies as its POST reaches Graph, which still makes the policy: its answer is lost with the host.
  let struck!: () => void;
  const killed = new Promise<void>((resolve) => (struck = resolve));
  onRequest = (method, requestPath) => {
    if (method !== "POST" || requestPath !== COLLECTION) return;
    onRequest = () => undefined;
    process.kill(hostPid!, "SIGKILL");
    struck();
  };
  const crashed = await stack({ during: (operation) => operation.op === "create", when: () => killed })
    .up()
    .catch((e: unknown) => e);
  expect(crashed).toBeInstanceOf(EngineCrashedError);
  expect(live()).toHaveLength(1);
  const [lost] = live();
  const state = JSON.parse(fs.readFileSync(path.join(programDir, "state.json"), "utf8")) as StackState;
  expect(state.resources).toEqual([]);
  expect(state.pendingOperations?.map((op) => op.type)).toEqual(["creating"]);

  emulator.journal.clear();
  const up = await stack().up();
  expect(up.changes).toEqual({ create: 1, update: 0, replace: 0, same: 0, delete: 0 });
  expect(requests()).toEqual([
    `POST ${COLLECTION} 409`,
    `GET ${COLLECTION} 200`,
    `GET ${COLLECTION}/{id}/siteProtectionUnits 200`,
    `GET ${COLLECTION}/{id}/siteInclusionRules 200`,
    `POST ${ROOT}/protectionPolicies/{id}/activate 202`,
  ]);
  const resumed = JSON.parse(fs.readFileSync(path.join(programDir, "state.json"), "utf8")) as StackState;
  expect(resumed.resources.map((r) => r.id)).toEqual([lost!.id]);
  expect(live().map((p) => [p.id, p.units.length])).toEqual([[lost!.id, 3]]);

  emulator.journal.clear();
  expect((await stack().up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 1, delete: 0 });
  expect(requests()).toEqual([]);
});

test("a policy update killed after Graph made its dynamic rule: the next up finds the rule instead of asking for a second one", async () => {
  const statePath = path.join(programDir, "state.json");
  withRule = false;
  await stack(undefined, "drives").up();
  withRule = true;
  let struck!: () => void;
  const killed = new Promise<void>((resolve) => (struck = resolve));
  onRequest = (method, requestPath) => {
    if (method !== "POST" || !requestPath.endsWith("/driveInclusionRules")) return;
    onRequest = () => undefined;
    process.kill(hostPid!, "SIGKILL");
    struck();
  };
  await expect(stack({ during: (operation) => operation.op === "update", when: () => killed }, "drives").up()).rejects.toThrow(
    EngineCrashedError,
  );
  const [policy] = (JSON.parse(fs.readFileSync(statePath, "utf8")) as StackState).resources;
  const rules = () =>
    emulator.tenant
      .policies()
      .find((p) => p.id === policy!.id)!
      .rules.filter((r) => r.status !== "deleted" && r.status !== "deleteRequested");
  expect(rules()).toHaveLength(1);

  emulator.journal.clear();
  expect((await stack(undefined, "drives").up()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 0, delete: 0 });
  expect(requests()).toEqual([`GET ${ROOT}/oneDriveForBusinessProtectionPolicies/{id}/driveInclusionRules 200`]);
  expect(rules()).toHaveLength(1);
  emulator.journal.clear();
  expect((await stack(undefined, "drives").up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 1, delete: 0 });
  expect(requests()).toEqual([]);
});
