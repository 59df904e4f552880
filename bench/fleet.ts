/**
 * The fleet: many one-site sessions, or one session of many sites, created, refreshed and destroyed
 * against the emulator with latency and a per-application rate limit, through the engine harness and
 * the real provider host, `parallel` resource steps at a time; and the same requests through the
 * Graph client alone (the retry comparison).
 *
 * Two lower bounds: many sessions at once are bound by the rate limit (requests served / rate); one
 * session's requests go one after another (create, then PATCHes of 50; the session, then artifact
 * pages of 100), so it is bound by the sum of each request's latency and the emulator's own handling.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { Emulator, JournalEntry } from "../emulator";
import type { RetryPolicy } from "../provider/graph";
import type { ClientFleetJob, ClientFleetOutcome } from "./client-fleet";
import { measuredStack, type CommandFigures } from "./measured-stack";
import { graphEntries, hostEnv, resourceBytes, restorePointIds, ROOT, round, sequentialBoundMs, tally } from "./support";

/** The load: how many sessions of how many sites, how many steps at once, the rate limit and the latency. */
export interface FleetLoad {
  sessions: number;
  sitesPerSession: number;
  parallel: number;
  requestsPerSecond: number;
  latencyMs: number;
}

/** Which lower bound a run is judged against. */
export type BoundKind = "rate" | "sequential";

/** One fleet run's figures. */
export interface FleetResult {
  sessions: number;
  sitesPerSession: number;
  /** Seconds of provider work: per command, first step started to last step done, summed. */
  wallSeconds: number;
  /** The same commands end to end, host start and program run included. */
  commandSeconds: number;
  /** `rate`: requests served / rate limit; `sequential`: each request's latency plus the emulator's handling, summed. */
  bound: BoundKind;
  lowerBoundSeconds: number;
  ratio: number;
  /**
   * Rate bound only: the bound once the bucket's burst is granted (each command may start with a
   * full bucket, so its first `burst` requests cost no wait). Null when it does not apply or is 0.
   */
  burstAdjustedLowerBoundSeconds: number | null;
  burstAdjustedRatio: number | null;
  /** 429 answers received. */
  throttled: number;
  /** Operations (create, read, delete of one resource) that did not succeed. */
  failed: number;
  requests: number;
  requestsPerSession: number;
}

/** A run through the provider host adds its CPU time and per-command figures. */
export interface HostFleetResult extends FleetResult {
  /** The provider host's CPU per site, in ms, for the command that used the most (create, refresh or destroy). */
  hostCpuMsPerSite: number;
  commands: CommandFigures[];
  /** Bytes of one resource in the state after `up` (the median resource). */
  stateBytesPerResource: number;
  peakRssMb: number;
}

/** The Graph SDK's RetryHandler defaults (3 retries, 3 s delay, Retry-After honoured) as our policy. */
export const SDK_DEFAULT_RETRY: Partial<RetryPolicy> = { maxAttempts: 4, baseDelayMs: 3_000, maxDelayMs: 180_000, jitterRatio: 0 };

/** Restore point ids, `sitesPerSession` distinct ones per session. */
function sessionSites(emulator: Emulator, load: FleetLoad): string[][] {
  const ids = restorePointIds(emulator, load.sessions * load.sitesPerSession);
  return Array.from({ length: load.sessions }, (_, i) => ids.slice(i * load.sitesPerSession, (i + 1) * load.sitesPerSession));
}

/** Many sessions share the rate limit; one session's requests wait for each other. */
export function boundKindOf(load: Pick<FleetLoad, "sessions">): BoundKind {
  return load.sessions > 1 ? "rate" : "sequential";
}

/**
 * A fresh rate limit (a full bucket) and an empty journal. The burst is one second of requests:
 * Retry-After is whole seconds, so a smaller bucket would leave the rate unused while clients wait.
 */
function resetEmulator(emulator: Emulator, load: FleetLoad): void {
  emulator.faults.clear();
  emulator.faults.add({ path: /^\/(v1\.0|beta)\//, rateLimit: { perSecond: load.requestsPerSecond, burst: load.requestsPerSecond } });
  emulator.journal.clear();
}

/**
 * The figures of a run from its journal: `servedPerStretch` holds the requests served in each stretch
 * that may start with a full bucket (a command, for the host).
 */
export function fleetFigures(
  entries: readonly JournalEntry[],
  load: FleetLoad,
  run: { wallSeconds: number; commandSeconds: number; failed: number; servedPerStretch: number[] },
): FleetResult {
  const requests = tally(entries);
  const bound = boundKindOf(load);
  const lowerBoundSeconds = bound === "rate" ? requests.served / load.requestsPerSecond : sequentialBoundMs(entries, load.latencyMs) / 1000;
  const adjusted =
    bound === "rate"
      ? run.servedPerStretch.reduce((sum, served) => sum + Math.max(0, served - load.requestsPerSecond), 0) / load.requestsPerSecond
      : undefined;
  return {
    sessions: load.sessions,
    sitesPerSession: load.sitesPerSession,
    wallSeconds: round(run.wallSeconds),
    commandSeconds: round(run.commandSeconds),
    bound,
    lowerBoundSeconds: round(lowerBoundSeconds, 3),
    ratio: round(run.wallSeconds / lowerBoundSeconds),
    burstAdjustedLowerBoundSeconds: adjusted === undefined ? null : round(adjusted),
    burstAdjustedRatio: adjusted === undefined || adjusted === 0 ? null : round(run.wallSeconds / adjusted),
    throttled: requests.throttled,
    failed: run.failed,
    requests: requests.served,
    requestsPerSession: round(requests.served / load.sessions),
  };
}

/** The most host CPU any one command used, per site, in ms. */
export function hostCpuMsPerSite(commands: readonly CommandFigures[], sites: number): number {
  return round(Math.max(...commands.map((c) => c.hostCpuMs)) / sites, 3);
}

/** Runs up, refresh and destroy of the fleet through the engine harness and the provider host (`env`: extra host environment). */
export async function runHostFleet(emulator: Emulator, load: FleetLoad, env?: Record<string, string>): Promise<HostFleetResult> {
  const { SharePointRestoreSession } = require(path.join(ROOT, "dist", "provider")) as typeof import("../provider");
  const sites = sessionSites(emulator, load);
  const stack = measuredStack({
    emulator,
    latencyMs: load.latencyMs,
    parallel: load.parallel,
    env,
    program: async () => {
      sites.forEach((restorePointIds, i) => {
        new SharePointRestoreSession(`session-${i}`, {
          siteRestoreArtifacts: restorePointIds.map((restorePointId) => ({ restorePointId })),
          destinationType: "new",
          activate: false,
        });
      });
    },
  });

  resetEmulator(emulator, load);
  const commands: CommandFigures[] = [];
  let stateBytes = 0;
  for (const command of ["up", "refresh", "destroy"] as const) {
    commands.push(await stack.run(command));
    if (command === "up") {
      const sizes = stack
        .state()
        .resources.map(resourceBytes)
        .sort((a, b) => a - b);
      stateBytes = sizes[Math.floor(sizes.length / 2)] ?? 0;
    }
  }
  const figures = fleetFigures(emulator.journal.entries(), load, {
    wallSeconds: commands.reduce((sum, c) => sum + c.wallSeconds, 0),
    commandSeconds: commands.reduce((sum, c) => sum + c.commandSeconds, 0),
    failed: commands.reduce((sum, c) => sum + (load.sessions - c.succeeded), 0),
    servedPerStretch: commands.map((c) => c.requests),
  });
  return {
    ...figures,
    hostCpuMsPerSite: hostCpuMsPerSite(commands, load.sessions * load.sitesPerSession),
    commands,
    stateBytesPerResource: stateBytes,
    peakRssMb: stack.peakRssMb(),
  };
}

/** The same load at the Graph-client level, with a given retry policy, in a child process. */
export async function runClientFleet(
  emulator: Emulator,
  load: FleetLoad,
  retry: Partial<RetryPolicy>,
): Promise<FleetResult & { failures: string[] }> {
  resetEmulator(emulator, load);
  const job: ClientFleetJob = {
    graphEndpoint: emulator.url,
    accessToken: emulator.accessToken,
    sessions: sessionSites(emulator, load),
    parallel: load.parallel,
    retry,
  };
  const started = performance.now();
  const outcome = await runChild(emulator, job);
  const commandSeconds = (performance.now() - started) / 1000;
  const entries = graphEntries(emulator.journal.entries());
  // The phases run back to back in one process, so only the first may start with a full bucket.
  const figures = fleetFigures(entries, load, {
    wallSeconds: outcome.phaseSeconds.reduce((a, b) => a + b, 0),
    commandSeconds,
    failed: outcome.failed,
    servedPerStretch: [tally(entries).served],
  });
  return { ...figures, failures: outcome.failures };
}

/** Hands the job over stdin (a thousand restore point ids are too long for an argument). */
function runChild(emulator: Emulator, job: ClientFleetJob): Promise<ClientFleetOutcome> {
  const child = spawn(
    process.execPath,
    ["-r", path.join(ROOT, "tests", "support", "ts-register.js"), path.join(__dirname, "client-fleet.ts")],
    {
      cwd: ROOT,
      env: hostEnv(emulator),
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  child.stdin.end(JSON.stringify(job));
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as ClientFleetOutcome);
      else reject(new Error(`the client fleet exited with ${code}: ${stderr.trim().split("\n").slice(-3).join(" ")}`));
    });
  });
}
