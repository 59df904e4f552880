/**
 * The engine side, loaded inside the dynamic-provider host by the serialized provider
 * (`require("pulumi-m365-backup/engine")`). One Graph client per host process, built lazily from
 * the stack config handed to `configure` and the environment, so credentials are read at run time
 * and never captured into state.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createGraphClient, type GraphClient } from "../graph";
import { ConfigurationError, resolveSettings, type ConfigSource } from "../config";
import { sessionInputsSchema } from "../schemas/inputs";
import * as lifecycle from "./lifecycle";
import { SessionPartiallyCreatedError } from "./partial-failure";
import * as plan from "./plan";

let config: ConfigSource = { get: () => undefined };
let client: GraphClient | undefined;

/** Progress and warnings go to stderr, which the engine shows under the resource. */
const log: lifecycle.Log = (line) => process.stderr.write(`[m365-backup] ${line}\n`);

function graph(): GraphClient {
  // Every request is logged only on demand (M365_BACKUP_DEBUG=1); retries and progress always are.
  client ??= createGraphClient(resolveSettings(config), { log, logRequests: Boolean(process.env.M365_BACKUP_DEBUG) });
  return client;
}

/** Receives the whole stack configuration (keys fully qualified) once per host process. */
export async function configure(request: dynamic.ConfigureRequest): Promise<void> {
  config = request.config;
  client = undefined;
}

/** Validates inputs, and the provider settings, without calling Graph. */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  const result = plan.check(olds ?? {}, news ?? {});
  const settingsProblem = configurationFailure();
  return settingsProblem ? { inputs: news, failures: [...(result.failures ?? []), settingsProblem] } : result;
}

/** A bad setting (say, an http graphEndpoint) shows at preview, not at the first Graph call. */
function configurationFailure(): dynamic.CheckFailure | undefined {
  try {
    resolveSettings(config);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return { property: `m365-backup:${error.key}`, reason: error.message };
  }
}

/** Compares stored outputs with new inputs without calling Graph. */
export async function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
  return plan.diff(olds, news);
}

/** Creates the restore session. */
export async function create(inputs: Record<string, unknown>): Promise<dynamic.CreateResult> {
  return keepProvider(inputs, () => lifecycle.create(graph(), parseInputs(inputs), log));
}

/** Reads the restore session (refresh, and `SharePointRestoreSession.get`). */
export async function read(id: string, props: Record<string, unknown> = {}): Promise<dynamic.ReadResult> {
  return lifecycle.read(graph(), id, props, log);
}

/** Updates a draft in place. */
export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
  return keepProvider(news, () => lifecycle.update(graph(), id, olds, parseInputs(news), log));
}

/** Deletes a draft, or forgets an activated session with a warning. */
export async function remove(id: string, props: Record<string, unknown>): Promise<void> {
  return lifecycle.remove(graph(), id, props, log);
}

/** Checked inputs without the engine's reserved `__provider`. */
function parseInputs({ __provider: _provider, ...inputs }: Record<string, unknown>) {
  return sessionInputsSchema.parse(inputs);
}

/**
 * The engine stores a partially created session's properties as they are, and a later destroy
 * loads the provider from them, so they must carry `__provider` like every other state.
 */
async function keepProvider<T>(inputs: Record<string, unknown>, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof SessionPartiallyCreatedError) error.properties.__provider = inputs.__provider;
    throw error;
  }
}
