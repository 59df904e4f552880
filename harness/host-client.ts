/**
 * A typed gRPC client for the real `@pulumi/pulumi/cmd/dynamic-provider` host process.
 *
 * It plays the Pulumi engine's side of the ResourceProvider protocol: it spawns the host in a program
 * directory (so `require("<package>/...")` inside `__provider` resolves from that directory's
 * node_modules, as under the CLI), reads the port the host prints, and sends the requests the engine
 * sends, with the engine's marshalling of secrets and unknowns. Shared by the tests and the demo harness.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";

/** The string the engine puts in any field whose value is not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const INIT_FAILED_TYPE = "pulumirpc.ErrorResourceInitFailed";

/** A secret value in the engine's wire form. */
export interface SecretValue {
  [SIG_KEY]: typeof SECRET_SIG;
  value: unknown;
}

/** Wraps a value the way the engine marks a secret on the wire. */
export function secret(value: unknown): SecretValue {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** True when the value is a secret in the engine's wire form. */
export function isSecret(value: unknown): value is SecretValue {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Removes every secret wrapper, recursively: what the engine sends a provider that does not accept secrets. */
export function revealSecrets(value: unknown): unknown {
  if (isSecret(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
  }
  return value;
}

/** Where the host runs and with which environment. */
export interface HostOptions {
  /** A program directory whose node_modules holds the package and `@pulumi/pulumi`. */
  cwd: string;
  /** The host's environment; defaults to this process's environment. */
  env?: NodeJS.ProcessEnv;
}

/** A failure a provider method reported through the host's failure details. */
export interface InitFailure {
  id: string;
  properties: Record<string, unknown>;
  reasons: string[];
}

/** A gRPC call to the host failed; `initFailure` is set when the remote object exists (ErrorResourceInitFailed). */
export class HostCallError extends Error {
  override readonly name = "HostCallError";
  constructor(
    readonly method: string,
    readonly urn: string,
    readonly code: number,
    readonly details: string,
    readonly initFailure?: InitFailure,
  ) {
    super(`${method} ${urn} failed (gRPC status ${code}): ${details}`);
  }
}

/** One check failure, exactly Pulumi's CheckFailure. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** A property diff as the provider reported it, when it sent a detailed diff. */
export interface PropertyDiff {
  kind: "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE";
  inputDiff: boolean;
}

/** The result of diff, with the gRPC enum as its name. */
export interface DiffResult {
  changes: "SOME" | "NONE" | "UNKNOWN";
  replaces: string[];
  deleteBeforeReplace: boolean;
  detailedDiff?: Record<string, PropertyDiff>;
}

/** A running host and the engine-side calls it accepts. */
export interface Host {
  /** Sends the whole stack config, keys fully qualified; values listed in `secretKeys` go as secrets. */
  configure(config: Record<string, string>, options?: { secretKeys?: string[] }): Promise<void>;
  check(
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }>;
  diff(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    oldInputs?: Record<string, unknown>,
  ): Promise<DiffResult>;
  create(urn: string, properties: Record<string, unknown>): Promise<{ id: string; properties: Record<string, unknown> }>;
  /** `id` is "" when the provider says the object is gone. */
  read(
    id: string,
    urn: string,
    properties: Record<string, unknown>,
    inputs?: Record<string, unknown>,
  ): Promise<{ id: string; properties: Record<string, unknown>; inputs?: Record<string, unknown> }>;
  update(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    oldInputs?: Record<string, unknown>,
  ): Promise<{ properties: Record<string, unknown> }>;
  delete(id: string, urn: string, properties: Record<string, unknown>, oldInputs?: Record<string, unknown>): Promise<void>;
  /** Everything the host wrote after its port line, stdout and stderr interleaved. */
  stderr(): string;
  /**
   * Resolves once the host has printed `text` (its output arrives on its own schedule, often after the
   * RPC's answer); rejects if the host exits first or, as a guard against a hung test, after `timeoutMs`
   * (default 30 s).
   */
  waitForOutput(text: string | RegExp, options?: { timeoutMs?: number }): Promise<void>;
  /** The host's process id (e.g. to sample its memory), while it runs. */
  readonly pid: number | undefined;
  /** Stops the host (SIGTERM) and waits until it has exited and its output has ended. */
  close(): Promise<void>;
  /** Kills the host at once (SIGKILL), as a crash would, and waits until it has exited. */
  kill(): Promise<void>;
}

/** How long {@link Host.waitForOutput} waits by default before it gives up. */
export const DEFAULT_OUTPUT_TIMEOUT_MS = 30_000;

/** The URN the engine gives a top-level dynamic resource. */
export function urnFor(
  name: string,
  type = "pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession",
  project = "project",
  stack = "stack",
): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/**
 * The largest answer the engine takes from a provider: 400 MiB, not gRPC's default 4 MiB
 * (sdk/go/common/util/rpcutil/serve.go, `maxRPCMessageSize`, dialled by provider_plugin.go), so a
 * session of 10,000 artifacts reads back as it does under the CLI.
 */
export const MAX_RPC_MESSAGE_BYTES = 1024 * 1024 * 400;

/** Spawns the real dynamic-provider host in `options.cwd` and connects to it. */
export async function startHost(options: HostOptions): Promise<Host> {
  // The engine passes its own address; the host only requires that one is given.
  const { child, port, output } = await spawnPlugin("@pulumi/pulumi/cmd/dynamic-provider", ["127.0.0.1:0"], options);
  const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": MAX_RPC_MESSAGE_BYTES,
  });
  return new HostConnection(child, client, output);
}

/** A plugin process the engine started, the port it serves gRPC on, and what it printed after that. */
export interface SpawnedPlugin {
  child: ChildProcess;
  port: number;
  output: HostOutput;
}

/**
 * Spawns a Pulumi plugin the way the engine does: `node <entry> <args>` in `options.cwd` (the entry
 * resolved from there, so the plugin runs the copy of `@pulumi/pulumi` beside the program), and reads
 * the port it prints first on stdout.
 */
export async function spawnPlugin(entry: string, args: string[], options: HostOptions): Promise<SpawnedPlugin> {
  const resolved = require.resolve(entry, { paths: [options.cwd] });
  const child = spawn(process.execPath, [resolved, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = new HostOutput();
  child.once("close", () => output.end());
  const port = await readPort(child, output, entry);
  return { child, port, output };
}

function readPort(child: ChildProcess, output: HostOutput, entry: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let portSeen = false;
    const early: string[] = [];
    const onExit = (code: number | null) =>
      reject(new Error(`${entry} exited with code ${code} before printing its port: ${early.join("")}`));
    child.once("exit", onExit);
    child.once("error", reject);
    child.stderr!.on("data", (chunk: Buffer) => (portSeen ? output.append(chunk.toString()) : early.push(chunk.toString())));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (portSeen) {
        output.append(chunk.toString());
        return;
      }
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      portSeen = true;
      output.append(early.join("") + stdout.slice(newline + 1));
      child.off("exit", onExit);
      resolve(Number(stdout.slice(0, newline).trim()));
    });
  });
}

interface OutputWaiter {
  matches: (text: string) => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** What a plugin printed after its port line, and the tests waiting for some of it. */
export class HostOutput {
  private readonly chunks: string[] = [];
  private readonly waiters = new Set<OutputWaiter>();
  private ended = false;

  text(): string {
    return this.chunks.join("");
  }

  append(chunk: string): void {
    if (chunk === "") return;
    this.chunks.push(chunk);
    const text = this.text();
    for (const waiter of this.waiters) if (waiter.matches(text)) waiter.resolve();
  }

  /** The host's streams have closed: nothing more will arrive. */
  end(): void {
    this.ended = true;
    for (const waiter of this.waiters) waiter.reject(new Error(`the host exited without printing it; it printed: ${this.text()}`));
  }

  waitFor(pattern: string | RegExp, timeoutMs: number): Promise<void> {
    const matches = (text: string) => (typeof pattern === "string" ? text.includes(pattern) : text.search(pattern) >= 0);
    if (matches(this.text())) return Promise.resolve();
    if (this.ended) return Promise.reject(new Error(`the host exited without printing ${String(pattern)}; it printed: ${this.text()}`));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          settle(() => reject(new Error(`the host did not print ${String(pattern)} within ${timeoutMs} ms; it printed: ${this.text()}`))),
        timeoutMs,
      );
      timer.unref();
      const waiter: OutputWaiter = {
        matches,
        resolve: () => settle(resolve),
        reject: (error) => settle(() => reject(new Error(`waiting for ${String(pattern)}: ${error.message}`))),
      };
      const settle = (finish: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        finish();
      };
      this.waiters.add(waiter);
    });
  }
}

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;

class HostConnection implements Host {
  // The host answers acceptSecrets=false today; until configure says otherwise the engine assumes the same.
  private acceptsSecrets = false;

  constructor(
    private readonly child: ChildProcess,
    private readonly client: providerRpc.ResourceProviderClient,
    private readonly output: HostOutput,
  ) {}

  async configure(config: Record<string, string>, options: { secretKeys?: string[] } = {}): Promise<void> {
    const secretKeys = new Set(options.secretKeys ?? []);
    const args = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, secretKeys.has(k) ? secret(v) : v]));
    const req = new providerProto.ConfigureRequest();
    for (const [k, v] of Object.entries(config)) req.getVariablesMap().set(k, v);
    req.setArgs(Struct.fromJavaScript(args as never));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    req.setSendsOldInputs(true);
    req.setSendsOldInputsToDelete(true);
    const res = await this.call<providerProto.ConfigureResponse>("configure", "", (cb) => this.client.configure(req, cb));
    this.acceptsSecrets = res.getAcceptsecrets();
  }

  async check(urn: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const req = new providerProto.CheckRequest();
    this.name(req, urn);
    req.setOlds(this.toStruct(olds));
    req.setNews(this.toStruct(news));
    const res = await this.call<providerProto.CheckResponse>("check", urn, (cb) => this.client.check(req, cb));
    return {
      inputs: this.annotate(fromStruct(res.getInputs()), news),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>, oldInputs?: Record<string, unknown>) {
    const req = new providerProto.DiffRequest();
    this.name(req, urn);
    req.setId(id);
    req.setOlds(this.toStruct(olds));
    req.setNews(this.toStruct(news));
    if (oldInputs) req.setOldInputs(this.toStruct(oldInputs));
    const res = await this.call<providerProto.DiffResponse>("diff", urn, (cb) => this.client.diff(req, cb));
    const result: DiffResult = {
      changes: diffChangesName(res.getChanges()),
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
    if (res.getHasdetaileddiff()) {
      result.detailedDiff = Object.fromEntries(
        res
          .getDetaileddiffMap()
          .toArray()
          .map(([path, d]) => [path, { kind: propertyDiffKind(d.getKind()), inputDiff: d.getInputdiff() }]),
      );
    }
    return result;
  }

  async create(urn: string, properties: Record<string, unknown>) {
    const req = new providerProto.CreateRequest();
    this.name(req, urn);
    req.setProperties(this.toStruct(properties));
    const res = await this.call<providerProto.CreateResponse>("create", urn, (cb) => this.client.create(req, cb));
    return { id: res.getId(), properties: this.annotate(fromStruct(res.getProperties()), properties) };
  }

  async read(id: string, urn: string, properties: Record<string, unknown>, inputs?: Record<string, unknown>) {
    const req = new providerProto.ReadRequest();
    this.name(req, urn);
    req.setId(id);
    req.setProperties(this.toStruct(properties));
    if (inputs) req.setInputs(this.toStruct(inputs));
    const res = await this.call<providerProto.ReadResponse>("read", urn, (cb) => this.client.read(req, cb));
    const result: { id: string; properties: Record<string, unknown>; inputs?: Record<string, unknown> } = {
      id: res.getId(),
      properties: this.annotate(fromStruct(res.getProperties()), properties),
    };
    if (res.hasInputs()) result.inputs = this.annotate(fromStruct(res.getInputs()), inputs ?? properties);
    return result;
  }

  async update(id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>, oldInputs?: Record<string, unknown>) {
    const req = new providerProto.UpdateRequest();
    this.name(req, urn);
    req.setId(id);
    req.setOlds(this.toStruct(olds));
    req.setNews(this.toStruct(news));
    if (oldInputs) req.setOldInputs(this.toStruct(oldInputs));
    const res = await this.call<providerProto.UpdateResponse>("update", urn, (cb) => this.client.update(req, cb));
    return { properties: this.annotate(fromStruct(res.getProperties()), news) };
  }

  async delete(id: string, urn: string, properties: Record<string, unknown>, oldInputs?: Record<string, unknown>) {
    const req = new providerProto.DeleteRequest();
    this.name(req, urn);
    req.setId(id);
    req.setProperties(this.toStruct(properties));
    if (oldInputs) req.setOldInputs(this.toStruct(oldInputs));
    await this.call<unknown>("delete", urn, (cb) => this.client.delete(req, cb));
  }

  stderr(): string {
    return this.output.text();
  }

  waitForOutput(text: string | RegExp, options: { timeoutMs?: number } = {}): Promise<void> {
    return this.output.waitFor(text, options.timeoutMs ?? DEFAULT_OUTPUT_TIMEOUT_MS);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  close(): Promise<void> {
    return this.stop("SIGTERM");
  }

  kill(): Promise<void> {
    return this.stop("SIGKILL");
  }

  private async stop(signal: NodeJS.Signals): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    // "close" comes after the output streams end, so stderr() then holds everything the host wrote.
    const exited = new Promise<void>((resolve) => this.child.once("close", () => resolve()));
    this.child.kill(signal);
    await exited;
  }

  /** Name and type come from the URN, as the engine fills them in. */
  private name(req: { setName(v: string): unknown; setType(v: string): unknown }, urn: string): void {
    const parts = urn.split("::");
    req.setName(parts[3] ?? "");
    req.setType((parts[2] ?? "").split("$").pop() ?? "");
  }

  /** Engine marshalling: secrets are stripped for a provider that does not accept them. */
  private toStruct(value: Record<string, unknown>): Struct {
    const wire = this.acceptsSecrets ? value : revealSecrets(value);
    return Struct.fromJavaScript(wire as never);
  }

  /** Engine unmarshalling: outputs whose input was secret stay secret when secrets were stripped on the way in. */
  private annotate(outputs: Record<string, unknown>, inputs: Record<string, unknown>): Record<string, unknown> {
    if (this.acceptsSecrets) return outputs;
    return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, isSecret(inputs[k]) && !isSecret(v) ? secret(v) : v]));
  }

  private call<Res>(method: string, urn: string, send: (callback: Callback<Res>) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
      send((err, res) => {
        if (err) reject(toHostCallError(method, urn, err));
        else resolve(res);
      });
    });
  }
}

function fromStruct(struct: Struct | undefined): Record<string, unknown> {
  return (struct?.toJavaScript() ?? {}) as Record<string, unknown>;
}

function diffChangesName(value: number): DiffResult["changes"] {
  const names: Record<number, DiffResult["changes"]> = {
    [providerProto.DiffResponse.DiffChanges.DIFF_NONE]: "NONE",
    [providerProto.DiffResponse.DiffChanges.DIFF_SOME]: "SOME",
  };
  return names[value] ?? "UNKNOWN";
}

function propertyDiffKind(value: number): PropertyDiff["kind"] {
  const entry = Object.entries(providerProto.PropertyDiff.Kind).find(([, v]) => v === value);
  return (entry?.[0] ?? "UPDATE") as PropertyDiff["kind"];
}

function toHostCallError(method: string, urn: string, err: grpc.ServiceError): HostCallError {
  return new HostCallError(method, urn, err.code, err.details, decodeInitFailure(err.metadata));
}

/** Reads ErrorResourceInitFailed from the google.rpc.Status the host packs into `grpc-status-details-bin`. */
function decodeInitFailure(metadata: grpc.Metadata | undefined): InitFailure | undefined {
  const [bin] = metadata?.get("grpc-status-details-bin") ?? [];
  if (!(bin instanceof Buffer)) return undefined;
  for (const detail of Status.deserializeBinary(bin).getDetailsList()) {
    if (detail.getTypeName() !== INIT_FAILED_TYPE) continue;
    const failure = providerProto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
    return {
      id: failure.getId(),
      properties: fromStruct(failure.getProperties()),
      reasons: failure.getReasonsList(),
    };
  }
  return undefined;
}
