/**
 * The engine harness's `parallel` option, which the fleet benchmark relies on: with the barrier
 * fixture, every create, read and delete answers only once three of its kind are in flight, so these
 * commands finish only if the harness really runs three resource steps at once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { engineHarness, type StackState, type StepEvent } from "../../harness";
import { makeProgramDir } from "../support/program-dir";

const barrierProviderDir = path.join(__dirname, "fixtures", "barrier-provider");

const { Barrier } = require(barrierProviderDir) as {
  Barrier: new (name: string, args: Record<string, unknown>) => pulumi.CustomResource;
};

const TYPE = "pulumi-nodejs:dynamic/barrier:Barrier";
const LABELS = ["a", "b", "c"];

let programDir: string;
let statePath: string;
let events: StepEvent[];

function stack(parallel: number) {
  return engineHarness({
    projectName: "bench",
    stackName: "parallel",
    program: async () => {
      for (const label of LABELS) new Barrier(label, { label });
    },
    config: {},
    statePath,
    workDir: programDir,
    env: { ...process.env, BARRIER_SIZE: String(LABELS.length) },
    parallel,
    onEvent: (event) => events.push(event),
  });
}

function state(): StackState {
  return JSON.parse(fs.readFileSync(statePath, "utf8")) as StackState;
}

function outputsWithoutProvider(resource: StackState["resources"][number]): Record<string, unknown> {
  const { __provider: _provider, ...rest } = resource.outputs;
  return rest;
}

beforeEach(() => {
  programDir = makeProgramDir({ "barrier-provider": barrierProviderDir });
  statePath = path.join(programDir, "state.json");
  events = [];
});

afterEach(() => {
  fs.rmSync(programDir, { recursive: true, force: true });
});

test("up, refresh and destroy run three steps at once when parallel is 3", async () => {
  const harness = stack(3);

  expect((await harness.up()).changes).toEqual({ create: 3, update: 0, replace: 0, same: 0, delete: 0 });
  // Registration order is kept in the state even though the creates overlapped.
  expect(state().resources.map((r) => [r.urn, r.id])).toEqual(
    LABELS.map((l) => [`urn:pulumi:parallel::bench::${TYPE}::${l}`, `barrier-${l}`]),
  );
  expect(state().resources.map(outputsWithoutProvider)).toEqual(LABELS.map((label) => ({ label, createdWith: 3 })));

  expect((await harness.refresh()).changes).toEqual({ create: 0, update: 3, replace: 0, same: 0, delete: 0 });
  expect(state().resources.map(outputsWithoutProvider)).toEqual(LABELS.map((label) => ({ label, createdWith: 3, readWith: 3 })));

  expect((await harness.destroy()).changes).toEqual({ create: 0, update: 0, replace: 0, same: 0, delete: 3 });
  expect(state().resources).toEqual([]);

  const done = events.filter((e) => e.status === "done").map((e) => e.op);
  expect(done.sort()).toEqual([...Array(3).fill("create"), ...Array(3).fill("delete"), ...Array(3).fill("read")]);
  // All three steps of a command start before any of them ends.
  for (const op of ["create", "read", "delete"]) {
    const ofOp = events.filter((e) => e.op === op).map((e) => e.status);
    expect(ofOp).toEqual(["started", "started", "started", "done", "done", "done"]);
  }
});

test("onHostStarted hands over each command's running host", async () => {
  const pids: (number | undefined)[] = [];
  const harness = engineHarness({
    projectName: "bench",
    stackName: "pids",
    program: async () => undefined,
    config: {},
    statePath,
    workDir: programDir,
    onHostStarted: (host) => pids.push(host.pid),
  });
  await harness.up();
  await harness.destroy();
  expect(pids).toHaveLength(2);
  expect(pids.every((pid) => typeof pid === "number" && pid > 0)).toBe(true);
  expect(pids[0]).not.toBe(pids[1]);
});
