/**
 * The emulator's sign-in authority: a Microsoft Entra ID look-alike that issues and checks Graph
 * access tokens for registered applications.
 *
 * It answers what MSAL (inside `@azure/identity`) asks for when `authorityHost` points at the
 * emulator: instance discovery, the tenant's openid-configuration, its JWKS and the v2.0 token
 * endpoint (client secret, certificate assertion and federated assertion flows). Errors follow
 * Entra's JSON shape and never repeat a secret or an assertion.
 *
 * Every token is distinct (its own `uti`), so a client that gets the same token twice got it from a
 * cache. Tokens can be revoked per application, as a password reset or a disabled app does; with
 * Continuous Access Evaluation (the client declared `cp1`) Graph then answers with a claims challenge.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomUUID, sign, timingSafeEqual, verify, X509Certificate } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { decodeJwt, jwtVerify } from "jose";

/** Every BackupRestore application role the emulator knows; the default for registered apps. */
export const ALL_BACKUP_ROLES: string[] = [
  "BackupRestore-Restore.ReadWrite.All",
  "BackupRestore-Restore.Read.All",
  "BackupRestore-Search.Read.All",
  "BackupRestore-Configuration.Read.All",
  "BackupRestore-Configuration.ReadWrite.All",
  "BackupRestore-Control.Read.All",
];

/** An application that may sign in, with the credentials the token endpoint accepts for it. */
export interface AppRegistration {
  clientId: string;
  displayName: string;
  clientSecret?: string;
  certificatePem?: string;
  federated?: { issuer: string; subject: string; audience?: string; publicKeyPem: string }[];
  roles?: string[];
  /**
   * Tokens stand for a signed-in user acting through the app (`idtyp: "user"`), as in a delegated
   * flow; Graph shows some properties (site protection units' siteWebUrl) only to such callers.
   */
  delegated?: boolean;
}

/** The application identity a valid bearer token stands for. */
export interface Caller {
  appId: string;
  displayName: string;
  tenantId: string;
  roles: string[];
  /** Set (true) only for a delegated (user) token. */
  delegated?: boolean;
}

const GRAPH_AUDIENCE = "https://graph.microsoft.com";
// Graph's well-known application id; `<id>/.default` is a valid scope for the same resource.
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const DEFAULT_FEDERATED_AUDIENCE = "api://AzureADTokenExchange";
const DEFAULT_LIFETIME_SECONDS = 3600;
/** What Graph sends with every 401. */
const BEARER_CHALLENGE = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"';
/** The client capability that declares Continuous Access Evaluation support. */
const CAE_CAPABILITY = "cp1";
const ASSERTION_CLOCK_TOLERANCE_SECONDS = 300;

type AadErrorCode =
  "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "invalid_scope" | "unsupported_grant_type";

/** A refusal from the token endpoint, carried to the one place that renders it. */
class AadError {
  constructor(
    readonly status: 400 | 401,
    readonly error: AadErrorCode,
    readonly aadsts: number,
    readonly description: string,
  ) {}
}

/** How `revokeTokens` refuses the tokens it revokes. */
export interface RevokeOptions {
  /**
   * Continuous Access Evaluation: Graph answers a revoked token whose client declared `cp1` with
   * `WWW-Authenticate: Bearer ..., error="insufficient_claims", claims="<base64>"` instead of a
   * plain 401; the claims ask for a token issued after the revocation.
   */
  claimsChallenge?: boolean;
}

/** A revoked token: when, and whether Graph challenges it with claims. */
interface Revocation {
  atSeconds: number;
  claimsChallenge: boolean;
}

/** Issues, serves and verifies the emulator tenant's tokens. */
export class Authority {
  private readonly tenantId: string;
  private readonly baseUrl: () => string;
  private readonly apps = new Map<string, AppRegistration>();
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly keyId: string;
  private readonly lifetimeSeconds: number;
  /** Token ids (`uti`) issued per client id (lower case) and not revoked yet. */
  private readonly issued = new Map<string, string[]>();
  private readonly revoked = new Map<string, Revocation>();

  /**
   * `signingKey` (an RSA private key) keeps tokens valid across restarts; by default a new key is
   * generated. `tokenLifetimeSeconds` (default 3600) is the lifetime of the tokens it issues.
   */
  constructor(opts: { tenantId: string; baseUrl: () => string; signingKey?: KeyObject; tokenLifetimeSeconds?: number }) {
    const lifetime = opts.tokenLifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
    if (!Number.isInteger(lifetime) || lifetime <= 0)
      throw new RangeError("tokenLifetimeSeconds must be a positive whole number of seconds");
    this.lifetimeSeconds = lifetime;
    this.tenantId = opts.tenantId;
    this.baseUrl = opts.baseUrl;
    this.privateKey = opts.signingKey ?? generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    this.publicKey = createPublicKey(this.privateKey);
    const spki = this.publicKey.export({ type: "spki", format: "der" });
    this.keyId = base64url(createHash("sha256").update(spki).digest()).slice(0, 27);
  }

  /** Adds (or replaces) an application that may obtain tokens. */
  register(app: AppRegistration): void {
    this.apps.set(app.clientId.toLowerCase(), app);
  }

  /** Signs a Graph access token for a registered application; throws for an unknown client id. */
  issueToken(clientId: string, roles?: string[], lifetimeSeconds = this.lifetimeSeconds): string {
    return this.sign(this.registered(clientId, "issueToken"), { roles, lifetimeSeconds, capabilities: [] });
  }

  /**
   * Revokes every token issued so far to an application (by this instance: revocations are not
   * persisted): Graph refuses them with 401 from now on; tokens issued later are valid.
   */
  revokeTokens(clientId: string, options: RevokeOptions = {}): void {
    const key = this.registered(clientId, "revokeTokens").clientId.toLowerCase();
    const revocation = { atSeconds: Math.floor(Date.now() / 1000), claimsChallenge: options.claimsChallenge === true };
    for (const uti of this.issued.get(key) ?? []) this.revoked.set(uti, revocation);
    this.issued.delete(key);
  }

  /** Returns the caller behind an `Authorization` header, or undefined unless it is a valid, unexpired, unrevoked token of this tenant for Graph. */
  verifyBearer(authorization: string | null): Caller | undefined {
    const claims = this.signedClaims(authorization);
    if (!claims) return undefined;
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== "number" || claims.exp <= now) return undefined;
    if (typeof claims.nbf === "number" && claims.nbf > now) return undefined;
    if (claims.aud !== GRAPH_AUDIENCE || claims.iss !== this.accessTokenIssuer() || claims.tid !== this.tenantId) return undefined;
    if (typeof claims.appid !== "string" || !Array.isArray(claims.roles)) return undefined;
    if (typeof claims.uti !== "string" || this.revoked.has(claims.uti)) return undefined;
    return {
      appId: claims.appid,
      displayName: typeof claims.app_displayname === "string" ? claims.app_displayname : "",
      tenantId: this.tenantId,
      roles: claims.roles.filter((role): role is string => typeof role === "string"),
      ...(claims.idtyp === "user" ? { delegated: true } : {}),
    };
  }

  /**
   * The `WWW-Authenticate` value of a 401 for this `Authorization` header: a claims challenge for a
   * token revoked with `claimsChallenge` whose client declared `cp1` (as Graph does), else the plain one.
   */
  challenge(authorization: string | null): string {
    const claims = this.signedClaims(authorization);
    const revocation = typeof claims?.uti === "string" ? this.revoked.get(claims.uti) : undefined;
    const capable = Array.isArray(claims?.xms_cc) && claims.xms_cc.includes(CAE_CAPABILITY);
    if (!revocation?.claimsChallenge || !capable) return BEARER_CHALLENGE;
    const demand = { access_token: { nbf: { essential: true, value: String(revocation.atSeconds) } } };
    const encoded = Buffer.from(JSON.stringify(demand)).toString("base64");
    return `${BEARER_CHALLENGE}, client_id="${GRAPH_APP_ID}", error="insufficient_claims", claims="${encoded}"`;
  }

  /** The claims of a bearer token this authority signed, whatever its validity; undefined for anything else. */
  private signedClaims(authorization: string | null): Record<string, unknown> | undefined {
    const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(authorization?.trim() ?? "");
    if (!match) return undefined;
    const [, headerPart, payloadPart, signaturePart] = match;
    const header = parseJsonPart(headerPart);
    const claims = parseJsonPart(payloadPart);
    if (!header || !claims || header.alg !== "RS256" || header.kid !== this.keyId) return undefined;
    const signatureValid = verify(
      "sha256",
      Buffer.from(`${headerPart}.${payloadPart}`),
      this.publicKey,
      Buffer.from(signaturePart, "base64url"),
    );
    return signatureValid ? claims : undefined;
  }

  private registered(clientId: string, caller: string): AppRegistration {
    const app = this.apps.get(clientId.toLowerCase());
    if (!app) throw new Error(`Authority.${caller}: no application registered with client id '${clientId}'`);
    return app;
  }

  private sign(app: AppRegistration, opts: { roles: string[] | undefined; lifetimeSeconds: number; capabilities: string[] }): string {
    const now = Math.floor(Date.now() / 1000);
    const uti = randomUUID();
    const claims = {
      aud: GRAPH_AUDIENCE,
      iss: this.accessTokenIssuer(),
      iat: now,
      nbf: now,
      exp: now + opts.lifetimeSeconds,
      tid: this.tenantId,
      appid: app.clientId,
      app_displayname: app.displayName,
      idtyp: app.delegated ? "user" : "app",
      roles: opts.roles ?? app.roles ?? ALL_BACKUP_ROLES,
      sub: app.clientId,
      uti,
      ver: "1.0",
      ...(opts.capabilities.length > 0 ? { xms_cc: opts.capabilities } : {}),
    };
    const key = app.clientId.toLowerCase();
    const issued = this.issued.get(key) ?? [];
    issued.push(uti);
    this.issued.set(key, issued);
    // Signed with node:crypto rather than jose because this method (like verifyBearer) is synchronous.
    const signingInput = `${base64urlJson({ typ: "JWT", alg: "RS256", kid: this.keyId })}.${base64urlJson(claims)}`;
    return `${signingInput}.${base64url(sign("sha256", Buffer.from(signingInput), this.privateKey))}`;
  }

  /** Answers the token, discovery and key endpoints; undefined for any other path. */
  async handle(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    const segments = url.pathname.split("/").filter((s) => s.length > 0);
    const route = segments.slice(1).join("/");
    const tenant = segments[0];
    if (tenant === undefined) return undefined;
    if (request.method === "GET" && route === "discovery/instance") return this.instanceDiscovery(url);
    if (request.method === "GET" && (route === "v2.0/.well-known/openid-configuration" || route === ".well-known/openid-configuration")) {
      return this.isOurTenant(tenant) ? json(200, this.openIdConfiguration()) : this.errorResponse(request, unknownTenant(tenant));
    }
    if (request.method === "GET" && route === "discovery/v2.0/keys") return json(200, this.jwks());
    if (route === "oauth2/v2.0/token") {
      if (request.method !== "POST")
        return json(405, { error: "invalid_request", error_description: "The token endpoint accepts POST only." });
      return this.tokenEndpoint(request, tenant);
    }
    return undefined;
  }

  private async tokenEndpoint(request: Request, tenant: string): Promise<Response> {
    try {
      if (!this.isOurTenant(tenant)) throw unknownTenant(tenant);
      const form = new URLSearchParams(await request.text());
      const app = await this.authenticateClient(form, tenant);
      const capabilities = requestedCapabilities(form.get("claims"));
      const lifetime = this.lifetimeSeconds;
      return json(200, {
        token_type: "Bearer",
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: this.sign(app, { roles: undefined, lifetimeSeconds: lifetime, capabilities }),
      });
    } catch (error) {
      if (error instanceof AadError) return this.errorResponse(request, error);
      throw error;
    }
  }

  /** Checks grant, scope and client credentials in Entra's order, and returns the signed-in app. */
  private async authenticateClient(form: URLSearchParams, tenant: string): Promise<AppRegistration> {
    const grantType = form.get("grant_type");
    if (!grantType) throw missingParameter("grant_type");
    if (grantType !== "client_credentials") {
      throw new AadError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`);
    }
    const clientId = form.get("client_id");
    const assertion = form.get("client_assertion");
    const assertionType = form.get("client_assertion_type");
    // MSAL may leave client_id out of assertion requests; the certificate assertion names the client.
    const assertionClaims = assertion ? decodeAssertion(assertion) : undefined;
    const effectiveClientId = clientId ?? (typeof assertionClaims?.sub === "string" ? assertionClaims.sub : undefined);
    if (!effectiveClientId) throw missingParameter("client_id");
    checkScope(form.get("scope"), new URL(this.baseUrl()).host);
    const app = this.apps.get(effectiveClientId.toLowerCase());
    if (!app) {
      throw new AadError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${effectiveClientId}' was not found in the directory '${tenant}'.`,
      );
    }
    const secret = form.get("client_secret");
    if (secret !== null) {
      if (!app.clientSecret || !sameSecret(secret, app.clientSecret)) {
        throw new AadError(
          401,
          "invalid_client",
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
        );
      }
      return app;
    }
    if (assertion === null) {
      throw new AadError(
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    if (assertionType !== JWT_BEARER) {
      throw new AadError(400, "invalid_request", 7000219, `'client_assertion_type' must be '${JWT_BEARER}'.`);
    }
    if (!assertionClaims) throw new AadError(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
    if (assertionClaims.iss === app.clientId && assertionClaims.sub === app.clientId) {
      await this.verifyCertificateAssertion(app, assertion);
    } else {
      await verifyFederatedAssertion(app, assertion, assertionClaims);
    }
    return app;
  }

  private async verifyCertificateAssertion(app: AppRegistration, assertion: string): Promise<void> {
    if (!app.certificatePem) {
      throw new AadError(
        401,
        "invalid_client",
        700027,
        "Client assertion failed signature validation: no certificate is registered for the application.",
      );
    }
    const key = new X509Certificate(app.certificatePem).publicKey;
    try {
      await jwtVerify(assertion, key, {
        audience: this.tokenEndpointUrls(),
        issuer: app.clientId,
        subject: app.clientId,
        clockTolerance: ASSERTION_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp"],
      });
    } catch (error) {
      throw assertionFailure(error);
    }
  }

  private tokenEndpointUrls(): string[] {
    // Entra accepts either its token endpoint (what MSAL puts in `aud`) or its v2.0 issuer.
    return [`${this.baseUrl()}/${this.tenantId}/oauth2/v2.0/token`, `${this.baseUrl()}/${this.tenantId}/v2.0`];
  }

  private accessTokenIssuer(): string {
    return `https://sts.windows.net/${this.tenantId}/`;
  }

  private isOurTenant(tenant: string): boolean {
    return tenant.toLowerCase() === this.tenantId.toLowerCase();
  }

  private openIdConfiguration(): Record<string, unknown> {
    const tenantBase = `${this.baseUrl()}/${this.tenantId}`;
    return {
      token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${tenantBase}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${tenantBase}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${tenantBase}/openid/userinfo`,
      authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${tenantBase}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${tenantBase}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "tid", "ver", "roles", "appid"],
      tenant_region_scope: "EU",
      cloud_instance_name: new URL(this.baseUrl()).host,
      cloud_graph_host_name: "graph.microsoft.com",
      msgraph_host: "graph.microsoft.com",
    };
  }

  private instanceDiscovery(url: URL): Response {
    const host = new URL(this.baseUrl()).host;
    return json(200, {
      tenant_discovery_endpoint: `${this.baseUrl()}/${this.tenantId}/v2.0/.well-known/openid-configuration`,
      "api-version": url.searchParams.get("api-version") ?? "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }

  private jwks(): Record<string, unknown> {
    const jwk = this.publicKey.export({ format: "jwk" });
    return { keys: [{ kty: jwk.kty, use: "sig", kid: this.keyId, alg: "RS256", n: jwk.n, e: jwk.e, issuer: this.accessTokenIssuer() }] };
  }

  private errorResponse(request: Request, error: AadError): Response {
    const traceId = randomUUID();
    const correlationId = request.headers.get("client-request-id") ?? randomUUID();
    const timestamp = new Date()
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, "Z");
    return json(error.status, {
      error: error.error,
      error_description: `AADSTS${error.aadsts}: ${error.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [error.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    });
  }
}

/**
 * Accepts only `/.default` on the Graph resource: graph.microsoft.com, Graph's app id, or the
 * emulator's own host (a client pointed at the emulator as its Graph endpoint derives the scope from it).
 */
function checkScope(scope: string | null, emulatorHost: string): void {
  if (!scope) throw missingParameter("scope");
  const scopes = scope.split(" ").filter((s) => s.length > 0 && !["openid", "profile", "offline_access"].includes(s));
  const isGraphDefault = (s: string) => {
    if (!s.endsWith("/.default")) return false;
    const resource = s.slice(0, -"/.default".length).replace(/\/+$/, "").toLowerCase();
    if (resource === GRAPH_APP_ID) return true;
    try {
      const parsed = new URL(resource);
      const graphHost = parsed.host === "graph.microsoft.com" || parsed.host === emulatorHost.toLowerCase();
      return parsed.protocol === "https:" && graphHost && (parsed.pathname === "/" || parsed.pathname === "");
    } catch {
      return false;
    }
  };
  if (scopes.length !== 1 || !isGraphDefault(scopes[0])) {
    throw new AadError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI) of https://graph.microsoft.com.`,
    );
  }
}

/**
 * The client capabilities a token request's `claims` parameter declares (`access_token.xms_cc`),
 * which the token then carries. Other demands are met as they stand: a challenge's `nbf` asks for
 * a token issued after a revocation, and every token is issued now.
 */
function requestedCapabilities(claims: string | null): string[] {
  if (claims === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(claims);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AadError(400, "invalid_request", 90100, "The 'claims' parameter is not a valid JSON object.");
  }
  const values = (parsed as { access_token?: { xms_cc?: { values?: unknown } } }).access_token?.xms_cc?.values;
  return Array.isArray(values)
    ? values.filter((value): value is string => typeof value === "string").map((value) => value.toLowerCase())
    : [];
}

async function verifyFederatedAssertion(app: AppRegistration, assertion: string, claims: Record<string, unknown>): Promise<void> {
  const candidates = (app.federated ?? []).filter((f) => f.issuer === claims.iss && f.subject === claims.sub);
  // Two federated credentials may share issuer and subject; it fails only when none of them verifies.
  let lastFailure: unknown;
  for (const candidate of candidates) {
    try {
      await jwtVerify(assertion, createPublicKey(candidate.publicKeyPem), {
        issuer: candidate.issuer,
        subject: candidate.subject,
        audience: candidate.audience ?? DEFAULT_FEDERATED_AUDIENCE,
        clockTolerance: ASSERTION_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp"],
      });
      return;
    } catch (error) {
      lastFailure = error;
    }
  }
  if (candidates.length > 0) throw assertionFailure(lastFailure);
  throw new AadError(
    400,
    "invalid_client",
    70021,
    `No matching federated identity record found for presented assertion issuer '${String(claims.iss)}' and subject '${String(claims.sub)}'.`,
  );
}

function decodeAssertion(assertion: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(assertion);
  } catch {
    return undefined;
  }
}

/** Maps a jose verification failure to Entra's code; the message names the failed check, never the assertion. */
function assertionFailure(error: unknown): AadError {
  const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
  const claim = typeof error === "object" && error !== null && "claim" in error ? String((error as { claim: unknown }).claim) : "";
  if (code === "ERR_JWT_EXPIRED")
    return new AadError(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
  if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED" && claim === "aud") {
    return new AadError(401, "invalid_client", 700212, "Client assertion audience claim does not match the expected audience.");
  }
  if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED") {
    return new AadError(401, "invalid_client", 700023, `Client assertion claim '${claim}' is not valid.`);
  }
  return new AadError(401, "invalid_client", 700027, "Client assertion failed signature validation.");
}

function unknownTenant(tenant: string): AadError {
  return new AadError(400, "invalid_request", 90002, `Tenant '${tenant}' not found.`);
}

function missingParameter(name: string): AadError {
  return new AadError(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);
}

/** Compares secrets in constant time (hashing first so the lengths match). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store, no-cache" },
  });
}

function base64url(data: Buffer): string {
  return data.toString("base64url");
}

function base64urlJson(value: unknown): string {
  return base64url(Buffer.from(JSON.stringify(value)));
}

function parseJsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
