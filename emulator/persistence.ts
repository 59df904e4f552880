/**
 * `--state file.json`: the tenant's mutable records, the clock and the token signing key, kept
 * between runs so that `pulumi up`, `refresh` and `destroy` can each talk to a fresh process.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { StoreSnapshot, StoredSession } from "./store";
import type { DirectorySize } from "./tenant/directory";

/** What the state file holds. */
export interface PersistedState {
  version: 2;
  /** The virtual clock when saved: virtual and real epoch ms, and its speed (it keeps running while stopped). */
  clock: { virtualMs: number; savedAtMs: number; speed: number };
  /** The seeded directory's size (the directory itself is derived from it). */
  size: DirectorySize;
  /** PKCS#8 PEM of the token signing key, so tokens printed by one run stay valid in the next. */
  signingKeyPem: string;
  /** The tenant's records; a file of the first release has no policies yet (`seeded: false`): the caller seeds them. */
  store: StoreSnapshot;
  seeded: boolean;
}

/** The first release's file: SharePoint sessions only, no policies. */
interface PersistedStateV1 {
  version: 1;
  clock: PersistedState["clock"];
  sites: number;
  signingKeyPem: string;
  store: {
    sessions: (Omit<StoredSession, "workload" | "artifacts" | "bulkRequests"> & {
      artifacts: { id: string; restorePointId: string; protectionMs: number; siteId: string; destinationType: "new" | "inPlace" }[];
      bulkRequests: (Omit<StoredSession["bulkRequests"][number], "names"> & { siteWebUrls: string[] })[];
    })[];
    outcomes: Record<string, "succeeded" | "failed">;
    restoredCounters: Record<string, number>;
  };
}

/** Reads the state file (migrating a first-release file), or undefined when it does not exist yet. */
export function loadState(path: string, defaults: { users: number }): PersistedState | undefined {
  if (!existsSync(path)) return undefined;
  const state = JSON.parse(readFileSync(path, "utf8")) as PersistedState | PersistedStateV1;
  if (state.version === 2) return state;
  if (state.version === 1) return migrateV1(state, defaults);
  throw new Error(`Unsupported emulator state version ${String((state as { version: unknown }).version)} in ${path}`);
}

/** Writes the state file atomically (temp file + rename), so a crash never leaves half a file. */
export function saveState(path: string, state: PersistedState): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state), { mode: 0o600 });
  renameSync(temp, path);
}

function migrateV1(state: PersistedStateV1, defaults: { users: number }): PersistedState {
  const sessions: StoredSession[] = state.store.sessions.map((session) => ({
    ...session,
    workload: "sharePoint",
    artifacts: session.artifacts.map((a) => ({ ...a, key: a.siteId, protectionUnitId: "", createdDateTime: session.createdDateTime })),
    bulkRequests: session.bulkRequests.map(({ siteWebUrls, ...request }) => ({ ...request, names: siteWebUrls })),
  }));
  return {
    version: 2,
    clock: state.clock,
    size: { sites: state.sites, users: defaults.users, mailboxes: defaults.users },
    signingKeyPem: state.signingKeyPem,
    seeded: false,
    store: {
      sessions,
      policies: [],
      units: [],
      searches: [],
      serviceStatus: undefined as never,
      outcomes: state.store.outcomes,
      restoredCounters: state.store.restoredCounters,
    },
  };
}
