import { readFile } from "node:fs/promises";
import type { TokenCredential } from "@azure/identity";
import type { Credentials } from "../config";
import { CredentialError } from "./credential-error";

type Identity = typeof import("@azure/identity");

/** GitHub's audience for Microsoft Entra workload identity federation. */
const GITHUB_OIDC_AUDIENCE = "api://AzureADTokenExchange";

/** What `createCredential` may read at call time. */
export interface CredentialContext {
  authorityHost?: string;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
}

/**
 * Builds the @azure/identity credential for the configured sign-in. `@azure/identity` is required
 * here, not at the top, because it is slow to load and the provider host's cold start matters.
 */
export function createCredential(credentials: Exclude<Credentials, { kind: "accessToken" }>, context: CredentialContext): TokenCredential {
  const identity = require("@azure/identity") as Identity;
  // A custom authority (the local emulator, a sovereign cloud) has no instance-discovery metadata.
  const authority = context.authorityHost === undefined ? {} : { authorityHost: context.authorityHost, disableInstanceDiscovery: true };
  switch (credentials.kind) {
    case "clientSecret":
      return new identity.ClientSecretCredential(credentials.tenantId, credentials.clientId, credentials.clientSecret, authority);
    case "clientCertificate":
      return new identity.ClientCertificateCredential(
        credentials.tenantId,
        credentials.clientId,
        {
          certificatePath: credentials.certificatePath,
          ...(credentials.certificatePassword !== undefined ? { certificatePassword: credentials.certificatePassword } : {}),
        },
        authority,
      );
    case "oidc":
      return new identity.ClientAssertionCredential(
        credentials.tenantId,
        credentials.clientId,
        oidcAssertion(credentials, context),
        authority,
      );
    case "msi":
      return new identity.ManagedIdentityCredential(credentials.clientId !== undefined ? { clientId: credentials.clientId } : {});
    case "cli":
      return new identity.AzureCliCredential(credentials.tenantId !== undefined ? { tenantId: credentials.tenantId } : {});
    case "default":
      return new identity.DefaultAzureCredential({
        ...authority,
        ...(credentials.tenantId !== undefined ? { tenantId: credentials.tenantId } : {}),
        ...(credentials.clientId !== undefined ? { managedIdentityClientId: credentials.clientId } : {}),
      });
  }
}

/** The federated token to exchange: given inline, read from a file each time, or fetched from GitHub Actions. */
function oidcAssertion(credentials: Extract<Credentials, { kind: "oidc" }>, context: CredentialContext): () => Promise<string> {
  const { token, tokenFilePath } = credentials;
  if (token !== undefined) return async () => token;
  // Re-read on every exchange: workload identity rotates the file's token.
  if (tokenFilePath !== undefined) return async () => (await readFile(tokenFilePath, "utf8")).trim();
  return () => gitHubActionsOidcToken(context.env, context.fetch);
}

/** Fetches a GitHub Actions OIDC token for Microsoft Entra from the runner's token service. */
export async function gitHubActionsOidcToken(env: NodeJS.ProcessEnv, fetchImpl: typeof fetch): Promise<string> {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) {
    throw new CredentialError(
      "useOidc is set but no oidcToken (ARM_OIDC_TOKEN) or oidcTokenFilePath (ARM_OIDC_TOKEN_FILE_PATH, AZURE_FEDERATED_TOKEN_FILE) " +
        "is given and ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set " +
        "(in GitHub Actions, grant the job `permissions: id-token: write`)",
    );
  }
  const url = new URL(requestUrl);
  url.searchParams.set("audience", GITHUB_OIDC_AUDIENCE);
  const response = await fetchImpl(url.toString(), { headers: { Authorization: `Bearer ${requestToken}`, Accept: "application/json" } });
  if (!response.ok) throw new CredentialError(`the GitHub Actions OIDC token request failed with HTTP ${response.status}`);
  const body = (await response.json()) as { value?: unknown };
  if (typeof body.value !== "string" || body.value === "")
    throw new CredentialError("the GitHub Actions OIDC token response has no `value`");
  return body.value;
}

/** A sentence saying which sign-in failed, and for the default chain everything that was tried. */
export function describeCredentialFailure(credentials: Credentials, reason: string): string {
  switch (credentials.kind) {
    case "default":
      return (
        "no Microsoft Graph credentials are configured and the Azure default credential chain found none. Tried, in order: " +
        "m365-backup:accessToken (M365_BACKUP_ACCESS_TOKEN); m365-backup:useOidc / useMsi / useCli (ARM_USE_OIDC, ARM_USE_MSI, ARM_USE_CLI); " +
        "m365-backup:clientCertificatePath (ARM_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_CERTIFICATE_PATH); " +
        "m365-backup:clientSecret (ARM_CLIENT_SECRET, AZURE_CLIENT_SECRET); then DefaultAzureCredential " +
        "(environment, workload identity, managed identity, Azure CLI, Azure Developer CLI, Azure PowerShell), which said: " +
        reason
      );
    case "accessToken":
      return `the configured access token was rejected: ${reason}`;
    default:
      return `signing in to Microsoft Entra ID with ${credentials.kind} credentials failed: ${reason}`;
  }
}
