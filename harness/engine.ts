/**
 * A stand-in for the `pulumi` CLI's engine: `npm run demo` uses it where no `pulumi` binary is on
 * PATH, and the tests and benchmarks use it to drive the package as the CLI would.
 *
 * It runs the Pulumi program in this process against a resource monitor (a `MockMonitor` subclass
 * installed the way `setMocks` installs one) that forwards every dynamic resource to the real
 * `@pulumi/pulumi/cmd/dynamic-provider` host over gRPC, in the engine's call order, and keeps the
 * stack state in a JSON file, checkpointed around every provider operation as the CLI's snapshot
 * manager does. Where the Go engine's behaviour is inconvenient it is copied anyway, with the source
 * cited (github.com/pulumi/pulumi, read at 1b59498): init errors force updates, refresh clears them,
 * an interrupted command leaves pending operations, a replaced object stays in the state marked for
 * deletion until a delete at the end of an `up` succeeds, policy packs analyze inputs before each
 * step and outputs at the end (a dynamic provider has no preview, so a previewed update's outputs are
 * its inputs). It does not plan like the Go engine (no dependency graph beyond registration order, no
 * aliases, no import); resource steps run one at a time unless `parallel` allows more, and because
 * the Pulumi runtime's settings are process-global, only one command may run at a time.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import pLimit from "p-limit";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { HostCallError, revealSecrets, startHost, type DiffResult, type Host } from "./host-client";
import type { AnalyzedProvider, AnalyzedResource, PolicyPackHost, PolicyViolation } from "./policy-host";

/** What a step reports, per resource, as it goes. */
export interface StepEvent {
  urn: string;
  op: "create" | "update" | "replace" | "same" | "delete" | "read" | "refresh-delete";
  status: "started" | "done" | "failed";
  detail?: string;
}

/** A provider operation under way: what a {@link CrashPlan} chooses from. */
export interface InFlightOperation {
  urn: string;
  op: "create" | "update" | "delete" | "read";
}

/**
 * Kills the provider host in the middle of one operation, to rehearse the `pulumi` process dying
 * with its plugin (a killed CI runner, a lost machine). The command then ends as a crashed engine
 * does: it writes nothing more, so the state file keeps the last checkpoint, which records the
 * operation as pending, and the command rejects with {@link EngineCrashedError}.
 */
export interface CrashPlan {
  /** Picks the operation to crash in; the first one for which it returns true. */
  during: (operation: InFlightOperation) => boolean;
  /**
   * Resolves when the host should die, once the operation's request is sent (by default at once,
   * so whether the provider acted is unknown). If the provider answers first, the host dies before
   * the engine records the answer.
   */
  when?: (host: Host) => Promise<unknown>;
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
  /** Receives the engine's own warnings (operations left pending by an interrupted command), as the CLI prints them. */
  onWarning?: (message: string) => void;
  /**
   * How many resource steps may run at once, like `pulumi up --parallel`; default 1 (registration
   * order). Above 1, refresh and destroy also run that many at once, so they assume the resources
   * do not depend on each other.
   */
  parallel?: number;
  /** Called with each provider host once it runs (e.g. to sample its memory). */
  onHostStarted?: (host: Host) => void;
  /** Kills the provider host during one operation, once per command (see {@link CrashPlan}). */
  crash?: CrashPlan;
  /**
   * Policy packs that preview and up run, as `--policy-pack` makes the CLI run them: ConfigureStack
   * first, Analyze with each resource's checked inputs before its step (a mandatory violation stops an
   * up there), AnalyzeStack with every resource's outputs at the end. No remediations are applied.
   */
  policyPacks?: PolicyPackHost[];
  /** The stack's tags (`pulumi stack tag set`), which the engine sends policy packs. */
  stackTags?: Record<string, string>;
  /**
   * Keeps one provider host for the harness's consecutive commands, where the CLI starts one per
   * command, to save its start (about 0.4 s) in long randomised runs. `configure` is still sent every
   * command, but the host configures each provider once per process, so per-process state (the Graph
   * client, its token, caches) carries over between commands; a host killed by a crash plan is
   * replaced at the next command. Call `close()` when done. Default false.
   */
  keepHost?: boolean;
}

/** The outcome of one command. */
export interface StepResult {
  outputs: Record<string, unknown>;
  changes: { create: number; update: number; replace: number; same: number; delete: number };
  /** With policy packs: every violation they reported (advisory ones; a mandatory one fails the command). */
  policyViolations?: PolicyViolation[];
}

/** One managed resource in the state file. */
export interface StateResource {
  urn: string;
  type: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /**
   * Why the object, which exists, failed to initialise (the provider threw an error carrying `id`:
   * ErrorResourceInitFailed); absent when it is healthy. While set, every `up` updates the resource.
   */
  initErrors?: string[];
  /** Registered with `retainOnDelete`: the engine forgets it on delete and never calls the provider (step.go, DeleteStep.Apply). */
  retainOnDelete?: true;
  /**
   * Replaced, and waiting to be deleted (the snapshot's `delete` flag): its replacement's create marks
   * it (step.go, CreateStep.Apply), and every `up` deletes it at its end, after the program's steps,
   * until a delete succeeds (step_generator.go, GenerateDeletes). It never stands for its URN in diffs
   * (deployment.go, olds skips it), so a URN may have two entries: this one and its replacement.
   */
  delete?: true;
}

/** An operation a command began and never saw end, as the CLI's checkpoint records it. */
export interface PendingOperation {
  type: "creating" | "updating" | "deleting";
  /** The resource as the operation began: for a create, the new inputs and no id yet. */
  resource: StateResource;
}

/** The state file: managed resources in creation order, the stack outputs, and any interrupted operations. */
export interface StackState {
  resources: StateResource[];
  outputs: Record<string, unknown>;
  pendingOperations?: PendingOperation[];
}

/** The provider host died during an operation (see {@link CrashPlan}); its outcome is unknown. */
export class EngineCrashedError extends Error {
  override readonly name = "EngineCrashedError";
  constructor(readonly operation: InFlightOperation) {
    super(
      `the engine crashed during ${operation.op} of ${operation.urn}: the provider host was killed, so the operation's outcome is unknown`,
    );
  }
}

/**
 * A policy pack reported a mandatory violation: up stops at the resource ("resource ... is invalid",
 * step_generator.go), preview and stack policies fail the command once it has run through.
 */
export class PolicyViolationError extends Error {
  override readonly name = "PolicyViolationError";
  constructor(
    /** Every violation reported in the command, advisory ones included. */
    readonly violations: PolicyViolation[],
    urn?: string,
  ) {
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    const lines = mandatory.map((v) => `  [${v.policyName}] ${v.message}${v.urn ? ` (${v.urn})` : ""}`).join("\n");
    super(`${urn ? `resource ${urn} is invalid` : "the deployment failed"}: mandatory policy violations:\n${lines}`);
  }
}

type Changes = StepResult["changes"];
type Callback<T> = (err: unknown, response?: T) => void;

const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic";
const STACK_TYPE = "pulumi:pulumi:Stack";

/** The engine stand-in: preview, up, refresh and destroy for one stack; `close()` stops a kept host. */
export function engineHarness(options: StackOptions): {
  preview(): Promise<StepResult>;
  up(): Promise<StepResult>;
  refresh(): Promise<StepResult>;
  destroy(): Promise<StepResult>;
  close(): Promise<void>;
} {
  const hosts = new Hosts(options);
  return {
    preview: () => withCommand(options, hosts, false, (command) => deploy(command, true)),
    up: () => withCommand(options, hosts, true, (command) => deploy(command, false)),
    refresh: () => withCommand(options, hosts, true, refresh),
    destroy: () => withCommand(options, hosts, true, destroy),
    close: () => hosts.close(),
  };
}

function noChanges(): Changes {
  return { create: 0, update: 0, replace: 0, same: 0, delete: 0 };
}

function loadState(statePath: string): StackState {
  if (!fs.existsSync(statePath)) return { resources: [], outputs: {} };
  return JSON.parse(fs.readFileSync(statePath, "utf8")) as StackState;
}

/**
 * The provider hosts of one harness: a new one per command, as the engine starts the plugin per
 * deployment, unless `keepHost` keeps a healthy one for the next command.
 */
class Hosts {
  private kept: Host | undefined;
  /** How much of the kept host's output has been handed to `onLog` already. */
  private printed = 0;

  constructor(private readonly options: StackOptions) {}

  /** A configured host for the next command: the kept one if it still answers, else a new one. */
  async acquire(): Promise<Host> {
    const kept = this.kept;
    if (kept) {
      try {
        await kept.configure(this.options.config);
        return kept;
      } catch {
        await this.close();
      }
    }
    const host = await startHost({ cwd: this.options.workDir, env: this.options.env });
    this.printed = 0;
    this.options.onHostStarted?.(host);
    try {
      await host.configure(this.options.config);
    } catch (error) {
      await host.close();
      throw error;
    }
    return host;
  }

  /** Ends a command's use of its host: stops it (or keeps it, when allowed and it is healthy) and shows what it printed. */
  async release(host: Host, healthy: boolean): Promise<void> {
    if (this.options.keepHost && healthy) {
      this.kept = host;
      this.show(host);
      return;
    }
    this.kept = undefined;
    await host.close();
    this.show(host);
  }

  async close(): Promise<void> {
    const host = this.kept;
    this.kept = undefined;
    if (!host) return;
    await host.close();
    this.show(host);
  }

  private show(host: Host): void {
    const printed = host.stderr().slice(this.printed);
    this.printed += printed.length;
    if (printed) this.options.onLog?.(printed);
  }
}

/** Runs one command on a provider host, and always releases the host. */
async function withCommand(
  options: StackOptions,
  hosts: Hosts,
  writes: boolean,
  run: (command: Command) => Promise<StepResult>,
): Promise<StepResult> {
  const host = await hosts.acquire();
  const command = new Command(options, host, loadState(options.statePath), writes);
  try {
    return await run(command);
  } finally {
    await command.checkpoint();
    // A failed step leaves the host as it was; a crash plan killed it.
    await hosts.release(host, !command.hasCrashed);
  }
}

function describeError(error: unknown): string {
  return error instanceof HostCallError ? error.details : error instanceof Error ? error.message : String(error);
}

function stepError(urn: string, op: string, error: unknown): Error {
  if (error instanceof EngineCrashedError || error instanceof PolicyViolationError) return error;
  return new Error(`${op} of ${urn} failed: ${describeError(error)}`, { cause: error });
}

/**
 * One command's host, state and checkpoints. Like the CLI's snapshot manager (pkg/backend/snapshot.go,
 * `doCreate`/`doUpdate`/`doDelete` and their `End`), it records an operation as pending and writes the
 * checkpoint before the provider is called, and writes the outcome with the operation cleared after.
 */
class Command {
  /** Operations of this command under way, in the order they began. */
  private readonly pending = new Set<PendingOperation>();
  /**
   * Pending creates of the command before: `Snap` carries them into every new checkpoint, "because these
   * must require user intervention" (pkg/backend/snapshot.go); other pending operations are dropped.
   */
  private readonly carried: PendingOperation[];
  private crashed: EngineCrashedError | undefined;
  private writes: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    readonly options: StackOptions,
    readonly host: Host,
    readonly state: StackState,
    /** False for preview, which never writes. */
    private readonly persist: boolean,
  ) {
    this.carried = (state.pendingOperations ?? []).filter((op) => op.type === "creating");
  }

  /** True once the host was killed: a crashed engine reports nothing more. */
  get hasCrashed(): boolean {
    return this.crashed !== undefined;
  }

  /**
   * up and destroy warn about what the command before left pending; refresh does not, and preview
   * never does (pkg/resource/deploy/deployment_executor.go, `Execute` and `printPendingOperationsWarning`).
   */
  warnAboutPendingOperations(): void {
    const ops = this.state.pendingOperations ?? [];
    if (ops.length === 0) return;
    this.options.onWarning?.(
      `Attempting to deploy or update resources with ${ops.length} pending operations from previous deployment.\n` +
        ops.map((op) => `  * ${op.resource.urn}, interrupted while ${op.type}\n`).join("") +
        "These resources are in an unknown state because the Pulumi CLI was interrupted while waiting for changes to these " +
        "resources to complete. You should confirm whether or not the operations listed completed successfully by checking " +
        "the state of the appropriate provider.\n\nOnce you have confirmed the status of the interrupted operations, you can " +
        "repair your stack using `pulumi refresh` which will refresh the state from the provider you are using and clear the " +
        "pending operations if there are any.\n\nNote that `pulumi refresh` will need to be run interactively to clear pending " +
        "CREATE operations.",
    );
  }

  /**
   * Runs one provider operation: records it as pending (when `pending` is given) and checkpoints, sends
   * it, then lands its outcome in the state and checkpoints again. A {@link CrashPlan} may kill the host
   * first, after which nothing is landed or written.
   */
  async operate<T>(
    operation: InFlightOperation,
    pending: PendingOperation | undefined,
    send: (host: Host) => Promise<T>,
    land: { done: (result: T) => void; failed?: (error: unknown) => void },
  ): Promise<T> {
    if (this.crashed) throw this.crashed;
    if (pending) {
      this.pending.add(pending);
      await this.checkpoint();
      if (this.crashed) throw this.crashed;
    }
    const call = send(this.host);
    if (this.options.crash && !this.crashed && this.options.crash.during(operation)) {
      const settled = call.then(
        () => undefined,
        () => undefined,
      );
      await Promise.race([this.options.crash.when?.(this.host) ?? Promise.resolve(), settled]);
      this.crashed = new EngineCrashedError(operation);
      await this.host.kill();
      throw this.crashed;
    }
    let result: T;
    try {
      result = await call;
    } catch (error) {
      if (this.crashed) throw this.crashed;
      land.failed?.(error);
      if (pending) this.pending.delete(pending);
      await this.checkpoint();
      throw error;
    }
    if (this.crashed) throw this.crashed;
    land.done(result);
    if (pending) this.pending.delete(pending);
    await this.checkpoint();
    return result;
  }

  /**
   * Writes the state file once every mutation made so far is in it. Writes are serialized and
   * coalesced (a write covers every mutation made before it starts) and atomic (rename), and stop
   * for good once the engine has crashed.
   */
  checkpoint(): Promise<void> {
    if (!this.persist || this.crashed) return this.writes;
    this.dirty = true;
    this.writes = this.writes.then(async () => {
      if (!this.dirty || this.crashed) return;
      this.dirty = false;
      const text = JSON.stringify(this.snapshot(), null, 2) + "\n";
      const statePath = this.options.statePath;
      const temporary = `${statePath}.${process.pid}.tmp`;
      await fs.promises.mkdir(path.dirname(statePath), { recursive: true });
      await fs.promises.writeFile(temporary, text);
      await fs.promises.rename(temporary, statePath);
    });
    return this.writes;
  }

  private snapshot(): StackState {
    const pendingOperations = [...this.pending, ...this.carried];
    return {
      resources: this.state.resources,
      outputs: this.state.outputs,
      ...(pendingOperations.length > 0 ? { pendingOperations } : {}),
    };
  }
}

/** preview (dry run: check and diff only) or up: runs the program and converges the state to it. */
async function deploy(command: Command, dryRun: boolean): Promise<StepResult> {
  const { options } = command;
  if (!dryRun) command.warnAboutPendingOperations();
  const deployment = new Deployment(command, dryRun);
  const monitor = new EngineMonitor(options, deployment);
  for (const pack of options.policyPacks ?? []) {
    await pack.configureStack({
      stack: options.stackName,
      project: options.projectName,
      dryRun,
      config: options.config,
      ...(options.stackTags ? { tags: options.stackTags } : {}),
    });
  }
  // setMocks installs a monitor and the feature flags the engine reports (secrets, resource references);
  // the installed monitor then forwards every RPC to the engine monitor.
  await pulumi.runtime.setMocks(monitor.mocks, options.projectName, options.stackName, dryRun);
  monitor.takeOver(pulumi.runtime.getMonitor() as unknown as MockMonitor);
  pulumi.runtime.setAllConfig(options.config);
  const run = (async () => {
    await pulumi.runtime.runInPulumiStack(async () => (await options.program()) ?? {});
    await pulumi.runtime.disconnect();
  })();
  // On a failed step the engine stops the program; here the failed registration is left unanswered
  // so no resource output rejects unobserved, and the step ends with the failure.
  run.catch(() => undefined);
  await Promise.race([run, deployment.failed]);
  await deployment.deleteUnregistered();
  if (!dryRun) command.state.outputs = monitor.stackOutputs;
  if (!options.policyPacks) return { outputs: monitor.stackOutputs, changes: deployment.changes };
  const violations = await deployment.analyzeStack();
  if (violations.some((v) => v.enforcementLevel === "mandatory")) throw new PolicyViolationError(violations);
  return { outputs: monitor.stackOutputs, changes: deployment.changes, policyViolations: violations };
}

/** The default provider of dynamic resources as a pack sees it: its inputs are the whole stack config (deploy/target.go). */
function defaultDynamicProvider(options: StackOptions): AnalyzedProvider {
  const type = "pulumi:providers:pulumi-nodejs";
  return {
    urn: `urn:pulumi:${options.stackName}::${options.projectName}::${type}::default`,
    type,
    name: "default",
    properties: options.config,
  };
}

/** Whether a diff asks for a new object: replace keys, or a replace kind in the detailed diff (`DiffResult.Replace`, pkg/resource/plugin/provider.go). */
function asksForReplacement(diff: DiffResult): boolean {
  return diff.replaces.length > 0 || Object.values(diff.detailedDiff ?? {}).some((d) => d.kind.endsWith("_REPLACE"));
}

/** The per-resource steps of one preview or up, mutating the command's state as each step lands. */
class Deployment {
  readonly changes = noChanges();
  /** Rejects with the first failed step. */
  readonly failed: Promise<never>;
  private failure: Error | undefined;
  private rejectFailed!: (error: Error) => void;
  private readonly registered = new Set<string>();
  /** The resources of the new state, with their outputs as this command computed them (AnalyzeStack's input). */
  private readonly news = new Map<string, { type: string; outputs: Record<string, unknown> }>();
  /** What the policy packs reported so far. */
  private readonly violations: PolicyViolation[] = [];
  /** URNs the program registered with `retainOnDelete`. */
  private readonly retained = new Set<string>();
  /** Objects this command replaced, now marked for deletion (their deletes count as part of the replace). */
  private readonly replacedNow = new Set<StateResource>();
  private readonly state: StackState;

  constructor(
    private readonly command: Command,
    private readonly dryRun: boolean,
  ) {
    this.state = command.state;
    this.failed = new Promise<never>((_, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => undefined);
  }

  /** True once a step failed: the deployment stops taking registrations. */
  get stopped(): boolean {
    return this.failure !== undefined;
  }

  private emit(urn: string, op: StepEvent["op"], status: StepEvent["status"], detail?: string): void {
    if (this.command.hasCrashed) return;
    this.command.options.onEvent?.({ urn, op, status, ...(detail === undefined ? {} : { detail }) });
  }

  private put(entry: StateResource): void {
    const { retainOnDelete: _previous, ...rest } = entry;
    entry = this.retained.has(entry.urn) ? { ...rest, retainOnDelete: true } : rest;
    const index = this.state.resources.findIndex((r) => r.urn === entry.urn && !r.delete);
    if (index < 0) this.state.resources.push(entry);
    else this.state.resources[index] = entry;
  }

  /**
   * Keeps a replaced object in the state, marked for deletion, just before its replacement: the
   * replacement's create marks it even when that create only partly succeeded (step.go, CreateStep.Apply).
   */
  private markForDeletion(old: StateResource): void {
    const index = this.state.resources.findIndex((r) => r.urn === old.urn && !r.delete);
    const marked: StateResource = { ...old, delete: true };
    this.state.resources.splice(Math.max(index, 0), 0, marked);
    this.replacedNow.add(marked);
  }

  /** check, then the policy packs' Analyze, then the step (see `step`); returns id and outputs. */
  async register(
    urn: string,
    type: string,
    news: Record<string, unknown>,
    retainOnDelete = false,
  ): Promise<{ id: string; outputs: Record<string, unknown> }> {
    this.registered.add(urn);
    if (retainOnDelete) this.retained.add(urn);
    const host = this.command.host;
    const old = this.state.resources.find((r) => r.urn === urn && !r.delete);
    const checked = await host.check(urn, old?.inputs ?? {}, news).catch((e: unknown) => this.fail(urn, "check", e));
    if (checked.failures.length > 0) {
      const reasons = checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      this.fail(urn, "check", new Error(reasons));
    }
    const inputs = checked.inputs;
    await this.analyze(urn, type, inputs);
    const result = await this.step(urn, type, old, inputs);
    this.news.set(urn, { type, outputs: result.outputs });
    return result;
  }

  /** The pack's view of a resource: URN, type, name, properties and its (default) provider. */
  private analyzed(urn: string, type: string, properties: Record<string, unknown>): AnalyzedResource {
    return { urn, type, name: urn.split("::")[3] ?? "", properties, provider: defaultDynamicProvider(this.command.options) };
  }

  /** Analyze, after check and before the step; a mandatory violation stops an up at this resource. */
  private async analyze(urn: string, type: string, inputs: Record<string, unknown>): Promise<void> {
    for (const pack of this.command.options.policyPacks ?? []) {
      const { violations } = await pack.analyze(this.analyzed(urn, type, inputs)).catch((e: unknown) => this.fail(urn, "analyze", e));
      this.violations.push(...violations);
      if (!this.dryRun && violations.some((v) => v.enforcementLevel === "mandatory")) {
        this.fail(urn, "analyze", new PolicyViolationError([...this.violations], urn));
      }
    }
  }

  /** AnalyzeStack with the new state's resources and outputs; returns every violation of the command. */
  async analyzeStack(): Promise<PolicyViolation[]> {
    const resources = [...this.news].map(([urn, { type, outputs }]) => this.analyzed(urn, type, outputs));
    for (const pack of this.command.options.policyPacks ?? []) this.violations.push(...(await pack.analyzeStack(resources)).violations);
    return [...this.violations];
  }

  /** diff against the old outputs, then create, update, replace or nothing. */
  private async step(
    urn: string,
    type: string,
    old: StateResource | undefined,
    inputs: Record<string, unknown>,
  ): Promise<{ id: string; outputs: Record<string, unknown> }> {
    const host = this.command.host;
    if (!old) return this.create(urn, type, inputs);

    // The provider is asked even when the old object failed to initialise (step_generator.go, generateStepsFromDiff).
    const diff = await host.diff(old.id, urn, old.outputs, inputs, old.inputs).catch((e: unknown) => this.fail(urn, "diff", e));
    // DIFF_UNKNOWN means the provider had no opinion: the engine compares the inputs, secrets unwrapped (diffResource).
    const changed =
      diff.changes === "SOME" || (diff.changes === "UNKNOWN" && !isDeepStrictEqual(revealSecrets(old.inputs), revealSecrets(inputs)));
    if (changed) {
      return asksForReplacement(diff) ? this.replace(old, inputs, diff.deleteBeforeReplace) : this.update(old, inputs);
    }
    // "If resource was unchanged, but there were initialization errors, generate an empty update step to
    // attempt to 'continue' awaiting initialization" (step_generator.go, continueStepsFromDiff).
    if (old.initErrors?.length) return this.update(old, inputs);
    // A same step keeps the id and outputs and takes the new inputs (step.go, SameStep.Apply).
    if (!this.dryRun) this.put({ ...old, inputs });
    this.changes.same++;
    this.emit(urn, "same", "done");
    return { id: old.id, outputs: old.outputs };
  }

  private async create(
    urn: string,
    type: string,
    inputs: Record<string, unknown>,
    op: "create" | "replace" = "create",
    replacing?: StateResource,
  ) {
    this.emit(urn, op, "started");
    if (this.dryRun) {
      if (op === "create") this.changes.create++;
      this.emit(urn, op, "done");
      return { id: "", outputs: inputs };
    }
    const pending: PendingOperation = { type: "creating", resource: { urn, type, id: "", inputs, outputs: {} } };
    try {
      const created = await this.command.operate({ urn, op: "create" }, pending, (host) => host.create(urn, inputs), {
        done: (result) => {
          this.put({ urn, type, id: result.id, inputs, outputs: result.properties });
          if (replacing) this.markForDeletion(replacing);
        },
        // The object exists but failed to initialise: it stays in state with its reasons, so the next up
        // updates it (step.go, CreateStep.Apply; update.go, OnResourceStepPost ends it as successful).
        failed: (error) => {
          const init = error instanceof HostCallError ? error.initFailure : undefined;
          if (!init) return;
          this.put({ urn, type, id: init.id, inputs, outputs: init.properties, initErrors: init.reasons });
          if (replacing) this.markForDeletion(replacing);
        },
      });
      if (op === "create") this.changes.create++;
      this.emit(urn, op, "done");
      return { id: created.id, outputs: created.properties };
    } catch (error) {
      this.emit(urn, op, "failed", describeError(error));
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
    const { initErrors: _cleared, ...healthy } = old;
    const pending: PendingOperation = { type: "updating", resource: { ...healthy, inputs } };
    try {
      const updated = await this.command.operate(
        { urn: old.urn, op: "update" },
        pending,
        (host) => host.update(old.id, old.urn, old.outputs, inputs, old.inputs),
        {
          // The new state carries no init errors: a successful update clears them.
          done: (result) => this.put({ ...healthy, inputs, outputs: result.properties }),
          // A partial failure keeps the new outputs but the old inputs, "because the resource that exists was
          // not created or updated successfully with those inputs" (update.go, OnResourceStepPost), and the
          // reasons (step.go, UpdateStep.Apply); the id stays the old one (provider_plugin.go, Update).
          failed: (error) => {
            const init = error instanceof HostCallError ? error.initFailure : undefined;
            if (init) this.put({ ...healthy, outputs: init.properties, initErrors: init.reasons });
          },
        },
      );
      this.emit(old.urn, "update", "done");
      return { id: old.id, outputs: updated.properties };
    } catch (error) {
      this.emit(old.urn, "update", "failed", describeError(error));
      return this.fail(old.urn, "update", error);
    }
  }

  /**
   * Create-before-delete unless the provider asked for deleteBeforeReplace: the old object is marked
   * for deletion once its replacement exists, and deleted at the end of the up.
   */
  private async replace(old: StateResource, inputs: Record<string, unknown>, deleteFirst: boolean) {
    this.changes.replace++;
    if (this.dryRun) return this.create(old.urn, old.type, inputs, "replace");
    if (deleteFirst) await this.remove(old, "replace");
    return this.create(old.urn, old.type, inputs, "replace", deleteFirst ? undefined : old);
  }

  /**
   * Deletes, in reverse creation order, every resource in state marked for deletion and every one
   * the program no longer registers (step_generator.go, GenerateDeletes, after the program's steps).
   */
  async deleteUnregistered(): Promise<void> {
    const gone = this.state.resources.filter((r) => r.delete || !this.registered.has(r.urn)).reverse();
    for (const resource of gone) {
      const partOfReplace = this.replacedNow.has(resource);
      if (!partOfReplace) this.changes.delete++;
      if (this.dryRun) this.emit(resource.urn, "delete", "done");
      else await this.remove(resource, partOfReplace ? "replace" : "delete");
    }
  }

  private async remove(resource: StateResource, op: "delete" | "replace"): Promise<void> {
    await this.deleteObject(resource, op, () => {
      this.state.resources = this.state.resources.filter((r) => r !== resource);
    });
  }

  private async deleteObject(resource: StateResource, op: "delete" | "replace", forget: () => void = () => undefined): Promise<void> {
    if (op === "delete") this.emit(resource.urn, "delete", "started");
    if (resource.retainOnDelete) {
      forget();
      if (op === "delete") this.emit(resource.urn, "delete", "done", "retained (retainOnDelete): not deleted");
      return;
    }
    await this.command
      .operate(
        { urn: resource.urn, op: "delete" },
        { type: "deleting", resource },
        (host) => host.delete(resource.id, resource.urn, resource.outputs, resource.inputs),
        { done: forget },
      )
      .catch((e: unknown) => this.fail(resource.urn, "delete", e));
    if (op === "delete") this.emit(resource.urn, "delete", "done");
  }

  /** `Resource.get`: the engine reads the object and fails the program when it does not exist. */
  async read(urn: string, id: string, properties: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.emit(urn, "read", "started");
    const read = await this.command.host.read(id, urn, properties).catch((e: unknown) => this.fail(urn, "read", e));
    if (read.id === "") this.fail(urn, "read", new Error(`resource '${id}' does not exist`));
    this.emit(urn, "read", "done");
    this.news.set(urn, { type: (urn.split("::")[2] ?? "").split("$").pop() ?? "", outputs: read.properties });
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
        ({ id, outputs } = await this.deployment.register(urn, req.getType(), inputs, req.getRetainondelete() === true));
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

/**
 * refresh: reads every resource. Read's outputs replace the stored ones, its inputs (when it returns
 * any) the stored inputs, and the init errors are cleared; a blank id means the object is gone and
 * leaves the state (step.go, RefreshStep.Apply). The Go engine would keep init errors a read reports
 * as ErrorResourceInitFailed, but the dynamic-provider host never reports one from read.
 */
async function refresh(command: Command): Promise<StepResult> {
  const { options, state } = command;
  const changes = noChanges();
  await forEachResource(options, [...state.resources], async (resource) => {
    options.onEvent?.({ urn: resource.urn, op: "read", status: "started" });
    // A refresh step records no pending operation (pkg/backend/snapshot.go, refreshSnapshotMutation).
    const read = await command
      .operate(
        { urn: resource.urn, op: "read" },
        undefined,
        (host) => host.read(resource.id, resource.urn, resource.outputs, resource.inputs),
        {
          done: (result) => {
            if (result.id === "") {
              state.resources = state.resources.filter((r) => r !== resource);
              return;
            }
            const { initErrors: _cleared, ...kept } = resource;
            const refreshed: StateResource = {
              ...kept,
              id: result.id,
              outputs: result.properties,
              inputs: result.inputs ?? resource.inputs,
            };
            state.resources = state.resources.map((r) => (r === resource ? refreshed : r));
          },
        },
      )
      .catch((e: unknown) => {
        throw stepError(resource.urn, "read", e);
      });
    if (read.id === "") {
      changes.delete++;
      options.onEvent?.({ urn: resource.urn, op: "refresh-delete", status: "done" });
      return;
    }
    if (isDeepStrictEqual(read.properties, resource.outputs)) changes.same++;
    else changes.update++;
    options.onEvent?.({ urn: resource.urn, op: "read", status: "done" });
  });
  return { outputs: state.outputs, changes };
}

/** destroy: deletes every resource in reverse creation order. */
async function destroy(command: Command): Promise<StepResult> {
  const { options, state } = command;
  command.warnAboutPendingOperations();
  const changes = noChanges();
  await forEachResource(options, [...state.resources].reverse(), async (resource) => {
    options.onEvent?.({ urn: resource.urn, op: "delete", status: "started" });
    if (resource.retainOnDelete) {
      state.resources = state.resources.filter((r) => r !== resource);
      changes.delete++;
      options.onEvent?.({ urn: resource.urn, op: "delete", status: "done", detail: "retained (retainOnDelete): not deleted" });
      return;
    }
    await command
      .operate(
        { urn: resource.urn, op: "delete" },
        { type: "deleting", resource },
        (host) => host.delete(resource.id, resource.urn, resource.outputs, resource.inputs),
        {
          done: () => {
            state.resources = state.resources.filter((r) => r !== resource);
          },
        },
      )
      .catch((e: unknown) => {
        if (!command.hasCrashed) options.onEvent?.({ urn: resource.urn, op: "delete", status: "failed", detail: describeError(e) });
        throw stepError(resource.urn, "delete", e);
      });
    changes.delete++;
    options.onEvent?.({ urn: resource.urn, op: "delete", status: "done" });
  });
  state.outputs = {};
  return { outputs: {}, changes };
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
