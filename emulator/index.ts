/**
 * A local Microsoft Graph emulator for the Backup Storage SharePoint restore-session endpoints,
 * served over HTTPS on loopback and in process (`emulator.fetch`). Entry `pulumi-m365-backup/emulator`.
 */
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { ALL_BACKUP_ROLES, Authority, type AppRegistration, type RevokeOptions } from "./auth";
import { VirtualClock } from "./clock";
import type { TenantState } from "./context";
import { Dispatcher } from "./dispatcher";
import { FaultSet, type FaultRule } from "./faults";
import { Journal, type JournalEntry } from "./journal";
import { createSpecValidator } from "./openapi";
import { loadState, saveState } from "./persistence";
import { SeedTenant, type SeedSite } from "./seed";
import { listen } from "./server";
import { SessionStore, type StoredSession as StoredSessionRecord } from "./store";
import { sessionProgress, type SessionProgress } from "./progress";
import { loadTlsMaterial } from "./tls";

export type { AppRegistration, FaultRule, JournalEntry, RevokeOptions, SeedSite };

/** A stored session as `tenant.sessions()` shows it: the raw record plus its status at the current virtual time. */
export type StoredSession = StoredSessionRecord & { status: SessionProgress["status"] };
export type { JournalOutcome } from "./journal";
export type { ArtifactProgress, SessionProgress } from "./progress";
export type { StoredSession as StoredSessionRecord } from "./store";
export type { StoredArtifact, StoredBulkRequest, AppIdentity } from "./store";
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
  /** Virtual clock start (ISO); default the real now. Ignored when a state file supplies the clock (its speed too, unless `speed` is given). */
  now?: string;
  /** Latency added to every Graph request, in milliseconds. */
  latencyMs?: number;
  /** Lifetime of the tokens the token endpoint (and `issueToken`) issues, in real seconds; default 3600. */
  tokenLifetimeSeconds?: number;
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
  /** Direct access to the tenant, for out-of-band changes in tests and drills. */
  tenant: {
    /** The seeded sites, protected first, then one unprotected site (empty `protectionUnitId`). */
    sites(): SeedSite[];
    /** The id of a protected site's newest restore point at the current virtual time. */
    latestRestorePointId(siteId: string): string;
    /** Every stored session with its status at the current virtual time. */
    sessions(): StoredSession[];
    /** Deletes a session as if it were removed outside Pulumi (or purged). */
    deleteSession(id: string): void;
    /** Decides how the restore of a restore point (or of every restore point of a site) ends. */
    setArtifactOutcome(restorePointIdOrSiteId: string, outcome: "succeeded" | "failed"): void;
  };
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
const DEMO_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/** Starts the emulator: HTTPS on `host:port` plus the same handlers in process. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const persisted = options.statePath ? loadState(options.statePath) : undefined;
  const speed = options.speed ?? persisted?.clock.speed ?? 1;
  const clock = new VirtualClock(options.now ? new Date(options.now) : new Date(), speed);
  // Virtual time went on while no process ran, at the speed it had.
  if (persisted) clock.rebase(persisted.clock.virtualMs + (Date.now() - persisted.clock.savedAtMs) * persisted.clock.speed);
  const store = new SessionStore();
  if (persisted) store.restore(persisted.store);
  const sites = options.sites ?? persisted?.sites ?? DEFAULT_SITES;
  const seed = new SeedTenant(DEMO_TENANT_ID, sites);

  let url = "";
  const tenant: TenantState = { seed, store, clock, baseUrl: () => url };
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
      version: 1,
      clock: { virtualMs: clock.nowMs(), savedAtMs: Date.now(), speed: clock.currentSpeed() },
      sites,
      signingKeyPem: signingKeyPem!,
      store: store.snapshot(),
    });
  };
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const faults = new FaultSet();
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
    tenant: {
      sites: () =>
        seed.sites.map(({ siteId, siteWebUrl, siteName, protectionUnitId }) => ({ siteId, siteWebUrl, siteName, protectionUnitId })),
      latestRestorePointId: (siteId) => {
        const site = seed.siteByIdOrUrl(siteId);
        const point = site && seed.latestRestorePoint(site, clock.nowMs());
        if (!point) throw new Error(`No restore point exists for site '${siteId}' (unknown or unprotected site).`);
        return point.id;
      },
      sessions: () => store.list().map((s) => ({ ...structuredClone(s), status: sessionProgress(s, store, clock.nowMs()).status })),
      deleteSession: (id) => {
        store.delete(id);
        save();
      },
      setArtifactOutcome: (key, outcome) => {
        store.outcomes[key] = outcome;
        save();
      },
    },
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
