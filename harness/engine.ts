/**
 * A stand-in for the `pulumi` CLI, used by `npm run demo` only where no `pulumi` binary is on PATH.
 *
 * It plays the engine's part: it runs the Pulumi program in this process against a resource monitor
 * (a `MockMonitor` subclass installed the way `setMocks` installs one) that forwards every dynamic
 * resource to the real `@pulumi/pulumi/cmd/dynamic-provider` host over gRPC, in the engine's call
 * order, and keeps the stack state in a JSON file between commands. It does not plan like the Go
 * engine (no dependency graph beyond registration order, no aliases, no import): resource steps run
 * one at a time unless `parallel` allows more, and because the Pulumi runtime's settings are
 * process-global, only one command may run at a time.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import pLimit from "p-limit";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { HostCallError, startHost, type Host } from "./host-client";

/** What a step reports, per resource, as it goes. */
export interface StepEvent {
  urn: string;
  op: "create" | "update" | "replace" | "same" | "delete" | "read" | "refresh-delete";
  status: "started" | "done" | "failed";
  detail?: string;
}

/** The stack the harness operates on. */
export interface StackOptions {
  projectName: string;
  stackName: string;
  /** The Pulumi program; its resolved return value becomes the stack outputs. */
  program: () => Promise<Record<string, unknown> | void>;
  /** The whole stack config, keys fully qualified ("m365-backup:tenantId"). */
  config: Record<string, string>;
  /** Where the stack state JSON lives between commands. */
  statePath: string;
  /** The program directory, whose node_modules holds the packages the serialized providers require. */
  workDir: string;
  /** The provider host's environment; defaults to this process's environment. */
  env?: NodeJS.ProcessEnv;
  onEvent?: (event: StepEvent) => void;
  /** Receives what the provider host printed during a command (progress and warnings), as the CLI shows it. */
  onLog?: (text: string) => void;
  /**
   * How many resource steps may run at once, like `pulumi up --parallel`; default 1 (registration
   * order). Above 1, refresh and destroy also run that many at once, so they assume the resources
   * do not depend on each other.
   */
  parallel?: number;
  /** Called with each provider host once it runs (e.g. to sample its memory). */
  onHostStarted?: (host: Host) => void;
}

/** The outcome of one command. */
export interface StepResult {
  outputs: Record<string, unknown>;
  changes: { create: number; update: number; replace: number; same: number; delete: number };
}

/** One managed resource in the state file. */
export interface StateResource {
  urn: string;
  type: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/** The state file: managed resources in creation order, and the stack outputs. */
export interface StackState {
  resources: StateResource[];
  outputs: Record<string, unknown>;
}

type Changes = StepResult["changes"];
type Callback<T> = (err: unknown, response?: T) => void;

const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic";
const STACK_TYPE = "pulumi:pulumi:Stack";

/** The engine stand-in: preview, up, refresh and destroy for one stack. */
export function engineHarness(options: StackOptions): {
  preview(): Promise<StepResult>;
  up(): Promise<StepResult>;
  refresh(): Promise<StepResult>;
  destroy(): Promise<StepResult>;
} {
  return {
    preview: () => withHost(options, (host, state) => deploy(options, host, state, true)),
    up: () => withHost(options, (host, state) => deploy(options, host, state, false)),
    refresh: () => withHost(options, (host, state) => refresh(options, host, state)),
    destroy: () => withHost(options, (host, state) => destroy(options, host, state)),
  };
}

function noChanges(): Changes {
  return { create: 0, update: 0, replace: 0, same: 0, delete: 0 };
}

function loadState(statePath: string): StackState {
  if (!fs.existsSync(statePath)) return { resources: [], outputs: {} };
  return JSON.parse(fs.readFileSync(statePath, "utf8")) as StackState;
}

function saveState(statePath: string, state: StackState): void {
  fs.mkdirSync(path.dirname(statePath), { recursive: true });
  fs.writeFileSync(statePath, JSON.stringify(state, null, 2) + "\n");
}

/** Starts a host for one command (the engine starts the plugin per deployment) and always stops it. */
async function withHost(options: StackOptions, step: (host: Host, state: StackState) => Promise<StepResult>): Promise<StepResult> {
  const host = await startHost({ cwd: options.workDir, env: options.env });
  options.onHostStarted?.(host);
  try {
    await host.configure(options.config);
    return await step(host, loadState(options.statePath));
  } finally {
    await host.close();
    const printed = host.stderr();
    if (printed) options.onLog?.(printed);
  }
}

function stepError(urn: string, op: string, error: unknown): Error {
  const message = error instanceof HostCallError ? error.details : error instanceof Error ? error.message : String(error);
  return new Error(`${op} of ${urn} failed: ${message}`, { cause: error });
}

/** preview (dry run: check and diff only) or up: runs the program and converges the state to it. */
async function deploy(options: StackOptions, host: Host, state: StackState, dryRun: boolean): Promise<StepResult> {
  const deployment = new Deployment(options, host, state, dryRun);
  const monitor = new EngineMonitor(options, deployment);
  // setMocks installs a monitor and the feature flags the engine reports (secrets, resource references);
  // the installed monitor then forwards every RPC to the engine monitor.
  await pulumi.runtime.setMocks(monitor.mocks, options.projectName, options.stackName, dryRun);
  monitor.takeOver(pulumi.runtime.getMonitor() as unknown as MockMonitor);
  pulumi.runtime.setAllConfig(options.config);
  try {
    const run = (async () => {
      await pulumi.runtime.runInPulumiStack(async () => (await options.program()) ?? {});
      await pulumi.runtime.disconnect();
    })();
    // On a failed step the engine stops the program; here the failed registration is left unanswered
    // so no resource output rejects unobserved, and the step ends with the failure.
    run.catch(() => undefined);
    await Promise.race([run, deployment.failed]);
    await deployment.deleteUnregistered();
    state.outputs = monitor.stackOutputs;
    return { outputs: monitor.stackOutputs, changes: deployment.changes };
  } finally {
    if (!dryRun) saveState(options.statePath, state);
  }
}

/** The per-resource steps of one preview or up, mutating `state` as each step lands. */
class Deployment {
  readonly changes = noChanges();
  /** Rejects with the first failed step. */
  readonly failed: Promise<never>;
  private failure: Error | undefined;
  private rejectFailed!: (error: Error) => void;
  private readonly registered = new Set<string>();

  constructor(
    private readonly options: StackOptions,
    private readonly host: Host,
    private readonly state: StackState,
    private readonly dryRun: boolean,
  ) {
    this.failed = new Promise<never>((_, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => undefined);
  }

  /** True once a step failed: the deployment stops taking registrations. */
  get stopped(): boolean {
    return this.failure !== undefined;
  }

  private emit(urn: string, op: StepEvent["op"], status: StepEvent["status"], detail?: string): void {
    this.options.onEvent?.({ urn, op, status, ...(detail === undefined ? {} : { detail }) });
  }

  private put(entry: StateResource): void {
    const index = this.state.resources.findIndex((r) => r.urn === entry.urn);
    if (index < 0) this.state.resources.push(entry);
    else this.state.resources[index] = entry;
  }

  /** check, then diff against the old outputs, then create, update, replace or nothing; returns id and outputs. */
  async register(urn: string, type: string, news: Record<string, unknown>): Promise<{ id: string; outputs: Record<string, unknown> }> {
    this.registered.add(urn);
    const old = this.state.resources.find((r) => r.urn === urn);
    const checked = await this.host.check(urn, old?.inputs ?? {}, news).catch((e: unknown) => this.fail(urn, "check", e));
    if (checked.failures.length > 0) {
      const reasons = checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      this.fail(urn, "check", new Error(reasons));
    }
    const inputs = checked.inputs;
    if (!old) return this.create(urn, type, inputs);

    const diff = await this.host.diff(old.id, urn, old.outputs, inputs, old.inputs).catch((e: unknown) => this.fail(urn, "diff", e));
    if (diff.replaces.length > 0) return this.replace(old, inputs, diff.deleteBeforeReplace);
    // DIFF_UNKNOWN means the provider had no opinion: the engine then compares the inputs itself.
    const same = diff.changes === "NONE" || (diff.changes === "UNKNOWN" && isDeepStrictEqual(old.inputs, inputs));
    if (same) {
      this.changes.same++;
      this.emit(urn, "same", "done");
      return { id: old.id, outputs: old.outputs };
    }
    return this.update(old, inputs);
  }

  private async create(urn: string, type: string, inputs: Record<string, unknown>, op: "create" | "replace" = "create") {
    this.emit(urn, op, "started");
    if (this.dryRun) {
      if (op === "create") this.changes.create++;
      this.emit(urn, op, "done");
      return { id: "", outputs: inputs };
    }
    try {
      const created = await this.host.create(urn, inputs);
      this.put({ urn, type, id: created.id, inputs, outputs: created.properties });
      if (op === "create") this.changes.create++;
      this.emit(urn, op, "done");
      return { id: created.id, outputs: created.properties };
    } catch (error) {
      // The object exists but failed to initialise: keep it in state, as the engine does, so it is not orphaned.
      if (error instanceof HostCallError && error.initFailure) {
        this.put({ urn, type, id: error.initFailure.id, inputs, outputs: error.initFailure.properties });
      }
      this.emit(urn, op, "failed", error instanceof HostCallError ? error.details : String(error));
      return this.fail(urn, op, error);
    }
  }

  private async update(old: StateResource, inputs: Record<string, unknown>) {
    this.emit(old.urn, "update", "started");
    this.changes.update++;
    if (this.dryRun) {
      this.emit(old.urn, "update", "done");
      return { id: old.id, outputs: inputs };
    }
    try {
      const updated = await this.host.update(old.id, old.urn, old.outputs, inputs, old.inputs);
      this.put({ ...old, inputs, outputs: updated.properties });
      this.emit(old.urn, "update", "done");
      return { id: old.id, outputs: updated.properties };
    } catch (error) {
      if (error instanceof HostCallError && error.initFailure) {
        this.put({ ...old, inputs, outputs: error.initFailure.properties });
      }
      this.emit(old.urn, "update", "failed", error instanceof HostCallError ? error.details : String(error));
      return this.fail(old.urn, "update", error);
    }
  }

  /** Create-before-delete unless the provider asked for deleteBeforeReplace. */
  private async replace(old: StateResource, inputs: Record<string, unknown>, deleteFirst: boolean) {
    this.changes.replace++;
    if (this.dryRun) return this.create(old.urn, old.type, inputs, "replace");
    if (deleteFirst) await this.remove(old, "replace");
    const created = await this.create(old.urn, old.type, inputs, "replace");
    if (!deleteFirst) await this.deleteObject(old, "replace");
    return created;
  }

  /** Deletes, in reverse creation order, every resource in state that the program no longer registers. */
  async deleteUnregistered(): Promise<void> {
    const gone = this.state.resources.filter((r) => !this.registered.has(r.urn)).reverse();
    for (const resource of gone) {
      this.changes.delete++;
      if (this.dryRun) this.emit(resource.urn, "delete", "done");
      else await this.remove(resource, "delete");
    }
  }

  private async remove(resource: StateResource, op: "delete" | "replace"): Promise<void> {
    await this.deleteObject(resource, op);
    this.state.resources = this.state.resources.filter((r) => r !== resource);
  }

  private async deleteObject(resource: StateResource, op: "delete" | "replace"): Promise<void> {
    if (op === "delete") this.emit(resource.urn, "delete", "started");
    await this.host
      .delete(resource.id, resource.urn, resource.outputs, resource.inputs)
      .catch((e: unknown) => this.fail(resource.urn, "delete", e));
    if (op === "delete") this.emit(resource.urn, "delete", "done");
  }

  /** `Resource.get`: the engine reads the object and fails the program when it does not exist. */
  async read(urn: string, id: string, properties: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.emit(urn, "read", "started");
    const read = await this.host.read(id, urn, properties).catch((e: unknown) => this.fail(urn, "read", e));
    if (read.id === "") this.fail(urn, "read", new Error(`resource '${id}' does not exist`));
    this.emit(urn, "read", "done");
    return read.properties;
  }

  /** Records the first failure, which ends the step, and throws it. */
  fail(urn: string, op: string, error: unknown): never {
    const failure = stepError(urn, op, error);
    if (!this.failure) {
      this.failure = failure;
      this.rejectFailed(failure);
    }
    throw failure;
  }
}

/** The resource monitor the program talks to: registrations become host calls, `parallel` at a time, in order. */
class EngineMonitor extends MockMonitor {
  stackOutputs: Record<string, unknown> = {};
  // By default one resource at a time (like `pulumi up --parallel 1`), so the provider sees a deterministic order.
  private readonly limit: pLimit.Limit;

  constructor(
    private readonly options: StackOptions,
    private readonly deployment: Deployment,
  ) {
    super({ call: () => ({}), newResource: () => ({ id: undefined, state: {} }) });
    this.limit = pLimit(options.parallel ?? 1);
  }

  /** Makes the monitor `setMocks` installed answer every RPC with this one's methods. */
  takeOver(installed: MockMonitor): void {
    const rpcs = ["registerResource", "readResource", "registerResourceOutputs", "invoke", "supportsFeature", "registerPackage"] as const;
    for (const rpc of rpcs) Object.assign(installed, { [rpc]: (this[rpc] as (...args: unknown[]) => unknown).bind(this) });
  }

  /** Runs one resource step once a slot is free, in arrival order; after a failure, requests stay unanswered. */
  private enqueue<T>(step: () => Promise<T>, callback: Callback<T>): void {
    void this.limit(async () => {
      if (this.deployment.stopped) return;
      try {
        callback(null, await step());
      } catch (error) {
        if (!this.deployment.stopped) callback(error);
      }
    });
  }

  private urnOf(parent: string, type: string, name: string): string {
    // Children carry their parent's type chain, as the engine builds URNs; the root stack adds nothing.
    const parentType = parent ? parent.split("::")[2] : STACK_TYPE;
    const qualifiedType = parentType === STACK_TYPE ? type : `${parentType}$${type}`;
    return `urn:pulumi:${this.options.stackName}::${this.options.projectName}::${qualifiedType}::${name}`;
  }

  override async registerResource(req: resourceProto.RegisterResourceRequest, callback: Callback<resourceProto.RegisterResourceResponse>) {
    this.enqueue(async () => {
      const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
      const inputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      let id = "";
      let outputs = inputs;
      if (req.getCustom()) {
        if (!req.getType().startsWith(DYNAMIC_TYPE_PREFIX)) {
          this.deployment.fail(urn, "register", new Error(`the harness runs only dynamic resources, not ${req.getType()}`));
        }
        ({ id, outputs } = await this.deployment.register(urn, req.getType(), inputs));
      }
      this.resources.set(urn, { urn, id, state: outputs });
      const response = new resourceProto.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(id);
      response.setObject(Struct.fromJavaScript(outputs as never));
      return response;
    }, callback);
  }

  override async readResource(req: resourceProto.ReadResourceRequest, callback: Callback<resourceProto.ReadResourceResponse>) {
    this.enqueue(async () => {
      const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
      const properties = (req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const outputs = await this.deployment.read(urn, req.getId(), properties);
      this.resources.set(urn, { urn, id: req.getId(), state: outputs });
      const response = new resourceProto.ReadResourceResponse();
      response.setUrn(urn);
      response.setProperties(Struct.fromJavaScript(outputs as never));
      return response;
    }, callback);
  }

  override registerResourceOutputs(req: resourceProto.RegisterResourceOutputsRequest, callback: Callback<unknown>) {
    if (req.getUrn().split("::")[2] === STACK_TYPE) {
      this.stackOutputs = (req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
    }
    callback(null, {});
  }
}

/** refresh: reads every resource; one the provider reports gone leaves the state. */
async function refresh(options: StackOptions, host: Host, state: StackState): Promise<StepResult> {
  const changes = noChanges();
  try {
    await forEachResource(options, [...state.resources], async (resource) => {
      options.onEvent?.({ urn: resource.urn, op: "read", status: "started" });
      const read = await host.read(resource.id, resource.urn, resource.outputs, resource.inputs).catch((e: unknown) => {
        throw stepError(resource.urn, "read", e);
      });
      if (read.id === "") {
        state.resources = state.resources.filter((r) => r !== resource);
        changes.delete++;
        options.onEvent?.({ urn: resource.urn, op: "refresh-delete", status: "done" });
        return;
      }
      const changed = !isDeepStrictEqual(read.properties, resource.outputs);
      if (changed) changes.update++;
      else changes.same++;
      Object.assign(resource, { id: read.id, outputs: read.properties, inputs: read.inputs ?? resource.inputs });
      options.onEvent?.({ urn: resource.urn, op: "read", status: "done" });
    });
    return { outputs: state.outputs, changes };
  } finally {
    saveState(options.statePath, state);
  }
}

/** destroy: deletes every resource in reverse creation order. */
async function destroy(options: StackOptions, host: Host, state: StackState): Promise<StepResult> {
  const changes = noChanges();
  try {
    await forEachResource(options, [...state.resources].reverse(), async (resource) => {
      options.onEvent?.({ urn: resource.urn, op: "delete", status: "started" });
      await host.delete(resource.id, resource.urn, resource.outputs, resource.inputs).catch((e: unknown) => {
        options.onEvent?.({
          urn: resource.urn,
          op: "delete",
          status: "failed",
          detail: e instanceof HostCallError ? e.details : String(e),
        });
        throw stepError(resource.urn, "delete", e);
      });
      state.resources = state.resources.filter((r) => r !== resource);
      changes.delete++;
      options.onEvent?.({ urn: resource.urn, op: "delete", status: "done" });
    });
    state.outputs = {};
    return { outputs: {}, changes };
  } finally {
    saveState(options.statePath, state);
  }
}

/**
 * Runs `step` for each resource in order, `parallel` at a time. After the first failure no further
 * step starts; the ones already running finish (so the state stays true) before that failure is thrown.
 */
async function forEachResource(
  options: StackOptions,
  resources: StateResource[],
  step: (resource: StateResource) => Promise<void>,
): Promise<void> {
  const limit = pLimit(options.parallel ?? 1);
  let failure: { error: unknown } | undefined;
  await Promise.all(
    resources.map((resource) =>
      limit(async () => {
        if (failure) return;
        try {
          await step(resource);
        } catch (error) {
          failure ??= { error };
        }
      }),
    ),
  );
  if (failure) throw failure.error;
}
