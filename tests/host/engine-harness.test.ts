/**
 * The engine harness against the real dynamic-provider host, with the echo fixture: each test
 * asserts the step's reported changes, the exact calls that reached the provider and the state file,
 * including what the Go engine does that is inconvenient: init errors, refresh, crashes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { EngineCrashedError, engineHarness, type CrashPlan, type StackOptions, type StackState, type StepEvent } from "../../harness";
import { echoProviderDir, makeProgramDir } from "../support/program-dir";

// The fixture's program side, loaded from its real path like the program dir's link resolves it.

const { Echo } = require(echoProviderDir) as {
  Echo: new (
    name: string,
    args: Record<string, unknown>,
    opts?: pulumi.CustomResourceOptions,
  ) => pulumi.CustomResource & { [key: string]: pulumi.Output<unknown> };
};

const TYPE = "pulumi-nodejs:dynamic/echo:Echo";
const urnA = `urn:pulumi:dev::demo::${TYPE}::a`;
const urnB = `urn:pulumi:dev::demo::${TYPE}::b`;

interface EchoStore {
  objects: Record<string, Record<string, unknown>>;
  calls: { method: string; id?: string; changed?: string[] }[];
}

let programDir: string;
let statePath: string;
let storePath: string;
let events: StepEvent[];
let warnings: string[];
let desired: Record<string, Record<string, unknown>>;
/** Names the program registers with `retainOnDelete`. */
let retained: Set<string>;

function harness(crash?: CrashPlan, more: Partial<StackOptions> = {}) {
  return engineHarness({
    ...more,
    crash,
    onWarning: (message) => warnings.push(message),
    projectName: "demo",
    stackName: "dev",
    config: { "echo:greeting": "hi", "demo:size": "2" },
    statePath,
    workDir: programDir,
    env: { ...process.env, ECHO_STORE: storePath },
    onEvent: (e) => events.push(e),
    program: async () => {
      const size = Number(new pulumi.Config().require("size"));
      const made = Object.entries(desired).map(
        ([name, args]) => new Echo(name, { size, ...args }, retained.has(name) ? { retainOnDelete: true } : {}),
      );
      return { labels: made.map((r) => r.label), firstId: made[0]?.id };
    },
  });
}

function state(): StackState {
  return JSON.parse(fs.readFileSync(statePath, "utf8")) as StackState;
}

function echoStore(): EchoStore {
  return JSON.parse(fs.readFileSync(storePath, "utf8")) as EchoStore;
}

/** The provider calls since `from`, as "method id" (configure and check carry no id). */
function callsSince(from: number): string[] {
  return echoStore()
    .calls.slice(from)
    .map((c) => (c.id ? `${c.method} ${c.id}` : c.method));
}

function withoutProvider(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: provider, ...rest } = props;
  expect(typeof provider).toBe("string");
  return rest;
}

beforeEach(() => {
  retained = new Set();
  programDir = makeProgramDir({ "echo-provider": echoProviderDir });
  statePath = path.join(programDir, "state", "dev.json");
  storePath = path.join(programDir, "echo-store.json");
  events = [];
  warnings = [];
  desired = { a: { label: "alpha" }, b: { label: "beta", zone: "z1" } };
});

afterEach(() => {
  fs.rmSync(programDir, { recursive: true, force: true });
});

test("up creates, a second up is all same, and the state file holds exactly the resources and outputs", async () => {
  const first = await harness().up();
  expect(first).toEqual({
    outputs: { labels: ["alpha", "beta"], firstId: "echo-alpha-1" },
    changes: { create: 2, update: 0, replace: 0, same: 0, delete: 0 },
  });
  expect(callsSince(0)).toEqual(["configure", "check", "create", "check", "create"]);
  const written = state();
  expect(written.outputs).toEqual({ labels: ["alpha", "beta"], firstId: "echo-alpha-1" });
  expect(written.resources.map((r) => ({ ...r, inputs: withoutProvider(r.inputs), outputs: withoutProvider(r.outputs) }))).toEqual([
    {
      urn: urnA,
      type: TYPE,
      id: "echo-alpha-1",
      inputs: { label: "alpha", size: 2, greeting: "hi" },
      outputs: { label: "alpha", size: 2, greeting: "hi", revision: 1 },
    },
    {
      urn: urnB,
      type: TYPE,
      id: "echo-beta-2",
      inputs: { label: "beta", zone: "z1", size: 2, greeting: "hi" },
      outputs: { label: "beta", zone: "z1", size: 2, greeting: "hi", revision: 1 },
    },
  ]);

  const before = echoStore().calls.length;
  const second = await harness().up();
  expect(second.changes).toEqual({ create: 0, update: 0, replace: 0, same: 2, delete: 0 });
  expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-1", "check", "diff echo-beta-2"]);
  expect(events.filter((e) => e.status === "done").map((e) => `${e.op} ${e.urn.split("::")[3]}`)).toEqual([
    "create a",
    "create b",
    "same a",
    "same b",
  ]);
});

test("preview reports what would change and writes nothing", async () => {
  const result = await harness().preview();
  expect(result.changes).toEqual({ create: 2, update: 0, replace: 0, same: 0, delete: 0 });
  expect(callsSince(0)).toEqual(["configure", "check", "check"]);
  expect(fs.existsSync(statePath)).toBe(false);
  expect(echoStore().objects).toEqual({});
});

test("changing an input updates in place; a zone change replaces create-before-delete; a dropped resource is deleted", async () => {
  await harness().up();
  desired.a = { label: "alpha", size: 5 };
  let before = echoStore().calls.length;
  expect((await harness().up()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 1, delete: 0 });
  expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-1", "update echo-alpha-1", "check", "diff echo-beta-2"]);
  expect(withoutProvider(state().resources[0].outputs)).toEqual({ label: "alpha", size: 5, greeting: "hi", revision: 2 });

  desired.b = { label: "beta", zone: "z2" };
  before = echoStore().calls.length;
  expect((await harness().up()).changes).toEqual({ create: 0, update: 0, replace: 1, same: 1, delete: 0 });
  expect(callsSince(before)).toEqual([
    "configure",
    "check",
    "diff echo-alpha-1",
    "check",
    "diff echo-beta-2",
    "create",
    "delete echo-beta-2",
  ]);
  expect(state().resources.map((r) => [r.urn, r.id])).toEqual([
    [urnA, "echo-alpha-1"],
    [urnB, "echo-beta-3"],
  ]);

  delete desired.a;
  before = echoStore().calls.length;
  const dropped = await harness().up();
  expect(dropped).toEqual({
    outputs: { labels: ["beta"], firstId: "echo-beta-3" },
    changes: { create: 0, update: 0, replace: 0, same: 1, delete: 1 },
  });
  expect(callsSince(before)).toEqual(["configure", "check", "diff echo-beta-3", "delete echo-alpha-1"]);
  expect(state().resources.map((r) => r.id)).toEqual(["echo-beta-3"]);
  expect(Object.keys(echoStore().objects)).toEqual(["echo-beta-3"]);
});

test("deleteBeforeReplace deletes the old object before creating its replacement", async () => {
  await harness().up();
  desired.b = { label: "beta", zone: "z2", deleteFirst: true };
  const before = echoStore().calls.length;
  expect((await harness().up()).changes.replace).toBe(1);
  expect(callsSince(before)).toEqual([
    "configure",
    "check",
    "diff echo-alpha-1",
    "check",
    "diff echo-beta-2",
    "delete echo-beta-2",
    "create",
  ]);
});

test("a replaced object is deleted at the end of the up; while its delete fails it stays in the state, marked, and every up tries again", async () => {
  await harness().up();
  desired.a = { label: "alpha", zone: "z2" };
  const remote = echoStore();
  fs.writeFileSync(storePath, JSON.stringify({ ...remote, refuseDeletes: 1 }));
  let before = remote.calls.length;
  await expect(harness().up()).rejects.toThrow(`delete of ${urnA} failed: echo echo-alpha-1: delete refused on purpose`);
  // Go's GenerateDeletes runs after every registration: the old object is deleted last, not right after its replacement.
  expect(callsSince(before)).toEqual([
    "configure",
    "check",
    "diff echo-alpha-1",
    "create",
    "check",
    "diff echo-beta-2",
    "delete echo-alpha-1",
  ]);
  expect(state().resources.map((r) => [r.urn, r.id, r.delete])).toEqual([
    [urnA, "echo-alpha-1", true],
    [urnA, "echo-alpha-3", undefined],
    [urnB, "echo-beta-2", undefined],
  ]);

  before = echoStore().calls.length;
  expect((await harness().up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 2, delete: 1 });
  // The marked object never stands for its URN: diff sees the replacement.
  expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-3", "check", "diff echo-beta-2", "delete echo-alpha-1"]);
  expect(state().resources.map((r) => r.id)).toEqual(["echo-alpha-3", "echo-beta-2"]);
  expect(Object.keys(echoStore().objects)).toEqual(["echo-beta-2", "echo-alpha-3"]);
});

test("keepHost runs consecutive commands on one host, which configures its provider once; a host killed by a crash is replaced", async () => {
  const hosts: number[] = [];
  const logs: string[] = [];
  let armed = false;
  const crash: CrashPlan = {
    during: (operation) => armed && operation.op === "update",
    when: (host) => host.waitForOutput("echo: updated echo-alpha-1"),
  };
  const stack = harness(crash, { keepHost: true, onHostStarted: (host) => hosts.push(host.pid!), onLog: (text) => logs.push(text) });
  try {
    await stack.up();
    desired.a = { label: "alpha", size: 5 };
    expect((await stack.up()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 1, delete: 0 });
    expect(hosts).toHaveLength(1);
    expect(callsSince(0).filter((c) => c === "configure")).toHaveLength(1);

    armed = true;
    desired.a = { label: "alpha", size: 6 };
    await expect(stack.up()).rejects.toThrow(EngineCrashedError);
    armed = false;
    expect((await stack.up()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 1, delete: 0 });
    expect(hosts).toHaveLength(2);
    expect(callsSince(0).filter((c) => c === "configure")).toHaveLength(2);
  } finally {
    await stack.close();
  }
  expect(logs.join("")).toContain("echo: updated echo-alpha-1");
});

test("refresh reads every resource, picks up drift and drops one that is gone", async () => {
  await harness().up();
  const remote = echoStore();
  remote.objects["echo-alpha-1"] = { ...remote.objects["echo-alpha-1"], revision: 7 };
  delete remote.objects["echo-beta-2"];
  fs.writeFileSync(storePath, JSON.stringify(remote));

  const before = remote.calls.length;
  const result = await harness().refresh();
  expect(result).toEqual({
    outputs: { labels: ["alpha", "beta"], firstId: "echo-alpha-1" },
    changes: { create: 0, update: 1, replace: 0, same: 0, delete: 1 },
  });
  expect(callsSince(before)).toEqual(["configure", "read echo-alpha-1", "read echo-beta-2"]);
  expect(state().resources.map((r) => [r.id, r.outputs.revision])).toEqual([["echo-alpha-1", 7]]);
  expect(events.filter((e) => e.op === "refresh-delete")).toEqual([{ urn: urnB, op: "refresh-delete", status: "done" }]);
});

test("destroy deletes in reverse creation order and empties the state", async () => {
  await harness().up();
  const before = echoStore().calls.length;
  const result = await harness().destroy();
  expect(result).toEqual({ outputs: {}, changes: { create: 0, update: 0, replace: 0, same: 0, delete: 2 } });
  expect(callsSince(before)).toEqual(["configure", "delete echo-beta-2", "delete echo-alpha-1"]);
  expect(state()).toEqual({ resources: [], outputs: {} });
  expect(echoStore().objects).toEqual({});
});

test("retainOnDelete: destroy and a dropped registration forget the object without calling the provider's delete", async () => {
  retained = new Set(["b"]);
  await harness().up();
  expect(state().resources.map((r) => [r.urn, r.retainOnDelete])).toEqual([
    [urnA, undefined],
    [urnB, true],
  ]);
  let before = echoStore().calls.length;
  expect((await harness().destroy()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 0, delete: 2 });
  expect(callsSince(before)).toEqual(["configure", "delete echo-alpha-1"]);
  expect(state().resources).toEqual([]);
  expect(Object.keys(echoStore().objects)).toEqual(["echo-beta-2"]);

  await harness().up();
  delete desired.b;
  before = echoStore().calls.length;
  expect((await harness().up()).changes).toMatchObject({ delete: 1 });
  expect(callsSince(before).filter((c) => c.startsWith("delete"))).toEqual([]);
  expect(events.filter((e) => e.op === "delete" && e.status === "done").pop()).toEqual({
    urn: urnB,
    op: "delete",
    status: "done",
    detail: "retained (retainOnDelete): not deleted",
  });
});

test("a create that fails after the object exists fails the step, naming the resource, and keeps it in state with its init errors", async () => {
  desired.b = { label: "beta", failAfterCreate: true };
  await expect(harness().up()).rejects.toThrow(`create of ${urnB} failed: echo echo-beta-2 exists but failed to initialise`);
  expect(state().resources.map((r) => [r.urn, r.id, r.outputs.initialised, r.initErrors])).toEqual([
    [urnA, "echo-alpha-1", undefined, undefined],
    [urnB, "echo-beta-2", false, ["initialisation failed on purpose"]],
  ]);
  expect(withoutProvider(state().resources[1].inputs)).toEqual({ label: "beta", failAfterCreate: true, size: 2, greeting: "hi" });
  expect(state().pendingOperations).toBeUndefined();
  expect(events.filter((e) => e.status === "failed")).toEqual([
    { urn: urnB, op: "create", status: "failed", detail: "echo echo-beta-2 exists but failed to initialise" },
  ]);
});

test("check failures fail the step with every property and reason", async () => {
  desired.a = { label: 42 };
  await expect(harness().up()).rejects.toThrow(`check of ${urnA} failed: label: label must be a string`);
  expect(state()).toEqual({ resources: [], outputs: {} });
});

/** What the fixture's diff answered, per call since `from`: the keys it found changed. */
function diffAnswersSince(from: number): string[][] {
  return echoStore()
    .calls.slice(from)
    .filter((c) => c.method === "diff")
    .map((c) => c.changed ?? []);
}

describe("init errors", () => {
  test("the next up updates an object with init errors although diff finds no change; success clears them, and the up after is a no-op", async () => {
    desired.b = { label: "beta", failAfterCreate: true };
    await expect(harness().up()).rejects.toThrow(`create of ${urnB} failed`);

    let before = echoStore().calls.length;
    expect((await harness().preview()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 1, delete: 0 });
    expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-1", "check", "diff echo-beta-2"]);

    before = echoStore().calls.length;
    expect((await harness().up()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 1, delete: 0 });
    expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-1", "check", "diff echo-beta-2", "update echo-beta-2"]);
    expect(diffAnswersSince(before)).toEqual([[], []]);
    const healed = state().resources[1];
    expect(healed.initErrors).toBeUndefined();
    expect(withoutProvider(healed.outputs)).toEqual({ label: "beta", failAfterCreate: true, size: 2, greeting: "hi", revision: 2 });

    before = echoStore().calls.length;
    expect((await harness().up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 2, delete: 0 });
    expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-1", "check", "diff echo-beta-2"]);
  });

  test("an update that fails with an id keeps the old inputs, the new outputs and the init errors; every up updates until one succeeds", async () => {
    await harness().up();
    desired.b = { label: "beta", zone: "z1", size: 9, failAfterUpdate: true };
    await expect(harness().up()).rejects.toThrow(`update of ${urnB} failed: echo echo-beta-2 was updated but failed to initialise`);
    let b = state().resources[1];
    expect(b.initErrors).toEqual(["update left it uninitialised on purpose"]);
    expect(withoutProvider(b.inputs)).toEqual({ label: "beta", zone: "z1", size: 2, greeting: "hi" });
    expect(withoutProvider(b.outputs)).toEqual({
      label: "beta",
      zone: "z1",
      size: 9,
      failAfterUpdate: true,
      greeting: "hi",
      revision: 2,
      initialised: false,
    });

    let before = echoStore().calls.length;
    await expect(harness().up()).rejects.toThrow(`update of ${urnB} failed`);
    expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-1", "check", "diff echo-beta-2", "update echo-beta-2"]);
    expect(diffAnswersSince(before)).toEqual([[], []]);
    b = state().resources[1];
    expect([b.initErrors, b.outputs.revision, b.inputs.size]).toEqual([["update left it uninitialised on purpose"], 3, 2]);

    desired.b = { label: "beta", zone: "z1", size: 9 };
    before = echoStore().calls.length;
    expect((await harness().up()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 1, delete: 0 });
    expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-1", "check", "diff echo-beta-2", "update echo-beta-2"]);
    b = state().resources[1];
    expect(b.initErrors).toBeUndefined();
    expect(withoutProvider(b.inputs)).toEqual({ label: "beta", zone: "z1", size: 9, greeting: "hi" });

    before = echoStore().calls.length;
    expect((await harness().up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 2, delete: 0 });
    expect(callsSince(before)).not.toContain("update echo-beta-2");
  });

  test("a diff that asks for replacement replaces an object with init errors instead of updating it", async () => {
    desired.b = { label: "beta", zone: "z1", failAfterCreate: true };
    await expect(harness().up()).rejects.toThrow(`create of ${urnB} failed`);
    desired.b = { label: "beta", zone: "z2" };
    const before = echoStore().calls.length;
    expect((await harness().up()).changes).toEqual({ create: 0, update: 0, replace: 1, same: 1, delete: 0 });
    expect(callsSince(before)).toEqual([
      "configure",
      "check",
      "diff echo-alpha-1",
      "check",
      "diff echo-beta-2",
      "create",
      "delete echo-beta-2",
    ]);
    expect(state().resources.map((r) => [r.id, r.initErrors])).toEqual([
      ["echo-alpha-1", undefined],
      ["echo-beta-3", undefined],
    ]);
  });

  test("refresh takes read's outputs and clears the init errors, so the next up is a no-op", async () => {
    desired.b = { label: "beta", failAfterCreate: true };
    await expect(harness().up()).rejects.toThrow(`create of ${urnB} failed`);
    expect((await harness().refresh()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 1, delete: 0 });
    const b = state().resources[1];
    expect(b.initErrors).toBeUndefined();
    expect(withoutProvider(b.outputs)).toEqual({ label: "beta", failAfterCreate: true, size: 2, greeting: "hi", revision: 1 });

    const before = echoStore().calls.length;
    expect((await harness().up()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 2, delete: 0 });
    expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-1", "check", "diff echo-beta-2"]);
  });
});

describe("a crash in the middle of an operation", () => {
  test("during a create: the object exists, the state records only a pending create, and the next up creates it again, warning", async () => {
    const crash: CrashPlan = {
      during: (operation) => operation.op === "create" && operation.urn === urnB,
      when: (host) => host.waitForOutput("echo: created echo-beta-2"),
    };
    const crashed = await harness(crash)
      .up()
      .catch((e: unknown) => e);
    expect(crashed).toBeInstanceOf(EngineCrashedError);
    expect((crashed as EngineCrashedError).operation).toEqual({ urn: urnB, op: "create" });
    expect(events.filter((e) => e.urn === urnB)).toEqual([{ urn: urnB, op: "create", status: "started" }]);

    const interrupted = state();
    expect(interrupted.resources.map((r) => r.id)).toEqual(["echo-alpha-1"]);
    expect(interrupted.pendingOperations).toEqual([
      {
        type: "creating",
        resource: { urn: urnB, type: TYPE, id: "", inputs: expect.objectContaining({ label: "beta", zone: "z1" }), outputs: {} },
      },
    ]);
    expect(Object.keys(echoStore().objects)).toEqual(["echo-alpha-1", "echo-beta-2"]);
    expect(warnings).toEqual([]);

    const before = echoStore().calls.length;
    expect((await harness().up()).changes).toEqual({ create: 1, update: 0, replace: 0, same: 1, delete: 0 });
    expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-1", "check", "create"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("Attempting to deploy or update resources with 1 pending operations from previous deployment.\n");
    expect(warnings[0]).toContain(`  * ${urnB}, interrupted while creating\n`);
    // The engine cannot know the first object exists: it is orphaned, and the pending create stays until a person clears it.
    expect(Object.keys(echoStore().objects)).toEqual(["echo-alpha-1", "echo-beta-2", "echo-beta-3"]);
    expect(state().resources.map((r) => r.id)).toEqual(["echo-alpha-1", "echo-beta-3"]);
    expect(state().pendingOperations).toEqual(interrupted.pendingOperations);

    await harness().refresh();
    expect(state().pendingOperations).toEqual(interrupted.pendingOperations);
  });

  test("during an update: the state keeps the old resource and a pending update, which the next up replaces with a fresh update", async () => {
    await harness().up();
    desired.a = { label: "alpha", size: 5 };
    const crash: CrashPlan = {
      during: (operation) => operation.op === "update",
      when: (host) => host.waitForOutput("echo: updated echo-alpha-1"),
    };
    await expect(harness(crash).up()).rejects.toThrow(`the engine crashed during update of ${urnA}`);
    const interrupted = state();
    expect(interrupted.resources.map((r) => [r.id, r.inputs.size, r.outputs.revision])).toEqual([
      ["echo-alpha-1", 2, 1],
      ["echo-beta-2", 2, 1],
    ]);
    expect(interrupted.pendingOperations?.map((op) => [op.type, op.resource.urn, op.resource.inputs.size])).toEqual([
      ["updating", urnA, 5],
    ]);
    expect(echoStore().objects["echo-alpha-1"]).toMatchObject({ size: 5, revision: 2 });

    const before = echoStore().calls.length;
    expect((await harness().up()).changes).toEqual({ create: 0, update: 1, replace: 0, same: 1, delete: 0 });
    expect(callsSince(before)).toEqual(["configure", "check", "diff echo-alpha-1", "update echo-alpha-1", "check", "diff echo-beta-2"]);
    expect(warnings.map((w) => w.split("\n")[1])).toEqual([`  * ${urnA}, interrupted while updating`]);
    expect(state().pendingOperations).toBeUndefined();
    expect(state().resources[0].outputs.revision).toBe(3);
  });

  test("during destroy: the resource stays in state with a pending delete, and the next destroy deletes it again", async () => {
    await harness().up();
    const crash: CrashPlan = {
      during: (operation) => operation.op === "delete",
      when: (host) => host.waitForOutput("echo: deleted echo-beta-2"),
    };
    await expect(harness(crash).destroy()).rejects.toThrow(`the engine crashed during delete of ${urnB}`);
    expect(state().resources.map((r) => r.id)).toEqual(["echo-alpha-1", "echo-beta-2"]);
    expect(state().pendingOperations?.map((op) => [op.type, op.resource.id])).toEqual([["deleting", "echo-beta-2"]]);

    const before = echoStore().calls.length;
    expect((await harness().destroy()).changes.delete).toBe(2);
    expect(callsSince(before)).toEqual(["configure", "delete echo-beta-2", "delete echo-alpha-1"]);
    expect(warnings.map((w) => w.split("\n")[1])).toEqual([`  * ${urnB}, interrupted while deleting`]);
    expect(state()).toEqual({ resources: [], outputs: {} });
  });
});
