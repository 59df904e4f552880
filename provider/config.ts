/**
 * Stack configuration (namespace `m365-backup`) and the environment, resolved into one typed
 * `Settings` object. Called at run time inside the provider host, never at program time, so no
 * credential is ever captured into the serialized provider or the state.
 *
 * Precedence per key: stack config `m365-backup:<key>`, then its `ARM_*` variable, then its `AZURE_*`
 * variable. `accessToken` has no ARM/AZURE equivalent; its variable is `M365_BACKUP_ACCESS_TOKEN`.
 * Only the `m365-backup` namespace is read: a bare key would resolve to the program's own project
 * namespace (`<project>:accessToken`), whose values are meant for something else.
 */

/** Anything with a `get(key)`: Pulumi's `configure()` config, or a plain map in tests. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Which way the provider signs in to Microsoft Entra ID. */
export type Credentials =
  | { kind: "accessToken"; token: string }
  | { kind: "clientSecret"; tenantId: string; clientId: string; clientSecret: string }
  | { kind: "clientCertificate"; tenantId: string; clientId: string; certificatePath: string; certificatePassword?: string }
  | { kind: "oidc"; tenantId: string; clientId: string; token?: string; tokenFilePath?: string }
  | { kind: "msi"; clientId?: string }
  | { kind: "cli"; tenantId?: string }
  | { kind: "default"; tenantId?: string; clientId?: string };

/** Everything the Graph client needs, resolved and validated. */
export interface Settings {
  graphEndpoint: string;
  apiVersion: "v1.0" | "beta";
  authorityHost?: string;
  credentials: Credentials;
  /** Retry limits from `retryBudgetSeconds` / `requestTimeoutSeconds`; absent keys keep the client's defaults. */
  retry?: RetryLimits;
  /** Log every Graph request (`debug`, `M365_BACKUP_DEBUG`); `resolveSettings` always sets it, absent means false. */
  debug?: boolean;
}

/** The retry limits a stack may tune, in milliseconds. */
export interface RetryLimits {
  /** Wall-clock budget of one operation, retries and waits included. */
  totalBudgetMs?: number;
  /** Limit of one attempt, after which it counts as a timeout. */
  attemptTimeoutMs?: number;
}

/** A setting is missing or malformed; the message names the key and how to fix it. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

const NAMESPACE = "m365-backup";

/** The Graph origin used when neither `m365-backup:graphEndpoint` nor its environment variable is set. */
export const DEFAULT_GRAPH_ENDPOINT = "https://graph.microsoft.com";

/** The Microsoft Graph national and global cloud hosts. */
export const KNOWN_GRAPH_HOSTS: readonly string[] = [
  "graph.microsoft.com",
  "graph.microsoft.us",
  "dod-graph.microsoft.us",
  "microsoftgraph.chinacloudapi.cn",
];

/** Environment fallbacks per config key, in the order they are tried. */
export const ENVIRONMENT_FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  graphEndpoint: ["M365_BACKUP_GRAPH_ENDPOINT"],
  apiVersion: ["M365_BACKUP_API_VERSION"],
  authorityHost: ["AZURE_AUTHORITY_HOST"],
  tenantId: ["ARM_TENANT_ID", "AZURE_TENANT_ID"],
  clientId: ["ARM_CLIENT_ID", "AZURE_CLIENT_ID"],
  clientSecret: ["ARM_CLIENT_SECRET", "AZURE_CLIENT_SECRET"],
  clientCertificatePath: ["ARM_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH"],
  clientCertificatePassword: ["ARM_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PASSWORD"],
  useOidc: ["ARM_USE_OIDC"],
  oidcToken: ["ARM_OIDC_TOKEN"],
  oidcTokenFilePath: ["ARM_OIDC_TOKEN_FILE_PATH", "AZURE_FEDERATED_TOKEN_FILE"],
  useMsi: ["ARM_USE_MSI"],
  useCli: ["ARM_USE_CLI"],
  accessToken: ["M365_BACKUP_ACCESS_TOKEN"],
  allowUnknownGraphEndpoint: [],
  retryBudgetSeconds: ["M365_BACKUP_RETRY_BUDGET_SECONDS"],
  requestTimeoutSeconds: ["M365_BACKUP_REQUEST_TIMEOUT_SECONDS"],
  debug: ["M365_BACKUP_DEBUG"],
};

/** A value and where it was found: `m365-backup:<key>` or the environment variable's name. */
interface Found {
  value: string;
  source: string;
}

/** Reads config and environment into validated `Settings`; throws `ConfigurationError` on bad values. */
export function resolveSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): Settings {
  const find = (key: string): Found | undefined => {
    const source = `${NAMESPACE}:${key}`;
    const fromConfig = nonEmpty(config.get(source));
    if (fromConfig !== undefined) return { value: fromConfig, source };
    for (const variable of ENVIRONMENT_FALLBACKS[key] ?? []) {
      const fromEnv = nonEmpty(env[variable]);
      if (fromEnv !== undefined) return { value: fromEnv, source: variable };
    }
    return undefined;
  };
  const read: Read = (key) => find(key)?.value;
  const readFlag: ReadFlag = (key) => {
    const found = find(key);
    return parseFlag(found?.value, found?.source ?? key, key) ?? false;
  };

  const authorityHost = read("authorityHost");
  if (authorityHost !== undefined) requireHttpsUrl("authorityHost", authorityHost);
  const retry = resolveRetryLimits(find);
  return {
    graphEndpoint: resolveGraphEndpoint(read("graphEndpoint"), readFlag("allowUnknownGraphEndpoint")),
    apiVersion: resolveApiVersion(read("apiVersion")),
    ...(authorityHost !== undefined ? { authorityHost: authorityHost.replace(/\/+$/, "") } : {}),
    credentials: resolveCredentials(read, readFlag),
    ...(retry !== undefined ? { retry } : {}),
    debug: readFlag("debug"),
  };
}

const TRUE_WORDS = ["true", "1", "yes", "on"];
const FALSE_WORDS = ["false", "0", "no", "off"];

/**
 * Parses a flag from config or the environment: `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off`,
 * in any case; undefined when unset or blank. Anything else throws a `ConfigurationError` whose
 * message names `name` (the variable or config key read) and whose `key` is `key`.
 */
export function parseFlag(value: string | undefined, name: string, key: string = name): boolean | undefined {
  const normalized = nonEmpty(value)?.trim().toLowerCase();
  if (normalized === undefined) return undefined;
  if (TRUE_WORDS.includes(normalized)) return true;
  if (FALSE_WORDS.includes(normalized)) return false;
  throw new ConfigurationError(key, `${name} must be true or false (or 1/0, yes/no, on/off), got ${JSON.stringify(value)}`);
}

function resolveRetryLimits(find: (key: string) => Found | undefined): RetryLimits | undefined {
  const budget = readSeconds("retryBudgetSeconds", find("retryBudgetSeconds"));
  const timeout = readSeconds("requestTimeoutSeconds", find("requestTimeoutSeconds"));
  if (budget === undefined && timeout === undefined) return undefined;
  return { ...(budget !== undefined ? { totalBudgetMs: budget } : {}), ...(timeout !== undefined ? { attemptTimeoutMs: timeout } : {}) };
}

/** A positive number of seconds (fractions allowed, for tests), in milliseconds. */
function readSeconds(key: string, found: Found | undefined): number | undefined {
  if (found === undefined) return undefined;
  const seconds = Number(found.value.trim());
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new ConfigurationError(key, `${found.source} must be a positive number of seconds, got ${JSON.stringify(found.value)}`);
  }
  return Math.round(seconds * 1000);
}

function resolveApiVersion(value: string | undefined): Settings["apiVersion"] {
  if (value === undefined || value === "v1.0") return "v1.0";
  if (value === "beta") return "beta";
  throw new ConfigurationError(
    "apiVersion",
    `${NAMESPACE}:apiVersion must be "v1.0" or "beta", got ${JSON.stringify(value)}; ` +
      `fix it with \`pulumi config set ${NAMESPACE}:apiVersion v1.0\` or unset M365_BACKUP_API_VERSION`,
  );
}

function resolveGraphEndpoint(value: string | undefined, allowUnknown: boolean): string {
  const endpoint = requireHttpsUrl("graphEndpoint", value ?? DEFAULT_GRAPH_ENDPOINT);
  if (endpoint.pathname !== "/" || endpoint.search !== "" || endpoint.hash !== "" || endpoint.username !== "") {
    throw new ConfigurationError(
      "graphEndpoint",
      `${NAMESPACE}:graphEndpoint must be a bare origin such as https://graph.microsoft.com (no path, query or user info)`,
    );
  }
  if (!allowUnknown && !KNOWN_GRAPH_HOSTS.includes(endpoint.hostname) && !isLoopbackHost(endpoint.hostname)) {
    throw new ConfigurationError(
      "graphEndpoint",
      `${NAMESPACE}:graphEndpoint host ${endpoint.hostname} is not a Microsoft Graph cloud (${KNOWN_GRAPH_HOSTS.join(", ")}) ` +
        `nor a loopback address; tokens would be sent to it. If that is intended, set ` +
        `\`pulumi config set ${NAMESPACE}:allowUnknownGraphEndpoint true\``,
    );
  }
  return endpoint.origin;
}

/** True for 127.0.0.0/8, localhost and ::1, where the local emulator listens. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

function requireHttpsUrl(key: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(key, `${NAMESPACE}:${key} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "https:") {
    throw new ConfigurationError(
      key,
      `${NAMESPACE}:${key} must use https (tokens never travel over plain http), got ${url.protocol}//${url.host}`,
    );
  }
  return url;
}

type Read = (key: string) => string | undefined;
type ReadFlag = (key: string) => boolean;

function resolveCredentials(read: Read, readFlag: ReadFlag): Credentials {
  const token = read("accessToken");
  if (token !== undefined) return { kind: "accessToken", token };

  const explicit = (["useOidc", "useMsi", "useCli"] as const).filter(readFlag);
  if (explicit.length > 1) {
    throw new ConfigurationError(
      explicit[1],
      `only one of ${NAMESPACE}:useOidc, useMsi and useCli may be true; found ${explicit.join(" and ")}`,
    );
  }
  const tenantId = read("tenantId");
  const clientId = read("clientId");
  const chosen = explicitCredentials(explicit[0], read, tenantId, clientId);
  if (chosen !== undefined) return chosen;

  const certificatePath = read("clientCertificatePath");
  if (certificatePath) {
    const certificatePassword = read("clientCertificatePassword");
    return {
      kind: "clientCertificate",
      tenantId: required("tenantId", tenantId, "clientCertificatePath"),
      clientId: required("clientId", clientId, "clientCertificatePath"),
      certificatePath,
      ...(certificatePassword !== undefined ? { certificatePassword } : {}),
    };
  }
  const clientSecret = read("clientSecret");
  if (clientSecret) {
    return {
      kind: "clientSecret",
      tenantId: required("tenantId", tenantId, "clientSecret"),
      clientId: required("clientId", clientId, "clientSecret"),
      clientSecret,
    };
  }
  return { kind: "default", ...(tenantId !== undefined ? { tenantId } : {}), ...(clientId !== undefined ? { clientId } : {}) };
}

/** The credentials an explicit `useOidc`, `useMsi` or `useCli` flag selects. */
function explicitCredentials(
  flag: string | undefined,
  read: Read,
  tenantId: string | undefined,
  clientId: string | undefined,
): Credentials | undefined {
  switch (flag) {
    case "useOidc": {
      const oidcToken = read("oidcToken");
      const tokenFilePath = read("oidcTokenFilePath");
      return {
        kind: "oidc",
        tenantId: required("tenantId", tenantId, "useOidc"),
        clientId: required("clientId", clientId, "useOidc"),
        ...(oidcToken !== undefined ? { token: oidcToken } : {}),
        ...(tokenFilePath !== undefined ? { tokenFilePath } : {}),
      };
    }
    case "useMsi":
      return { kind: "msi", ...(clientId !== undefined ? { clientId } : {}) };
    case "useCli":
      return { kind: "cli", ...(tenantId !== undefined ? { tenantId } : {}) };
  }
  return undefined;
}

function required(key: string, value: string | undefined, because: string): string {
  if (value !== undefined) return value;
  const variables = ENVIRONMENT_FALLBACKS[key]?.join(" or ");
  throw new ConfigurationError(
    key,
    `${NAMESPACE}:${key} is required when ${because} is set; set it with \`pulumi config set ${NAMESPACE}:${key} <value>\` or ${variables}`,
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
