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

/** How a sign-in is named in messages, and what to do when it hands back a token Graph already refused. */
export interface SignInDescription {
  /** E.g. "the client secret sign-in (m365-backup:clientSecret)". */
  name: string;
  /** Advice when no other token can be had from it. */
  whenStuck: string;
}

/** What the MSAL-based sign-ins should never need: a fresh credential always signs in anew. */
const MSAL_STUCK =
  "it returned the same token even from a new credential; sign-in caches outside this process may hold it until it expires";

/** Every sign-in the provider can use, described for messages; `callback` is `GraphClientOptions.getToken`. */
export const SIGN_INS: Record<Credentials["kind"] | "callback", SignInDescription> = {
  accessToken: {
    name: "the m365-backup:accessToken setting (or M365_BACKUP_ACCESS_TOKEN)",
    whenStuck:
      "a fixed token cannot be refreshed; set a new one, or remove it and configure a sign-in " +
      "(m365-backup:clientSecret, clientCertificatePath, useOidc, useMsi or useCli) so the provider renews tokens itself",
  },
  clientSecret: { name: "the client secret sign-in (m365-backup:clientSecret)", whenStuck: MSAL_STUCK },
  clientCertificate: { name: "the certificate sign-in (m365-backup:clientCertificatePath)", whenStuck: MSAL_STUCK },
  oidc: { name: "the OIDC federated sign-in (m365-backup:useOidc)", whenStuck: MSAL_STUCK },
  msi: {
    name: "the managed identity sign-in (m365-backup:useMsi)",
    whenStuck: "Azure caches managed identity tokens and hands out a new one only shortly before the old one expires (within 24 hours)",
  },
  cli: {
    name: "the Azure CLI sign-in (m365-backup:useCli)",
    whenStuck: "the Azure CLI keeps handing out its cached token; sign in again with `az login`",
  },
  default: {
    name: "the Azure default credential chain (DefaultAzureCredential)",
    whenStuck:
      "the credential it found keeps handing out its cached token; for the Azure CLI sign in again with `az login`, " +
      "a managed identity hands out a new one only shortly before the old one expires",
  },
  callback: { name: "the getToken callback", whenStuck: "it returned the same token again" },
};

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
