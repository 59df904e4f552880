/**
 * `npm run chaos`: seeded random walks over a stack of every resource kind on the emulator, through
 * the real provider host (see walk.ts), with their invariants checked against the emulator's store.
 *
 *   npm run chaos                      the full run: 2,000 steps (50 walks of 40), figures to bench/chaos.json and the README
 *   npm run chaos -- --seed 17         replays walk 17 exactly, printing every step
 *   npm run chaos -- --regressions     the seeds in chaos/regressions.json (what `npm test` runs in short)
 *   options: --steps N (total, or with --seed the walk's length), --from N (first seed), --workers N,
 *   --no-write (figures to stdout only); CHAOS_EVENTS=1 with --seed also prints every resource step
 *
 * Walks run in worker processes (the Pulumi runtime is process-global); each walk has its own
 * emulator, state file and provider host. A failing walk prints its seed, every step so far and the
 * first broken invariant, and the run exits 1.
 */
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeCertificate } from "../emulator/tls";
import { DEFAULT_WALK, runWalk, type WalkResult, type WalkSettings } from "./walk";

const ROOT = path.resolve(__dirname, "..");
const FIGURES = path.join(ROOT, "bench", "chaos.json");
const README = path.join(ROOT, "README.md");
/** Seeds that once broke an invariant, with the steps it took (see regressions.json). */
export const REGRESSIONS = path.join(__dirname, "regressions.json");

/** One recorded regression: a seed, how many steps of its walk reproduce the failure, and what it found. */
export interface Regression {
  seed: number;
  steps: number;
  found: string;
}

/** Reads the recorded regressions. */
export function regressions(): Regression[] {
  return JSON.parse(fs.readFileSync(REGRESSIONS, "utf8")) as Regression[];
}

interface Job {
  seed: number;
  settings: WalkSettings;
}

/** The figures of a run. */
export interface Figures {
  ranAt: string;
  machine: { cores: number; cpu: string; node: string; platform: string };
  settings: WalkSettings & { workers: number };
  walks: number;
  steps: number;
  commands: number;
  graphRequests: number;
  faults: Record<string, number>;
  faultsTotal: number;
  faultRate: number;
  hostKills: number;
  upsToConverge: { max: number; mean: number; rounds: number };
  violations: number;
  leftovers: { sessions: number; policies: number; jobs: number };
  restoresRepeatedAfterCrash: number;
  refreshesAfterCrash: number;
  wallSeconds: number;
  goal: { steps: number; faultRate: number; maxUps: number; wallSeconds: number; met: boolean };
}

/** Sums the walks' results. */
export function figuresOf(results: readonly WalkResult[], settings: WalkSettings, workers: number, wallMs: number): Figures {
  const faults: Record<string, number> = {};
  for (const r of results) for (const [kind, n] of Object.entries(r.faults)) faults[kind] = (faults[kind] ?? 0) + n;
  const rounds = results.flatMap((r) => r.upsToConverge);
  const sum = (pick: (r: WalkResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  const faultsTotal = Object.values(faults).reduce((a, b) => a + b, 0);
  const graphRequests = sum((r) => r.graphRequests);
  const steps = sum((r) => r.steps);
  const figures: Figures = {
    ranAt: new Date().toISOString(),
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    settings: { ...settings, workers },
    walks: results.length,
    steps,
    commands: sum((r) => r.commands),
    graphRequests,
    faults: Object.fromEntries(Object.entries(faults).sort(([a], [b]) => a.localeCompare(b))),
    faultsTotal,
    faultRate: graphRequests === 0 ? 0 : Math.round((faultsTotal / graphRequests) * 1000) / 1000,
    hostKills: sum((r) => r.hostKills),
    upsToConverge: {
      max: Math.max(0, ...rounds),
      mean: rounds.length === 0 ? 0 : Math.round((rounds.reduce((a, b) => a + b, 0) / rounds.length) * 100) / 100,
      rounds: rounds.length,
    },
    violations: sum((r) => r.violations.length),
    leftovers: {
      sessions: sum((r) => r.leftovers.sessions),
      policies: sum((r) => r.leftovers.policies),
      jobs: sum((r) => r.leftovers.jobs),
    },
    restoresRepeatedAfterCrash: sum((r) => r.restoresRepeatedAfterCrash),
    refreshesAfterCrash: sum((r) => r.refreshesAfterCrash),
    wallSeconds: Math.round(wallMs / 100) / 10,
    goal: { steps: 2000, faultRate: 0.15, maxUps: 3, wallSeconds: 600, met: false },
  };
  figures.goal.met =
    figures.steps >= figures.goal.steps &&
    settings.faultRate >= figures.goal.faultRate &&
    figures.violations === 0 &&
    figures.upsToConverge.max <= figures.goal.maxUps &&
    figures.wallSeconds < figures.goal.wallSeconds;
  return figures;
}

/** The README block between the chaos markers: what the run checks, and the last full run's figures. */
export function readmeBlock(f: Figures): string {
  const kinds = Object.entries(f.faults)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ");
  return [
    "`npm run chaos` runs seeded random walks over one stack of all six resource kinds, through the real provider host, " +
      "while the emulator fails 15% of Graph requests (429 and 503 with and without `Retry-After`, 500, resets before and " +
      "after processing, timeouts, truncated bodies, expired and revoked tokens, `TooManyActiveRestoreSessions`) and the " +
      "host is killed mid-operation. Every 8 steps the faults stop, `up` runs until it is a no-op, and the invariants are " +
      "checked against the emulator's store: the tenant holds what the program declares, nothing is orphaned or owned " +
      "twice, no restore started twice or unasked, no secret in state, logs or errors. An object is *owned* when a " +
      "resource in the state holds its id; activated sessions forgotten on delete and `retainOnDelete` policies are let " +
      "go by design; what a killed create made is a crash leftover (the next create takes a policy back, never a session: " +
      "decision 0022). Details in `docs/reliability.md`; replay a walk with `npm run chaos -- --seed N`.",
    "",
    `Last full run (${f.ranAt.slice(0, 10)}, ${f.machine.cores} cores, ${f.settings.workers} workers): ` +
      `**${f.steps} steps** in ${f.walks} walks, ${f.commands} commands, ${f.graphRequests} Graph requests; ` +
      `**${f.faultsTotal} faults** (${Math.round(f.faultRate * 1000) / 10}% of requests: ${kinds}) and **${f.hostKills} host kills**; ` +
      `after the faults stopped, \`up\` converged in at most **${f.upsToConverge.max}** up${f.upsToConverge.max === 1 ? "" : "s"} (mean ${f.upsToConverge.mean}, ` +
      `${f.upsToConverge.rounds} rounds); **${f.violations} invariant violations**; ${f.wallSeconds} s wall time. ` +
      `Crash leftovers: ${f.leftovers.sessions} sessions, ${f.leftovers.policies} policies, ${f.leftovers.jobs} bulk jobs; ` +
      `${f.restoresRepeatedAfterCrash} restores started again after a killed create; ${f.refreshesAfterCrash} refreshes ` +
      `after a killed update or delete. Figures: \`bench/chaos.json\`.`,
  ].join("\n");
}

function writeFigures(figures: Figures): void {
  fs.writeFileSync(FIGURES, JSON.stringify(figures, null, 2) + "\n");
  const text = fs.readFileSync(README, "utf8");
  const start = "<!-- chaos:start -->";
  const end = "<!-- chaos:end -->";
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`);
  fs.writeFileSync(README, `${text.slice(0, from + start.length)}\n${readmeBlock(figures)}\n${text.slice(to)}`);
}

/** Prints a failed walk the way it can be replayed. */
function report(result: WalkResult): void {
  console.error(`\nseed ${result.seed} broke an invariant at step ${result.steps} (replay: npm run chaos -- --seed ${result.seed}):`);
  for (const line of result.log) console.error(`  ${line}`);
  console.error(`first broken invariant: ${result.violations[0]}`);
}

/** Runs jobs on `workers` worker processes; resolves with every result, in seed order. */
async function runOnWorkers(jobs: Job[], workers: number, onResult: (r: WalkResult) => void): Promise<WalkResult[]> {
  const queue = [...jobs];
  const results: WalkResult[] = [];
  const worker = () =>
    new Promise<void>((resolve, reject) => {
      const child = fork(__filename, ["--worker"], {
        execArgv: ["-r", path.join(ROOT, "tests", "support", "ts-register.js")],
        stdio: "inherit",
      });
      const next = () => {
        const job = queue.shift();
        if (job) child.send(job);
        else child.disconnect();
      };
      child.on("message", (result: WalkResult) => {
        results.push(result);
        onResult(result);
        next();
      });
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`a chaos worker exited with ${code}`))));
      next();
    });
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, worker));
  return results.sort((a, b) => a.seed - b.seed);
}

/** A worker: one certificate for all its walks, then walks as the parent hands them out. */
async function workerMain(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-chaos-ca-"));
  const trust = await writeCertificate(dir);
  process.on("message", (job: Job) => {
    void runWalk(job.seed, job.settings, trust).then(
      (result) => process.send!(result),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  process.on("disconnect", () => fs.rmSync(dir, { recursive: true, force: true }));
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index < 0 ? undefined : args[index + 1];
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--worker")) {
    await workerMain();
    return -1;
  }
  const workers = Number(option(args, "workers") ?? Math.max(2, os.cpus().length * 3));
  const seed = option(args, "seed");
  if (seed !== undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-chaos-ca-"));
    const trust = await writeCertificate(dir);
    const steps = Number(option(args, "steps") ?? DEFAULT_WALK.steps);
    const result = await runWalk(Number(seed), { ...DEFAULT_WALK, steps }, trust, (line) => console.log(line));
    fs.rmSync(dir, { recursive: true, force: true });
    if (result.violations.length > 0) {
      report(result);
      return 1;
    }
    console.log(`seed ${seed}: ${result.steps} steps, no invariant broken (${Math.round(result.wallMs / 100) / 10} s)`);
    return 0;
  }
  const jobs: Job[] = args.includes("--regressions")
    ? // Longest first, so the short walks fill the gaps while the long ones run.
      regressions()
        .map((r) => ({ seed: r.seed, settings: { ...DEFAULT_WALK, steps: r.steps } }))
        .sort((a, b) => b.settings.steps - a.settings.steps)
    : (() => {
        const total = Number(option(args, "steps") ?? 2000);
        const from = Number(option(args, "from") ?? 1);
        return Array.from({ length: Math.ceil(total / DEFAULT_WALK.steps) }, (_, i) => ({ seed: from + i, settings: DEFAULT_WALK }));
      })();
  const started = Date.now();
  let done = 0;
  const results = await runOnWorkers(jobs, workers, (r) => {
    done++;
    const verdict = r.violations.length === 0 ? "ok" : `VIOLATION: ${r.violations[0]}`;
    console.log(
      `[${done}/${jobs.length}] seed ${r.seed}: ${r.steps} steps, ${r.hostKills} kills, ups ${r.upsToConverge.join("/")}, ${Math.round(r.wallMs / 1000)} s, ${verdict}`,
    );
  });
  const figures = figuresOf(results, DEFAULT_WALK, workers, Date.now() - started);
  for (const failed of results.filter((r) => r.violations.length > 0)) report(failed);
  console.log(JSON.stringify(figures, null, 2));
  if (!args.includes("--regressions") && !args.includes("--no-write")) writeFigures(figures);
  return figures.violations === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
