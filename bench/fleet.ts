/**
 * The fleet: many sessions (or one session of many sites) created, refreshed and destroyed against
 * the emulator with latency and a per-application rate limit, through the engine harness and the
 * real provider host, `parallel` resource steps at a time. The wall time is set against the rate
 * limit's lower bound: the requests served divided by the rate.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineHarness, type StackState, type StepEvent } from "../harness";
import type { Emulator } from "../emulator";
import type { RetryPolicy } from "../provider/graph";
import { makeProgramDir } from "../tests/support/program-dir";
import type { ClientFleetJob, ClientFleetOutcome } from "./client-fleet";
import { stateBytesPerResource } from "./footprint";
import { emulatorConfig, hostEnv, PeakMemory, restorePointIds, ROOT, round, tally } from "./support";

/** The load: how many sessions of how many sites, how many steps at once, and the rate limit. */
export interface FleetLoad {
  sessions: number;
  sitesPerSession: number;
  parallel: number;
  requestsPerSecond: number;
}

/** One fleet run's figures. */
export interface FleetResult {
  sessions: number;
  sitesPerSession: number;
  /** Seconds of provider work: per command, first step started to last step done, summed. */
  wallSeconds: number;
  /** The same commands end to end, host start and program run included. */
  commandSeconds: number;
  /** Requests served divided by the rate limit (the bound). */
  lowerBoundSeconds: number;
  ratio: number;
  /**
   * The bound once the bucket's burst is granted: each command (or, in process, the run) may start
   * with a full bucket, so its first `burst` requests cost no wait. Null ratio when that bound is 0.
   */
  burstAdjustedLowerBoundSeconds: number;
  burstAdjustedRatio: number | null;
  /** 429 answers received. */
  throttled: number;
  /** Operations (create, read, delete of one resource) that did not succeed. */
  failed: number;
  requests: number;
  requestsPerSession: number;
}

/** A harness fleet also reports the state size and the hosts' memory. */
export interface HostFleetResult extends FleetResult {
  stateBytesPerResource: number;
  peakRssMb: number;
}

/** The Graph SDK's RetryHandler defaults (3 retries, 3 s delay, Retry-After honoured) as our policy. */
export const SDK_DEFAULT_RETRY: Partial<RetryPolicy> = { maxAttempts: 4, baseDelayMs: 3_000, maxDelayMs: 180_000, jitterRatio: 0 };

/** Graph requests only: the token endpoint is not rate limited here. */
const GRAPH_PATH = /^\/(v1\.0|beta)\//;

/** Restore point ids, `sitesPerSession` distinct ones per session. */
function sessionSites(emulator: Emulator, load: FleetLoad): string[][] {
  const ids = restorePointIds(emulator, load.sessions * load.sitesPerSession);
  return Array.from({ length: load.sessions }, (_, i) => ids.slice(i * load.sitesPerSession, (i + 1) * load.sitesPerSession));
}

/**
 * A fresh rate limit (a full bucket) and an empty journal. The burst is one second of requests:
 * Retry-After is whole seconds, so a smaller bucket would leave the rate unused while clients wait.
 */
function resetEmulator(emulator: Emulator, load: FleetLoad): void {
  emulator.faults.clear();
  emulator.faults.add({ path: GRAPH_PATH, rateLimit: { perSecond: load.requestsPerSecond, burst: load.requestsPerSecond } });
  emulator.journal.clear();
}

/** `servedPerCommand`: requests served in each stretch that may start with a full bucket. */
function figures(
  emulator: Emulator,
  load: FleetLoad,
  wallSeconds: number,
  commandSeconds: number,
  failed: number,
  servedPerCommand: number[],
): FleetResult {
  const requests = tally(emulator.journal.entries());
  const lowerBoundSeconds = requests.served / load.requestsPerSecond;
  const burst = load.requestsPerSecond;
  const adjusted = servedPerCommand.reduce((sum, served) => sum + Math.max(0, served - burst), 0) / load.requestsPerSecond;
  return {
    sessions: load.sessions,
    sitesPerSession: load.sitesPerSession,
    wallSeconds: round(wallSeconds),
    commandSeconds: round(commandSeconds),
    lowerBoundSeconds: round(lowerBoundSeconds),
    ratio: round(wallSeconds / lowerBoundSeconds),
    burstAdjustedLowerBoundSeconds: round(adjusted),
    burstAdjustedRatio: adjusted > 0 ? round(wallSeconds / adjusted) : null,
    throttled: requests.throttled,
    failed,
    requests: requests.served,
    requestsPerSession: round(requests.served / load.sessions),
  };
}

/** Per command: when its first step started and its last step ended, and how many steps succeeded. */
class CommandClock {
  private first = Infinity;
  private last = -Infinity;
  succeeded = 0;

  onEvent(event: StepEvent): void {
    const now = performance.now();
    if (event.status === "started") this.first = Math.min(this.first, now);
    else this.last = Math.max(this.last, now);
    if (event.status === "done") this.succeeded++;
  }

  seconds(): number {
    return this.last > this.first ? (this.last - this.first) / 1000 : 0;
  }
}

/** Runs up, refresh and destroy of the fleet through the engine harness and the provider host. */
export async function runHostFleet(emulator: Emulator, load: FleetLoad): Promise<HostFleetResult> {
  const { SharePointRestoreSession } = require(path.join(ROOT, "dist", "provider")) as typeof import("../provider");
  const sites = sessionSites(emulator, load);
  const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "m365-bench-fleet-")), "state.json");
  const memory = new PeakMemory();
  let clock = new CommandClock();
  const stack = engineHarness({
    projectName: "bench",
    stackName: "fleet",
    program: async () => {
      sites.forEach((restorePointIds, i) => {
        new SharePointRestoreSession(`session-${i}`, {
          siteRestoreArtifacts: restorePointIds.map((restorePointId) => ({ restorePointId })),
          destinationType: "new",
          activate: false,
        });
      });
    },
    config: emulatorConfig(emulator),
    statePath,
    workDir: makeProgramDir(),
    env: hostEnv(emulator),
    parallel: load.parallel,
    onEvent: (event) => clock.onEvent(event),
    onHostStarted: (host) => memory.watch(host.pid),
  });

  resetEmulator(emulator, load);
  let wallSeconds = 0;
  let failed = 0;
  let stateBytes = 0;
  const servedPerCommand: number[] = [];
  const started = performance.now();
  for (const command of ["up", "refresh", "destroy"] as const) {
    clock = new CommandClock();
    const servedBefore = tally(emulator.journal.entries()).served;
    // A failed step ends its command, as in the engine; the next command still runs (destroy cleans up).
    await stack[command]().catch(() => undefined);
    wallSeconds += clock.seconds();
    failed += load.sessions - clock.succeeded;
    servedPerCommand.push(tally(emulator.journal.entries()).served - servedBefore);
    if (command === "up") stateBytes = stateBytesPerResource((JSON.parse(fs.readFileSync(statePath, "utf8")) as StackState).resources);
  }
  const commandSeconds = (performance.now() - started) / 1000;
  return {
    ...figures(emulator, load, wallSeconds, commandSeconds, failed, servedPerCommand),
    stateBytesPerResource: stateBytes,
    peakRssMb: round(memory.stop(), 1),
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
  const wallSeconds = outcome.phaseSeconds.reduce((a, b) => a + b, 0);
  // The phases run back to back, so only the first may start with a full bucket.
  const served = tally(emulator.journal.entries()).served;
  return { ...figures(emulator, load, wallSeconds, commandSeconds, outcome.failed, [served]), failures: outcome.failures };
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
