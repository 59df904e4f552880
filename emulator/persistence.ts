/**
 * `--state file.json`: the tenant's sessions, the clock offset and the token signing key, kept
 * between runs so that `pulumi up`, `refresh` and `destroy` can each talk to a fresh process.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { StoreSnapshot } from "./store";

/** What the state file holds. */
export interface PersistedState {
  version: 1;
  /** The virtual clock when saved: virtual and real epoch ms, and its speed (it keeps running while stopped). */
  clock: { virtualMs: number; savedAtMs: number; speed: number };
  sites: number;
  /** PKCS#8 PEM of the token signing key, so tokens printed by one run stay valid in the next. */
  signingKeyPem: string;
  store: StoreSnapshot;
}

/** Reads the state file, or undefined when it does not exist yet. */
export function loadState(path: string): PersistedState | undefined {
  if (!existsSync(path)) return undefined;
  const state = JSON.parse(readFileSync(path, "utf8")) as PersistedState;
  if (state.version !== 1) throw new Error(`Unsupported emulator state version ${String(state.version)} in ${path}`);
  return state;
}

/** Writes the state file atomically (temp file + rename), so a crash never leaves half a file. */
export function saveState(path: string, state: PersistedState): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(temp, path);
}
