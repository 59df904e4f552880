/**
 * The demo's engine stand-in against the real dynamic-provider host, with the echo fixture: each
 * test asserts the step's reported changes, the exact calls that reached the provider and the state file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { engineHarness, type StackState, type StepEvent } from "../../harness";
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
  calls: { method: string; id?: string }[];
}

let programDir: string;
let statePath: string;
let storePath: string;
let events: StepEvent[];
let desired: Record<string, Record<string, unknown>>;

function harness() {
  return engineHarness({
    projectName: "demo",
    stackName: "dev",
    config: { "echo:greeting": "hi", "demo:size": "2" },
    statePath,
    workDir: programDir,
    env: { ...process.env, ECHO_STORE: storePath },
    onEvent: (e) => events.push(e),
    program: async () => {
      const size = Number(new pulumi.Config().require("size"));
      const made = Object.entries(desired).map(([name, args]) => new Echo(name, { size, ...args }));
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
  programDir = makeProgramDir({ "echo-provider": echoProviderDir });
  statePath = path.join(programDir, "state", "dev.json");
  storePath = path.join(programDir, "echo-store.json");
  events = [];
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

test("a create that fails after the object exists fails the step, naming the resource, and keeps it in state", async () => {
  desired.b = { label: "beta", failAfterCreate: true };
  await expect(harness().up()).rejects.toThrow(`create of ${urnB} failed: echo echo-beta-2 exists but failed to initialise`);
  expect(state().resources.map((r) => [r.urn, r.id, r.outputs.initialised])).toEqual([
    [urnA, "echo-alpha-1", undefined],
    [urnB, "echo-beta-2", false],
  ]);
  expect(events.filter((e) => e.status === "failed")).toEqual([
    { urn: urnB, op: "create", status: "failed", detail: "echo echo-beta-2 exists but failed to initialise" },
  ]);
});

test("check failures fail the step with every property and reason", async () => {
  desired.a = { label: 42 };
  await expect(harness().up()).rejects.toThrow(`check of ${urnA} failed: label: label must be a string`);
  expect(state()).toEqual({ resources: [], outputs: {} });
});
