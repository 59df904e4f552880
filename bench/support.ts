/**
 * What every benchmark shares: the repository root, emulator settings as stack config, request
 * counting from the emulator's journal, medians, and sampling a process's peak memory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator, JournalEntry } from "../emulator";

/** The repository root (the pulumi-m365-backup package). */
export const ROOT = path.resolve(__dirname, "..");

/** Graph methods that change something in the tenant. */
const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/** Stack config that points the provider at an emulator with its demo token. */
export function emulatorConfig(emulator: Emulator): Record<string, string> {
  return {
    "m365-backup:graphEndpoint": emulator.url,
    "m365-backup:accessToken": emulator.accessToken,
  };
}

/** The provider host's environment: this process's, trusting the emulator's certificate. */
export function hostEnv(emulator: Emulator, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_EXTRA_CA_CERTS: emulator.caPath, ...extra };
}

/** Restore point ids of the first `count` protected sites. */
export function restorePointIds(emulator: Emulator, count: number): string[] {
  const protectedSites = emulator.tenant.sites().filter((s) => s.protectionUnitId);
  if (protectedSites.length < count) throw new RangeError(`the emulator seeds ${protectedSites.length} protected sites, ${count} wanted`);
  return protectedSites.slice(0, count).map((s) => emulator.tenant.latestRestorePointId(s.siteId));
}

/** Graph requests (token endpoint excluded) in journal entries, split by outcome. */
export interface RequestTally {
  /** Requests the service answered with anything but 429. */
  served: number;
  /** Requests answered 429. */
  throttled: number;
  /** Served requests that change something (POST, PATCH, PUT, DELETE). */
  writes: number;
}

/** Counts the Graph requests in `entries`; token requests are not Graph calls and are left out. */
export function tally(entries: JournalEntry[]): RequestTally {
  const graph = entries.filter((e) => /^\/(v1\.0|beta)\//.test(e.path));
  const throttled = graph.filter((e) => e.status === 429);
  const served = graph.filter((e) => e.status !== 429);
  return { served: served.length, throttled: throttled.length, writes: served.filter((e) => WRITE_METHODS.has(e.method)).length };
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds to `digits` decimals, for figures meant to be read. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Peak resident memory (VmHWM) of a live process in MB; undefined once it is gone or off Linux. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return kb ? Number(kb[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps the highest peak RSS of the processes it watches. VmHWM is already a high-water mark, so
 * polling only has to catch each process before it exits.
 */
export class PeakMemory {
  private peak = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Starts sampling `pid` every `everyMs` until it exits. */
  watch(pid: number | undefined, everyMs = 100): void {
    if (pid === undefined) return;
    const timer = setInterval(() => {
      const mb = peakRssMb(pid);
      if (mb === undefined) {
        clearInterval(timer);
        this.timers.delete(timer);
      } else this.peak = Math.max(this.peak, mb);
    }, everyMs);
    this.timers.add(timer);
  }

  /** Stops every sampler and returns the highest peak seen, in MB. */
  stop(): number {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    return this.peak;
  }
}
