/**
 * What every benchmark shares: the repository root, emulator settings as stack config, request
 * counting and lower bounds from the emulator's journal, the provider host's CPU time and memory
 * from /proc, medians and rounding.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator, JournalEntry } from "../emulator";
import type { Host, StateResource } from "../harness";

/** The repository root (the pulumi-m365-backup package). */
export const ROOT = path.resolve(__dirname, "..");

/** Graph methods that change something in the tenant. */
const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/** Graph requests only: the token endpoint is not Graph. */
const GRAPH_PATH = /^\/(v1\.0|beta)\//;

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
  return protectedSites(emulator, count).map((s) => emulator.tenant.latestRestorePointId(s.siteId));
}

/** The first `count` protected sites of the emulator's tenant. */
export function protectedSites(emulator: Emulator, count: number): ReturnType<Emulator["tenant"]["sites"]> {
  const sites = emulator.tenant.sites().filter((s) => s.protectionUnitId);
  if (sites.length < count) throw new RangeError(`the emulator seeds ${sites.length} protected sites, ${count} wanted`);
  return sites.slice(0, count);
}

/** The journal's Graph requests (token requests are not Graph calls and are left out). */
export function graphEntries(entries: readonly JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => GRAPH_PATH.test(e.path));
}

/** Graph requests in journal entries, split by outcome. */
export interface RequestTally {
  /** Requests the service answered with anything but 429. */
  served: number;
  /** Requests answered 429. */
  throttled: number;
  /** Served requests that change something (POST, PATCH, PUT, DELETE). */
  writes: number;
}

/** Counts the Graph requests in `entries`. */
export function tally(entries: readonly JournalEntry[]): RequestTally {
  const graph = graphEntries(entries);
  const throttled = graph.filter((e) => e.status === 429);
  const served = graph.filter((e) => e.status !== 429);
  return { served: served.length, throttled: throttled.length, writes: served.filter((e) => WRITE_METHODS.has(e.method)).length };
}

/** The emulator's own time handling the Graph requests in `entries`, in ms (its journal's `handlingMs`). */
export function handlingMs(entries: readonly JournalEntry[]): number {
  return graphEntries(entries).reduce((sum, e) => sum + (e.handlingMs ?? 0), 0);
}

/**
 * The least time requests made one after another can take: each waits the emulator's added latency
 * and the emulator's own handling, and nothing else (no client, no transport, no provider).
 */
export function sequentialBoundMs(entries: readonly JournalEntry[], latencyMs: number): number {
  return graphEntries(entries).length * latencyMs + handlingMs(entries);
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

/** Bytes of a resource as the state file records it (URN, type, id, inputs and outputs, `__provider` in both), as compact JSON. */
export function resourceBytes(resource: StateResource): number {
  return Buffer.byteLength(JSON.stringify(resource), "utf8");
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
 * User plus system CPU time in clock ticks from the text of `/proc/<pid>/stat`: fields 14 and 15,
 * counted after the command name, which is parenthesised and may itself hold spaces or parentheses.
 */
export function cpuTicksOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  return utime + stime;
}

let ticksPerSecond: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`; 100 on Linux when getconf is missing). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU time (user + system) a live process has used so far, in ms; undefined once it is gone or off Linux. */
export function processCpuMs(pid: number): number | undefined {
  try {
    return (cpuTicksOfStat(fs.readFileSync(`/proc/${pid}/stat`, "utf8")) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

/**
 * The provider host's CPU time during one command, from the host process itself: sampled when the
 * host is up (what it used to start is the Pulumi host's own start-up, reported apart) and after each
 * step ends, so the last sample follows the command's last step.
 */
export class HostCpu {
  private pid: number | undefined;
  private atStart = 0;
  private latest = 0;

  /** Give to the harness's `onHostStarted`. */
  started(host: Host): void {
    this.pid = host.pid;
    this.atStart = (this.pid === undefined ? undefined : processCpuMs(this.pid)) ?? 0;
    this.latest = this.atStart;
  }

  /** Call when a step ends (the harness's `onEvent`). */
  sample(): void {
    const now = this.pid === undefined ? undefined : processCpuMs(this.pid);
    if (now !== undefined) this.latest = now;
  }

  /** CPU ms the host used to start (before it listened). */
  get startupMs(): number {
    return this.atStart;
  }

  /** CPU ms the host used from listening to the command's last step: configure, check, diff and the operations. */
  get commandMs(): number {
    return this.latest - this.atStart;
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
