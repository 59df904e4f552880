import { ConfigurationError, isLoopbackHost, parseFlag, resolveSettings, type ConfigSource } from "../../provider/config";

function config(values: Record<string, string>): ConfigSource {
  return { get: (key) => values[key] };
}

function errorOf(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

describe("resolveSettings", () => {
  it("defaults to the global Graph cloud, v1.0 and the Azure default credential chain", () => {
    expect(resolveSettings(config({}), {})).toEqual({
      graphEndpoint: "https://graph.microsoft.com",
      apiVersion: "v1.0",
      credentials: { kind: "default" },
      debug: false,
    });
  });

  // key, config value, ARM_* value, AZURE_* value, expected winner
  const precedence: [string, string, string, string | undefined, string | undefined, string][] = [
    ["tenantId", "ARM_TENANT_ID", "AZURE_TENANT_ID", "t-config", "t-arm", "t-config"],
    ["tenantId", "ARM_TENANT_ID", "AZURE_TENANT_ID", undefined, "t-arm", "t-arm"],
    ["tenantId", "ARM_TENANT_ID", "AZURE_TENANT_ID", undefined, undefined, "t-azure"],
    ["clientId", "ARM_CLIENT_ID", "AZURE_CLIENT_ID", "c-config", "c-arm", "c-config"],
    ["clientId", "ARM_CLIENT_ID", "AZURE_CLIENT_ID", undefined, "c-arm", "c-arm"],
    ["clientId", "ARM_CLIENT_ID", "AZURE_CLIENT_ID", undefined, undefined, "c-azure"],
  ];
  it.each(precedence)("%s: config beats %s beats %s (config=%s, arm=%s)", (key, armVar, azureVar, fromConfig, fromArm, winner) => {
    const env: NodeJS.ProcessEnv = { [azureVar]: key === "tenantId" ? "t-azure" : "c-azure" };
    if (fromArm !== undefined) env[armVar] = fromArm;
    const values: Record<string, string> = {};
    if (fromConfig !== undefined) values[`m365-backup:${key}`] = fromConfig;
    const settings = resolveSettings(config(values), env);
    expect(settings.credentials).toEqual({ kind: "default", [key]: winner });
  });

  it("reads client secret credentials from ARM_* with AZURE_* as the fallback", () => {
    const settings = resolveSettings(config({}), {
      ARM_TENANT_ID: "tenant",
      AZURE_CLIENT_ID: "client",
      AZURE_CLIENT_SECRET: "azure-secret",
      ARM_CLIENT_SECRET: "arm-secret",
    });
    expect(settings.credentials).toEqual({ kind: "clientSecret", tenantId: "tenant", clientId: "client", clientSecret: "arm-secret" });
  });

  it("reads only the m365-backup namespace: the program's own keys (what a bare key means in the host) are ignored", () => {
    // The host's config object, as in @pulumi/pulumi/cmd/dynamic-provider/config.js: a bare key means `<project>:<key>`.
    const hostConfig = (raw: Record<string, string>): ConfigSource => ({ get: (key) => raw[key.includes(":") ? key : `program:${key}`] });
    const decoys = {
      "program:accessToken": "decoy-token",
      "program:graphEndpoint": "https://127.0.0.9",
      "program:clientSecret": "decoy-secret",
      "program:tenantId": "decoy-tenant",
      "program:debug": "true",
    };
    expect(
      resolveSettings(hostConfig({ ...decoys, "m365-backup:clientId": "client" }), {
        ARM_TENANT_ID: "tenant",
        ARM_CLIENT_SECRET: "secret",
      }),
    ).toEqual({
      graphEndpoint: "https://graph.microsoft.com",
      apiVersion: "v1.0",
      credentials: { kind: "clientSecret", tenantId: "tenant", clientId: "client", clientSecret: "secret" },
      debug: false,
    });
    expect(resolveSettings(hostConfig(decoys), {})).toEqual(resolveSettings(config({}), {}));
  });

  it("prefers a ready access token over everything else, from M365_BACKUP_ACCESS_TOKEN", () => {
    const settings = resolveSettings(config({}), {
      M365_BACKUP_ACCESS_TOKEN: "eyJ.token",
      ARM_CLIENT_SECRET: "s",
      ARM_TENANT_ID: "t",
      ARM_CLIENT_ID: "c",
    });
    expect(settings.credentials).toEqual({ kind: "accessToken", token: "eyJ.token" });
  });

  it("selects certificate, oidc, msi and cli credentials", () => {
    expect(
      resolveSettings(config({}), {
        ARM_TENANT_ID: "t",
        ARM_CLIENT_ID: "c",
        ARM_CLIENT_CERTIFICATE_PATH: "/c.pem",
        AZURE_CLIENT_CERTIFICATE_PASSWORD: "pw",
      }).credentials,
    ).toEqual({
      kind: "clientCertificate",
      tenantId: "t",
      clientId: "c",
      certificatePath: "/c.pem",
      certificatePassword: "pw",
    });
    expect(
      resolveSettings(config({ "m365-backup:useOidc": "true" }), {
        ARM_TENANT_ID: "t",
        ARM_CLIENT_ID: "c",
        AZURE_FEDERATED_TOKEN_FILE: "/var/token",
      }).credentials,
    ).toEqual({
      kind: "oidc",
      tenantId: "t",
      clientId: "c",
      tokenFilePath: "/var/token",
    });
    expect(
      resolveSettings(config({}), { ARM_USE_OIDC: "TRUE", ARM_TENANT_ID: "t", ARM_CLIENT_ID: "c", ARM_OIDC_TOKEN: "jwt" }).credentials,
    ).toEqual({
      kind: "oidc",
      tenantId: "t",
      clientId: "c",
      token: "jwt",
    });
    expect(
      resolveSettings(config({ "m365-backup:useMsi": "1" }), { ARM_CLIENT_ID: "mi", ARM_CLIENT_SECRET: "ignored" }).credentials,
    ).toEqual({ kind: "msi", clientId: "mi" });
    expect(resolveSettings(config({ "m365-backup:useCli": "true" }), { ARM_TENANT_ID: "t" }).credentials).toEqual({
      kind: "cli",
      tenantId: "t",
    });
  });

  it("reads graphEndpoint, apiVersion and authorityHost from their variables", () => {
    expect(
      resolveSettings(config({}), {
        M365_BACKUP_GRAPH_ENDPOINT: "https://127.0.0.1:8443/",
        M365_BACKUP_API_VERSION: "beta",
        AZURE_AUTHORITY_HOST: "https://127.0.0.1:8443/",
      }),
    ).toEqual({
      graphEndpoint: "https://127.0.0.1:8443",
      apiVersion: "beta",
      authorityHost: "https://127.0.0.1:8443",
      credentials: { kind: "default" },
      debug: false,
    });
  });

  it("rejects a bad apiVersion naming the key and the fix", () => {
    const error = errorOf(() => resolveSettings(config({ "m365-backup:apiVersion": "v2" }), {}));
    expect(error.key).toBe("apiVersion");
    expect(error.message).toBe(
      'm365-backup:apiVersion must be "v1.0" or "beta", got "v2"; fix it with `pulumi config set m365-backup:apiVersion v1.0` or unset M365_BACKUP_API_VERSION',
    );
  });

  it("rejects a plain-http Graph endpoint", () => {
    const error = errorOf(() => resolveSettings(config({ "m365-backup:graphEndpoint": "http://127.0.0.1:8080" }), {}));
    expect(error.key).toBe("graphEndpoint");
    expect(error.message).toBe("m365-backup:graphEndpoint must use https (tokens never travel over plain http), got http://127.0.0.1:8080");
  });

  it("accepts the national clouds and loopback, refuses other hosts unless allowUnknownGraphEndpoint is true", () => {
    for (const host of [
      "graph.microsoft.us",
      "dod-graph.microsoft.us",
      "microsoftgraph.chinacloudapi.cn",
      "localhost:9443",
      "127.8.9.10",
      "[::1]:8443",
    ]) {
      expect(resolveSettings(config({ "m365-backup:graphEndpoint": `https://${host}` }), {}).graphEndpoint).toBe(`https://${host}`);
    }
    const error = errorOf(() => resolveSettings(config({ "m365-backup:graphEndpoint": "https://graph.example.net" }), {}));
    expect(error.key).toBe("graphEndpoint");
    expect(error.message).toContain("allowUnknownGraphEndpoint true");
    expect(
      resolveSettings(
        config({ "m365-backup:graphEndpoint": "https://graph.example.net", "m365-backup:allowUnknownGraphEndpoint": "true" }),
        {},
      ).graphEndpoint,
    ).toBe("https://graph.example.net");
  });

  it("refuses a Graph endpoint with a path", () => {
    expect(errorOf(() => resolveSettings(config({ "m365-backup:graphEndpoint": "https://graph.microsoft.com/v1.0" }), {})).key).toBe(
      "graphEndpoint",
    );
  });

  it("names the missing key when a client secret comes without a tenant, and never echoes the secret", () => {
    const error = errorOf(() =>
      resolveSettings(config({ "m365-backup:clientSecret": "super-secret-value", "m365-backup:clientId": "c" }), {}),
    );
    expect(error.key).toBe("tenantId");
    expect(error.message).toBe(
      "m365-backup:tenantId is required when clientSecret is set; set it with `pulumi config set m365-backup:tenantId <value>` or ARM_TENANT_ID or AZURE_TENANT_ID",
    );
    expect(error.message).not.toContain("super-secret-value");
  });

  it("rejects a flag that is not a boolean, naming where it was read, and two explicit credential kinds at once", () => {
    expect(errorOf(() => resolveSettings(config({ "m365-backup:useMsi": "maybe" }), {}))).toMatchObject({
      key: "useMsi",
      message: 'm365-backup:useMsi must be true or false (or 1/0, yes/no, on/off), got "maybe"',
    });
    expect(errorOf(() => resolveSettings(config({}), { ARM_USE_OIDC: "enabled" }))).toMatchObject({
      key: "useOidc",
      message: 'ARM_USE_OIDC must be true or false (or 1/0, yes/no, on/off), got "enabled"',
    });
    expect(errorOf(() => resolveSettings(config({}), { ARM_USE_MSI: "true", ARM_USE_CLI: "true" })).key).toBe("useCli");
  });

  it("reads debug from m365-backup:debug, then M365_BACKUP_DEBUG, as a flag (0 is off)", () => {
    expect(resolveSettings(config({}), {}).debug).toBe(false);
    expect(resolveSettings(config({}), { M365_BACKUP_DEBUG: "0" }).debug).toBe(false);
    expect(resolveSettings(config({}), { M365_BACKUP_DEBUG: "1" }).debug).toBe(true);
    expect(resolveSettings(config({ "m365-backup:debug": "off" }), { M365_BACKUP_DEBUG: "1" }).debug).toBe(false);
    expect(resolveSettings(config({ "m365-backup:debug": "Yes" }), {}).debug).toBe(true);
    expect(errorOf(() => resolveSettings(config({}), { M365_BACKUP_DEBUG: "verbose" }))).toMatchObject({
      key: "debug",
      message: 'M365_BACKUP_DEBUG must be true or false (or 1/0, yes/no, on/off), got "verbose"',
    });
  });

  it("reads the retry budget and the per-request timeout in seconds, from config or M365_BACKUP_* variables", () => {
    expect(resolveSettings(config({}), {}).retry).toBeUndefined();
    expect(
      resolveSettings(config({ "m365-backup:retryBudgetSeconds": "8", "m365-backup:requestTimeoutSeconds": "1.5" }), {}).retry,
    ).toEqual({
      totalBudgetMs: 8_000,
      attemptTimeoutMs: 1_500,
    });
    expect(resolveSettings(config({}), { M365_BACKUP_RETRY_BUDGET_SECONDS: "120" }).retry).toEqual({ totalBudgetMs: 120_000 });
    expect(errorOf(() => resolveSettings(config({}), { M365_BACKUP_REQUEST_TIMEOUT_SECONDS: "never" })).message).toBe(
      'M365_BACKUP_REQUEST_TIMEOUT_SECONDS must be a positive number of seconds, got "never"',
    );
  });

  it.each(["0", "-1", "soon", "Infinity"])("rejects a retry budget of %j, naming the key", (value) => {
    const error = errorOf(() => resolveSettings(config({ "m365-backup:retryBudgetSeconds": value }), {}));
    expect([error.key, error.message]).toEqual([
      "retryBudgetSeconds",
      `m365-backup:retryBudgetSeconds must be a positive number of seconds, got ${JSON.stringify(value)}`,
    ]);
  });

  it("treats empty values as unset", () => {
    expect(resolveSettings(config({ "m365-backup:tenantId": "" }), { ARM_TENANT_ID: " ", AZURE_TENANT_ID: "t" }).credentials).toEqual({
      kind: "default",
      tenantId: "t",
    });
  });
});

describe("parseFlag", () => {
  it.each([
    ["true", true],
    ["TRUE", true],
    ["1", true],
    ["yes", true],
    [" On ", true],
    ["false", false],
    ["0", false],
    ["No", false],
    ["OFF", false],
    [undefined, undefined],
    ["", undefined],
    ["  ", undefined],
  ])("%j -> %s", (value, expected) => {
    expect(parseFlag(value, "M365_BACKUP_DEBUG")).toBe(expected);
  });

  it.each(["2", "y", "enabled", "-1", "truthy"])("refuses %j with a ConfigurationError naming the variable", (value) => {
    const error = errorOf(() => parseFlag(value, "M365_BACKUP_DEBUG"));
    expect([error.key, error.message]).toEqual([
      "M365_BACKUP_DEBUG",
      `M365_BACKUP_DEBUG must be true or false (or 1/0, yes/no, on/off), got ${JSON.stringify(value)}`,
    ]);
    expect(errorOf(() => parseFlag(value, "ARM_USE_MSI", "useMsi")).key).toBe("useMsi");
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.0.3", true],
    ["localhost", true],
    ["[::1]", true],
    ["128.0.0.1", false],
    ["127.0.0.1.example.com", false],
    ["localhost.example.com", false],
  ])("%s -> %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
