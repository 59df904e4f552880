/**
 * What every resource kind's provider shares inside one dynamic-provider host process: the stack
 * configuration handed to `configure`, the settings resolved from it at run time (so credentials
 * are read when needed and never captured into state), one Graph client, and where to log.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ConfigurationError, resolveSettings, type ConfigSource, type Settings } from "../config";
import { createGraphClient, isGraphRequestError, type GraphClient } from "../graph";
import type { CheckFailure } from "../schemas/inputs/common";
import { PartialFailureError } from "./partial-failure-error";

let config: ConfigSource = { get: () => undefined };
let client: GraphClient | undefined;

/** Progress and warnings go to stderr, which the engine shows under the resource. */
export const log = (line: string): void => {
  process.stderr.write(`[m365-backup] ${line}\n`);
};

/** Receives the whole stack configuration (keys fully qualified) once per provider, before its first call. */
export async function configure(request: dynamic.ConfigureRequest): Promise<void> {
  config = request.config;
  client = undefined;
}

/** The settings from `m365-backup:*` config, then the environment. */
export function settings(): Settings {
  return resolveSettings(config);
}

/** The host's Graph client, built on first use. */
export function graph(): GraphClient {
  if (client === undefined) {
    const resolved = settings();
    // Every request is logged only on demand (m365-backup:debug, M365_BACKUP_DEBUG); retries and progress always are.
    client = createGraphClient(resolved, { log, logRequests: resolved.debug === true });
  }
  return client;
}

/** A bad setting (say, an http graphEndpoint) shows at preview, as a failure naming the key; else undefined. */
export function configurationFailure(): CheckFailure | undefined {
  try {
    resolveSettings(config);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return { property: `m365-backup:${error.key}`, reason: error.message };
  }
}

/** The Graph version to validate inputs against: the configured one, or v1.0 while settings are broken. */
export function apiVersion(): "v1.0" | "beta" {
  try {
    return settings().apiVersion;
  } catch {
    return "v1.0";
  }
}

/** Adds the settings' failure (if any) to a check result. */
export function withConfigurationCheck(result: dynamic.CheckResult, news: Record<string, unknown>): dynamic.CheckResult {
  const problem = configurationFailure();
  return problem ? { inputs: news, failures: [...(result.failures ?? []), problem] } : result;
}

/**
 * Runs a create or update. A partially created object's properties must carry `__provider` like
 * every other state (a later destroy loads the provider from them). A write Graph refused with 403
 * costs one extra read: when the tenant's backup service is not enabled, the error says so.
 */
export async function writeStep<T>(inputs: Record<string, unknown>, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof PartialFailureError) error.properties.__provider = inputs.__provider;
    throw await explainRefusal(error);
  }
}

/** Adds the service status to a 403 when the tenant's backup service is disabled or locked. */
async function explainRefusal(error: unknown): Promise<unknown> {
  const refusal = error instanceof PartialFailureError ? error.cause : error;
  if (!isGraphRequestError(refusal) || refusal.status !== 403 || refusal.method === "GET") return error;
  const status = await graph()
    .getServiceStatus()
    .catch(() => undefined);
  if (status?.status === undefined || status.status === "enabled") return error;
  const reason = status.disableReason !== undefined && status.disableReason !== "none" ? ` (${status.disableReason})` : "";
  const note = `Microsoft 365 Backup Storage is ${status.status}${reason} in this tenant`;
  if (error instanceof PartialFailureError) {
    error.message = `${error.message} ${note}.`;
    error.reasons[0] = error.message;
    return error;
  }
  return refusal.withNote(note);
}
