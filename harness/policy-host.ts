/**
 * A typed gRPC client for a real `@pulumi/policy` pack, served the way the `pulumi` CLI serves one
 * for `--policy-pack`: `node @pulumi/pulumi/cmd/run-policy-pack <engine-address> .` in the pack's
 * directory (TypeScript through the ts-node `@pulumi/pulumi` brings), which loads the pack's
 * `index.ts`, whose `new PolicyPack(...)` starts the Analyzer service and prints its port.
 *
 * It plays the engine's side of the Analyzer protocol (proto/pulumi/analyzer.proto): GetAnalyzerInfo
 * and Configure when the pack is loaded, ConfigureStack before each deployment, Analyze with each
 * resource's checked inputs and AnalyzeStack with the final outputs (pkg/resource/deploy/step_generator.go,
 * `analyzeAll` and `AnalyzeResources`). The engine harness calls it at those points.
 */
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import { MAX_RPC_MESSAGE_BYTES, spawnPlugin, type HostOptions, type SpawnedPlugin } from "./host-client";

/** A policy's enforcement level, as `@pulumi/policy` names it. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One policy violation the pack reported. */
export interface PolicyViolation {
  policyName: string;
  policyPackName: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  /** The resource in violation; "" for the stack as a whole. */
  urn: string;
}

/** What one Analyze or AnalyzeStack call answered. */
export interface AnalyzeResult {
  violations: PolicyViolation[];
  /** Policies that said they do not apply, and why. */
  notApplicable: { policyName: string; reason: string }[];
}

/** The provider resource a resource was registered with, as the engine shows it to a pack. */
export interface AnalyzedProvider {
  urn: string;
  type: string;
  name: string;
  /** A default dynamic provider's inputs: the whole stack config, keys fully qualified (deploy/target.go, GetPackageConfig). */
  properties: Record<string, unknown>;
}

/** One resource as the engine sends it to a pack. */
export interface AnalyzedResource {
  urn: string;
  type: string;
  name: string;
  /** Analyze: the checked inputs; AnalyzeStack: the outputs. */
  properties: Record<string, unknown>;
  provider?: AnalyzedProvider;
}

/** What the engine tells a pack about the stack before a deployment (AnalyzerStackConfigureRequest). */
export interface StackContext {
  stack: string;
  project: string;
  organization?: string;
  dryRun: boolean;
  config?: Record<string, string>;
  tags?: Record<string, string>;
}

/** One policy's configuration: its enforcement level and its own properties (`--policy-pack-config`). */
export type PolicyConfig = { enforcementLevel?: EnforcementLevel } & Record<string, unknown>;

/** A running policy pack and the engine-side calls it accepts. */
export interface PolicyPackHost {
  /** The pack's name and its policies with their levels, from GetAnalyzerInfo. */
  readonly info: { name: string; version: string; policies: { name: string; enforcementLevel: EnforcementLevel }[] };
  configureStack(stack: StackContext): Promise<void>;
  analyze(resource: AnalyzedResource): Promise<AnalyzeResult>;
  analyzeStack(resources: AnalyzedResource[]): Promise<AnalyzeResult>;
  /** Everything the pack printed after its port line. */
  output(): string;
  /** Stops the pack (SIGTERM) and waits until it has exited. */
  close(): Promise<void>;
}

/** Where the pack lives and how it is configured, as `--policy-pack` and `--policy-pack-config` give it. */
export interface PolicyPackOptions extends HostOptions {
  /** Per policy name; policies not named keep their defaults. */
  config?: Record<string, PolicyConfig>;
}

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerProto.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerProto.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerProto.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzerProto.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_VALUES = Object.fromEntries(Object.entries(LEVELS).map(([value, name]) => [name, Number(value)])) as Record<
  EnforcementLevel,
  analyzerProto.EnforcementLevel
>;

/** Serves the pack in `options.cwd` as the CLI does, reads its info and sends its configuration. */
export async function startPolicyPack(options: PolicyPackOptions): Promise<PolicyPackHost> {
  // run-policy-pack drops the engine address (the pack never calls the engine) and loads the program ".".
  const plugin = await spawnPlugin("@pulumi/pulumi/cmd/run-policy-pack", ["127.0.0.1:0", "."], options);
  // The engine sends a stack's outputs in one AnalyzeStack, up to the same 400 MiB as provider answers.
  const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure(), {
    "grpc.max_send_message_length": MAX_RPC_MESSAGE_BYTES,
  });
  const connection = new PolicyPackConnection(plugin, client);
  try {
    await connection.load(options.config ?? {});
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
}

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;

class PolicyPackConnection implements PolicyPackHost {
  info: PolicyPackHost["info"] = { name: "", version: "", policies: [] };

  constructor(
    private readonly plugin: SpawnedPlugin,
    private readonly client: analyzerRpc.AnalyzerClient,
  ) {}

  /** The CLI's order when it loads a pack: GetAnalyzerInfo, then Configure with the pack's config. */
  async load(config: Record<string, PolicyConfig>): Promise<void> {
    const info = await this.call<analyzerProto.AnalyzerInfo>("getAnalyzerInfo", (cb) => this.client.getAnalyzerInfo(new Empty(), cb));
    this.info = {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => ({ name: p.getName(), enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory" })),
    };
    const req = new analyzerProto.ConfigureAnalyzerRequest();
    for (const [name, { enforcementLevel, ...properties }] of Object.entries(config)) {
      const policy = new analyzerProto.PolicyConfig();
      policy.setEnforcementlevel(LEVEL_VALUES[enforcementLevel ?? this.levelOf(name)]);
      policy.setProperties(Struct.fromJavaScript(properties as never));
      req.getPolicyconfigMap().set(name, policy);
    }
    await this.call<unknown>("configure", (cb) => this.client.configure(req, cb));
  }

  async configureStack(stack: StackContext): Promise<void> {
    const req = new analyzerProto.AnalyzerStackConfigureRequest();
    req.setStack(stack.stack);
    req.setProject(stack.project);
    req.setOrganization(stack.organization ?? "organization");
    req.setDryRun(stack.dryRun);
    for (const [k, v] of Object.entries(stack.config ?? {})) req.getConfigMap().set(k, v);
    for (const [k, v] of Object.entries(stack.tags ?? {})) req.getTagsMap().set(k, v);
    await this.call<unknown>("configureStack", (cb) => this.client.configureStack(req, cb));
  }

  async analyze(resource: AnalyzedResource): Promise<AnalyzeResult> {
    const req = new analyzerProto.AnalyzeRequest();
    req.setUrn(resource.urn);
    req.setType(resource.type);
    req.setName(resource.name);
    req.setProperties(Struct.fromJavaScript(resource.properties as never));
    req.setOptions(new analyzerProto.AnalyzerResourceOptions());
    if (resource.provider) req.setProvider(providerMessage(resource.provider));
    return resultOf(await this.call<analyzerProto.AnalyzeResponse>("analyze", (cb) => this.client.analyze(req, cb)));
  }

  async analyzeStack(resources: AnalyzedResource[]): Promise<AnalyzeResult> {
    const req = new analyzerProto.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((resource) => {
        const message = new analyzerProto.AnalyzerResource();
        message.setUrn(resource.urn);
        message.setType(resource.type);
        message.setName(resource.name);
        message.setProperties(Struct.fromJavaScript(resource.properties as never));
        message.setOptions(new analyzerProto.AnalyzerResourceOptions());
        if (resource.provider) message.setProvider(providerMessage(resource.provider));
        return message;
      }),
    );
    return resultOf(await this.call<analyzerProto.AnalyzeResponse>("analyzeStack", (cb) => this.client.analyzeStack(req, cb)));
  }

  output(): string {
    return this.plugin.output.text();
  }

  async close(): Promise<void> {
    this.client.close();
    const child = this.plugin.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  }

  private levelOf(policyName: string): EnforcementLevel {
    return this.info.policies.find((p) => p.name === policyName)?.enforcementLevel ?? "advisory";
  }

  private call<Res>(method: string, send: (callback: Callback<Res>) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
      send((err, res) => {
        if (err) reject(new Error(`policy pack ${method} failed (gRPC status ${err.code}): ${err.details}\n${this.output()}`));
        else resolve(res);
      });
    });
  }
}

function providerMessage(provider: AnalyzedProvider): analyzerProto.AnalyzerProviderResource {
  const message = new analyzerProto.AnalyzerProviderResource();
  message.setUrn(provider.urn);
  message.setType(provider.type);
  message.setName(provider.name);
  message.setProperties(Struct.fromJavaScript(provider.properties as never));
  return message;
}

function resultOf(response: analyzerProto.AnalyzeResponse): AnalyzeResult {
  return {
    violations: response.getDiagnosticsList().map((d) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      description: d.getDescription(),
      message: d.getMessage(),
      enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
      urn: d.getUrn(),
    })),
    notApplicable: response.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}
