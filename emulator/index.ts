/**
 * A local Microsoft Graph emulator for Microsoft 365 Backup Storage (`/solutions/backupRestore`):
 * restore sessions, bulk restores, restore points, protection policies, units and rules of the
 * three workloads, served over HTTPS on loopback and in process (`emulator.fetch`). Entry
 * `pulumi-m365-backup/emulator`.
 */
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { ALL_BACKUP_ROLES, Authority, type AppRegistration, type RevokeOptions } from "./auth";
import { VirtualClock } from "./clock";
import type { TenantState } from "./context";
import { Dispatcher, type IncomingRequest } from "./dispatcher";
import { FaultSet, type FaultRule, type FaultTarget } from "./faults";
import { Journal, type JournalEntry } from "./journal";
import { createSpecValidator } from "./openapi";
import { loadState, saveState } from "./persistence";
import { listen } from "./server";
import { TenantStore } from "./store";
import { createTenantApi, type SeedSite, type TenantApi } from "./tenant-api";
import { Directory } from "./tenant/directory";
import { SEED_ADMIN, SEEDED_AT, seedPolicies } from "./tenant/seed-policies";
import { loadTlsMaterial } from "./tls";

export type { AppRegistration, FaultRule, FaultTarget, IncomingRequest, JournalEntry, RevokeOptions, SeedSite };
export type { SeedGroup, SeedMailbox, SeedUser, StoredSession, TenantApi, TenantPolicy, TenantUnit } from "./tenant-api";
export type { JournalOutcome } from "./journal";
export type { ArtifactProgress, SessionProgress } from "./progress";
export type { StoredSession as StoredSessionRecord } from "./store";
export type { StoredArtifact, StoredBulkRequest, AppIdentity, ServiceStatus, StoredError, StoredPolicy, StoredUnit } from "./store";
export type { StoredRule, StoredBulkJob, StoredSearch, StoredIssue } from "./store";
export type { WorkloadName } from "../provider/workloads";
export type { BulkJobStatus, PolicyStatus, UnitStatus } from "./tenant/protection";
export type { RuleStatus } from "./tenant/rules";
export { ALL_BACKUP_ROLES };

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /** Certificate and key files; by default a self-signed certificate is generated (kept in `<statePath>.tls/` when `statePath` is set, else a temp dir). */
  tls?: { certPath: string; keyPath: string };
  /** Keep the tenant (sessions, clock, signing key) in this JSON file between runs. */
  statePath?: string;
  /** Virtual clock speed factor; default 1. */
  speed?: number;
  /** Seeded protected site count; default 12. */
  sites?: number;
  /** Seeded users, each with a OneDrive (`adele@contoso.com`, ..., `user-0009@contoso.com`); default 8. */
  users?: number;
  /** Seeded user mailboxes (beyond the user count, shared mailboxes); default the user count. Two shared mailboxes are always added. */
  mailboxes?: number;
  /** Seed one active protection policy per workload covering the seeded objects; default true (false: no policy, no restore point). */
  seedPolicies?: boolean;
  /** Virtual clock start (ISO); default the real now. Ignored when a state file supplies the clock (its speed too, unless `speed` is given). */
  now?: string;
  /** Latency added to every Graph request, in milliseconds. */
  latencyMs?: number;
  /** Lifetime of the tokens the token endpoint (and `issueToken`) issues, in real seconds; default 3600. */
  tokenLifetimeSeconds?: number;
  /**
   * Draws for `FaultRule.probability` (default `Math.random`), given the request a rule matched: a
   * seeded source makes fault injection replay exactly, keyed on the request rather than on arrival order.
   */
  random?: (request: FaultTarget) => number;
  /**
   * Called as each request arrives, before its virtual time, faults and sign-in are decided: a driver
   * can move the clock per request (deterministic time), revoke tokens mid-operation, or count requests.
   */
  onRequest?: (request: IncomingRequest) => void;
}

/** A running emulator. */
export interface Emulator {
  /** Graph base URL, e.g. `https://127.0.0.1:PORT` (`/v1.0` and `/beta` under it; also the `authorityHost`). */
  url: string;
  /** PEM file to trust through `NODE_EXTRA_CA_CERTS`. */
  caPath: string;
  /** The demo tenant's id (also the authority's tenant segment). */
  tenantId: string;
  /** A valid bearer token for the demo app, with every BackupRestore role. */
  accessToken: string;
  /** The demo application's credentials for the token endpoint (client secret flow). */
  demoApp: { clientId: string; clientSecret: string; displayName: string };
  /** The virtual clock that drives restore progress and purges. */
  clock: {
    /** The current virtual time. */
    now(): Date;
    /** Moves virtual time forward by `ms` milliseconds. */
    advance(ms: number): void;
    /** Sets how many virtual milliseconds pass per real millisecond (0 stops the clock). */
    setSpeed(x: number): void;
  };
  /** Fault injection for Graph routes. */
  faults: {
    /** Adds a fault rule; it applies to the requests it matches until its `times` run out. */
    add(rule: FaultRule): void;
    /** Removes every fault rule. */
    clear(): void;
  };
  /** Every request the emulator received, with its outcome. */
  journal: {
    /** The entries so far, oldest first. */
    entries(): JournalEntry[];
    /** Forgets every entry. */
    clear(): void;
  };
  /** Applications known to the token endpoint. */
  apps: {
    /** Registers an application (secret, certificate or federated credential). */
    register(app: AppRegistration): void;
    /**
     * Revokes the tokens issued so far to an application: Graph refuses them with 401 from now on.
     * With `claimsChallenge` (Continuous Access Evaluation) a token whose client declared `cp1` gets
     * an `insufficient_claims` challenge instead of a plain 401.
     */
    revokeTokens(clientId: string, options?: RevokeOptions): void;
  };
  /** Direct access to the tenant, for out-of-band changes and invariant checks in tests and drills (see tenant-api.ts). */
  tenant: TenantApi;
  /** Issues a bearer token for a registered application (default: the demo app). */
  issueToken(clientId?: string, roles?: string[]): string;
  /** Serves one request in process, without TLS, through the same handlers. */
  fetch(request: Request): Promise<Response>;
  /** Stops the server (and saves the state file when one is set). */
  close(): Promise<void>;
}

/** The demo tenant's id (deterministic, so state files and printed settings stay valid). */
export const DEMO_TENANT_ID = "8c3e5f1a-2b4d-4c6e-9f80-1a2b3c4d5e6f";
/** The demo application every emulator registers. Its secret is a fixed, published demo value. */
export const DEMO_APP = {
  clientId: "0d3e0a99-1c1e-4e5d-9a7b-3c2d1e0f9a8b",
  clientSecret: "emulator-demo-secret",
  displayName: "pulumi-m365-backup demo",
} as const;
const DEFAULT_SITES = 12;
const DEFAULT_USERS = 8;
const DEMO_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/** Starts the emulator: HTTPS on `host:port` plus the same handlers in process. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const persisted = options.statePath ? loadState(options.statePath, { users: options.users ?? DEFAULT_USERS }) : undefined;
  const speed = options.speed ?? persisted?.clock.speed ?? 1;
  const clock = new VirtualClock(options.now ? new Date(options.now) : new Date(), speed);
  // Virtual time went on while no process ran, at the speed it had.
  if (persisted) clock.rebase(persisted.clock.virtualMs + (Date.now() - persisted.clock.savedAtMs) * persisted.clock.speed);
  const users = options.users ?? persisted?.size.users ?? DEFAULT_USERS;
  const size = {
    sites: options.sites ?? persisted?.size.sites ?? DEFAULT_SITES,
    users,
    mailboxes: options.mailboxes ?? persisted?.size.mailboxes ?? users,
  };
  const directory = new Directory(DEMO_TENANT_ID, size);
  const store = new TenantStore({
    status: "enabled",
    disableReason: "none",
    gracePeriodDateTime: null,
    restoreAllowedTillDateTime: null,
    lastModifiedBy: SEED_ADMIN,
    lastModifiedDateTime: SEEDED_AT,
  });
  if (persisted) store.restore({ ...persisted.store, serviceStatus: persisted.store.serviceStatus ?? store.serviceStatus });
  // A first-release state file has sessions but no policies yet: seed them as a fresh tenant would have them.
  if ((!persisted || !persisted.seeded) && options.seedPolicies !== false) seedPolicies(store, directory);

  let url = "";
  const tenant: TenantState = { tenantId: DEMO_TENANT_ID, directory, store, clock, baseUrl: () => url };
  // A persisted signing key keeps tokens from an earlier run valid (demo: up, refresh, destroy).
  const signingKeyPem = persisted?.signingKeyPem ?? (options.statePath ? newSigningKeyPem() : undefined);
  const authority = new Authority({
    tenantId: DEMO_TENANT_ID,
    baseUrl: () => url,
    signingKey: signingKeyPem ? createPrivateKey(signingKeyPem) : undefined,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
  });
  authority.register({ ...DEMO_APP, roles: ALL_BACKUP_ROLES });

  const save = () => {
    if (!options.statePath) return;
    saveState(options.statePath, {
      version: 2,
      clock: { virtualMs: clock.nowMs(), savedAtMs: Date.now(), speed: clock.currentSpeed() },
      size,
      seeded: true,
      signingKeyPem: signingKeyPem!,
      store: store.snapshot(),
    });
  };
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const faults = new FaultSet(options.random);
  const journal = new Journal();
  const dispatcher = new Dispatcher({
    tenant,
    authority,
    faults,
    journal,
    validators: { "v1.0": createSpecValidator("v1.0"), beta: createSpecValidator("beta") },
    latencyMs: options.latencyMs ?? 0,
    afterRequest: save,
    closed,
    onRequest: options.onRequest,
  });

  // With a state file the generated certificate is kept beside it, so NODE_EXTRA_CA_CERTS stays valid between runs.
  const material = await loadTlsMaterial(options.tls, options.statePath ? `${options.statePath}.tls` : undefined);
  const server = await listen({
    host,
    port: options.port ?? 0,
    cert: material.cert,
    key: material.key,
    dispatcher,
    baseUrl: (port) => `https://${hostForUrl(host)}:${port}`,
  });
  url = `https://${hostForUrl(host)}:${server.port}`;
  save();

  return {
    url,
    caPath: material.caPath,
    tenantId: DEMO_TENANT_ID,
    accessToken: authority.issueToken(DEMO_APP.clientId, ALL_BACKUP_ROLES, DEMO_TOKEN_LIFETIME_SECONDS),
    demoApp: { ...DEMO_APP },
    clock: {
      now: () => clock.now(),
      advance: (ms) => {
        clock.advance(ms);
        save();
      },
      setSpeed: (x) => {
        clock.setSpeed(x);
        save();
      },
    },
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    journal: { entries: () => journal.entries(), clear: () => journal.clear() },
    apps: { register: (app) => authority.register(app), revokeTokens: (clientId, opts) => authority.revokeTokens(clientId, opts) },
    tenant: createTenantApi(tenant, save),
    issueToken: (clientId = DEMO_APP.clientId, roles) => authority.issueToken(clientId, roles),
    fetch: (request) => inProcessFetch(dispatcher, request, closed),
    close: async () => {
      markClosed();
      await server.close();
      save();
    },
  };
}

/** Runs a request through the dispatcher and maps resets and hangs to what `fetch` does on a real socket. */
async function inProcessFetch(dispatcher: Dispatcher, request: Request, closed: Promise<void>): Promise<Response> {
  const result = await dispatcher.dispatch(request);
  if (result.kind === "response") return result.response;
  if (result.kind === "reset") throw connectionReset();
  return new Promise<Response>((_, reject) => {
    // The client may have given up while the request was still being read.
    if (request.signal.aborted) reject(request.signal.reason);
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
    void closed.then(() => reject(connectionReset()));
  });
}

function connectionReset(): TypeError {
  const cause = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
  return new TypeError("fetch failed", { cause });
}

function newSigningKeyPem(): string {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
