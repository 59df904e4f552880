/**
 * A stack driven through the engine harness and the real provider host, with each command measured:
 * its wall time, the Graph requests it made and their lower bound, the provider host's CPU time, this
 * process's CPU time (the engine harness and the emulator) and the hosts' peak memory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../emulator";
import { engineHarness, type StackState, type StepEvent } from "../harness";
import { makeProgramDir } from "../tests/support/program-dir";
import { emulatorConfig, graphEntries, handlingMs, HostCpu, hostEnv, PeakMemory, round, sequentialBoundMs, tally } from "./support";

/** The commands a benchmark runs. */
export type Command = "up" | "refresh" | "destroy";

/** What one command cost. */
export interface CommandFigures {
  command: Command;
  /** First step started to last step ended (host start and program run excluded), in seconds. */
  wallSeconds: number;
  /** The whole command, host start and program run included, in seconds. */
  commandSeconds: number;
  /** Graph requests served (429s apart). */
  requests: number;
  throttled: number;
  /** The emulator's own handling time of those requests, in ms. */
  handlingMs: number;
  /** Every request one after another: requests x latency + handling, in seconds. */
  sequentialBoundSeconds: number;
  /** The provider host's CPU time from listening to the last step, in ms. */
  hostCpuMs: number;
  /** The Pulumi host's own start-up CPU time (before it listened), in ms. */
  hostStartupCpuMs: number;
  /** This process's CPU time (engine harness, emulator transport) without the emulator's handling, in ms. */
  harnessCpuMs: number;
  /** Resource steps that succeeded, and the first failure, if any. */
  succeeded: number;
  error?: string;
}

/** How the stack is made. */
export interface MeasuredStackOptions {
  emulator: Emulator;
  /** The emulator's added latency per request, for the bound. */
  latencyMs: number;
  program: () => Promise<void>;
  /** Resource steps at once (`pulumi up --parallel`); default 1. */
  parallel?: number;
  /** Extra environment for the provider host. */
  env?: Record<string, string>;
  /** Called for each step event after the figures took it. */
  onEvent?: (event: StepEvent) => void;
}

/** A stack whose commands return their figures. */
export interface MeasuredStack {
  run(command: Command): Promise<CommandFigures>;
  /** The state file as the last command left it. */
  state(): StackState;
  /** The highest peak RSS of the hosts so far, in MB. */
  peakRssMb(): number;
}

/** Makes a stack of `program` against `emulator`, in a fresh program directory and state file. */
export function measuredStack(options: MeasuredStackOptions): MeasuredStack {
  const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "m365-bench-")), "state.json");
  const memory = new PeakMemory();
  let peak = 0;
  let cpu = new HostCpu();
  let first = Infinity;
  let last = -Infinity;
  let succeeded = 0;
  const stack = engineHarness({
    projectName: "bench",
    stackName: "bench",
    program: async () => options.program(),
    config: emulatorConfig(options.emulator),
    statePath,
    workDir: makeProgramDir(),
    env: hostEnv(options.emulator, options.env),
    parallel: options.parallel,
    onHostStarted: (host) => {
      cpu.started(host);
      memory.watch(host.pid);
    },
    onEvent: (event) => {
      const now = performance.now();
      if (event.status === "started") first = Math.min(first, now);
      else {
        last = Math.max(last, now);
        cpu.sample();
      }
      if (event.status === "done") succeeded++;
      options.onEvent?.(event);
    },
  });

  return {
    async run(command) {
      cpu = new HostCpu();
      first = Infinity;
      last = -Infinity;
      succeeded = 0;
      const journalBefore = options.emulator.journal.entries().length;
      const benchCpuBefore = process.cpuUsage();
      const started = performance.now();
      // A failed step ends its command, as in the engine; the figures say so and the next command still runs.
      const error = await stack[command]().then(
        () => undefined,
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      const commandSeconds = (performance.now() - started) / 1000;
      const benchCpu = process.cpuUsage(benchCpuBefore);
      const entries = graphEntries(options.emulator.journal.entries().slice(journalBefore));
      const requests = tally(entries);
      const handled = handlingMs(entries);
      peak = Math.max(peak, memory.stop());
      return {
        command,
        wallSeconds: round(last > first ? (last - first) / 1000 : 0, 3),
        commandSeconds: round(commandSeconds, 3),
        requests: requests.served,
        throttled: requests.throttled,
        handlingMs: round(handled, 1),
        sequentialBoundSeconds: round(sequentialBoundMs(entries, options.latencyMs) / 1000, 3),
        hostCpuMs: round(cpu.commandMs),
        hostStartupCpuMs: round(cpu.startupMs),
        harnessCpuMs: round((benchCpu.user + benchCpu.system) / 1000 - handled, 1),
        succeeded,
        ...(error === undefined ? {} : { error }),
      };
    },
    state: () => JSON.parse(fs.readFileSync(statePath, "utf8")) as StackState,
    peakRssMb: () => round(peak, 1),
  };
}
