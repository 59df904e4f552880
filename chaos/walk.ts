/**
 * One seeded walk: a stack of the seven resources on a fresh emulator, driven through the real
 * provider host by the engine harness. Each step changes the program once and runs one command
 * (`up`, or `refresh`; a destroy is an `up` without the resource) under the walk's weather; every
 * `roundSteps` steps the weather stops, `up` runs until it converges, and the invariants are checked
 * against the emulator's store. The first broken invariant ends the walk.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { EngineCrashedError, engineHarness, type StackState, type StepResult } from "../harness";
import { makeProgramDir } from "../tests/support/program-dir";
import { prepareTenant, TENANT_SIZE, type Fixture } from "./fixture";
import { checkInvariants, type CommandRecord, type Verdict } from "./invariants";
import { Ledger, resourceOf } from "./ledger";
import { changeProgram, cloneModel, initialModel, type ProgramModel } from "./model";
import { declare } from "./program";
import { Rng } from "./random";
import { Weather } from "./weather";

/** The walk's settings; a seed replays exactly only with the same ones (the defaults, unless recorded). */
export interface WalkSettings {
  /** Steps in the walk. */
  steps: number;
  /** Steps between two convergence checks. */
  roundSteps: number;
  /** Share of Graph requests that fail. */
  faultRate: number;
  /** Share of commands during which the provider host may be killed. */
  crashRate: number;
}

/** The walk every figure and regression seed uses. */
export const DEFAULT_WALK: WalkSettings = { steps: 40, roundSteps: 8, faultRate: 0.15, crashRate: 0.08 };

/** Ups after the faults stop before a walk gives up on converging (the no-op up not counted). */
export const MAX_CONVERGING_UPS = 5;

/** The virtual time a walk starts at: fixed, so restore point ids and every date replay exactly. */
export const WALK_START = "2026-03-02T08:00:00.000Z";

/** How a walk ended. */
export interface WalkResult {
  seed: number;
  settings: WalkSettings;
  /** Steps run (all of them unless an invariant broke). */
  steps: number;
  commands: number;
  graphRequests: number;
  faults: Record<string, number>;
  hostKills: number;
  /** Per round: the ups after the faults stopped until one was a no-op (not counted). */
  upsToConverge: number[];
  leftovers: Verdict["leftovers"];
  restoresRepeatedAfterCrash: number;
  /** Refreshes a round needed after the host was killed during an update or delete. */
  refreshesAfterCrash: number;
  /** The first round's violations that broke, if any, the first one first. */
  violations: string[];
  /** One line per step and per converging up. */
  log: string[];
  wallMs: number;
}

/** Runs one walk. `trust` is the certificate the emulator serves and the host trusts. */
export async function runWalk(
  seed: number,
  settings: WalkSettings,
  trust: { certPath: string; keyPath: string },
  onLine: (line: string) => void = () => undefined,
): Promise<WalkResult> {
  const started = Date.now();
  const weather = new Weather(seed, settings.faultRate);
  const emulator = await startEmulator({
    tls: trust,
    now: WALK_START,
    speed: 0,
    sites: TENANT_SIZE.sites,
    users: TENANT_SIZE.users,
    ...weather.emulatorHooks(),
  });
  weather.attach(emulator);
  const fixture = prepareTenant(emulator);
  const programDir = makeProgramDir();
  const walk = new Walk(seed, settings, emulator, fixture, weather, programDir, trust.certPath, onLine);
  try {
    await walk.run();
  } finally {
    await walk.close();
    await emulator.close();
    fs.rmSync(programDir, { recursive: true, force: true });
  }
  return walk.result(Date.now() - started);
}

class Walk {
  private readonly rng: Rng;
  private readonly model: ProgramModel = initialModel();
  private readonly ledger = new Ledger();
  private readonly commands: CommandRecord[] = [];
  private readonly log: string[] = [];
  private readonly statePath: string;
  private readonly harness: ReturnType<typeof engineHarness>;
  /** What a user would see since the last check: host output, warnings, errors. */
  private texts: string[] = [];
  /** The state files written since the last check. */
  private stateTexts: string[] = [];
  private program: ProgramModel;
  private steps = 0;
  private upsToConverge: number[] = [];
  /** Commands already covered by a check. */
  private lastCheck = 0;
  /** Refreshes run because the host was killed during an update or delete (see `converge`). */
  private refreshesAfterCrash = 0;
  private verdict: Verdict = { violations: [], leftovers: { sessions: 0, policies: 0, jobs: 0 }, restoresRepeatedAfterCrash: 0 };

  constructor(
    private readonly seed: number,
    private readonly settings: WalkSettings,
    private readonly emulator: Emulator,
    private readonly fixture: Fixture,
    private readonly weather: Weather,
    programDir: string,
    certPath: string,
    private readonly onLine: (line: string) => void,
  ) {
    this.rng = new Rng(seed);
    this.program = cloneModel(this.model);
    this.statePath = path.join(programDir, "state.json");
    this.harness = engineHarness({
      projectName: "chaos",
      stackName: `walk-${seed}`,
      program: async () => declare(this.program, this.fixture),
      config: {
        "m365-backup:graphEndpoint": emulator.url,
        "m365-backup:authorityHost": emulator.url,
        "m365-backup:tenantId": emulator.tenantId,
        "m365-backup:clientId": emulator.demoApp.clientId,
        "m365-backup:clientSecret": emulator.demoApp.clientSecret,
        "m365-backup:retryBudgetSeconds": "6",
        "m365-backup:requestTimeoutSeconds": "2",
      },
      statePath: this.statePath,
      workDir: programDir,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath },
      keepHost: true,
      crash: weather.crashPlan(),
      onHostStarted: (host) => weather.hostStarted(host),
      onLog: (text) => this.texts.push(text),
      onWarning: (text) => this.texts.push(text),
      onEvent: (event) => {
        if (event.detail) this.texts.push(event.detail);
        if (process.env.CHAOS_EVENTS && event.status !== "started")
          this.onLine(`    ${event.urn.split("::").pop()} ${event.op} ${event.status}`);
      },
    });
  }

  async run(): Promise<void> {
    for (let step = 1; step <= this.settings.steps; step++) {
      this.steps = step;
      const held = new Set(this.state().resources.map((r) => resourceOf(r.urn)));
      const change = changeProgram(this.model, this.rng, this.fixture, (name) => held.has(name));
      const kind = change.needsUp || !this.rng.chance(0.2) ? "up" : "refresh";
      const crash = this.rng.chance(this.settings.crashRate);
      const pause = this.rng.pick([0, 2, 10, 30, 60]);
      this.emulator.clock.advance(pause * 60_000);
      const { text } = await this.command(kind, { faults: true, crash });
      this.say(`step ${step}: ${change.text}; +${pause} min; ${kind}${crash ? " (host may be killed)" : ""} -> ${text}`);
      if (step % this.settings.roundSteps === 0 || step === this.settings.steps) {
        if (!(await this.converge())) return;
      }
    }
  }

  /**
   * Stops the weather, runs up until one is a no-op, and checks the invariants; false when one broke.
   * When the ups converged but the tenant does not match and the host was killed during an update or
   * a delete since the last check, the state may not show what that operation did: the engine's
   * pending-operations warning asks for `pulumi refresh`, so the walk runs one and converges again.
   */
  private async converge(): Promise<boolean> {
    const since = this.lastCheck;
    this.lastCheck = this.commands.length;
    const first = await this.convergeOnce();
    let verdict = this.check(first);
    const interrupted = this.commands.slice(since).some((c) => c.crash?.operation.op === "update" || c.crash?.operation.op === "delete");
    let ups = first.ups;
    if (first.noOp && verdict.violations.length > 0 && interrupted) {
      for (const violation of verdict.violations) this.say(`  (before a refresh) ${violation}`);
      const { text } = await this.command("refresh", { faults: false, crash: false });
      this.say(`  refresh, as the engine's warning about the interrupted operation asks: ${text}`);
      this.refreshesAfterCrash++;
      const second = await this.convergeOnce();
      verdict = this.check(second);
      ups += second.ups;
    }
    this.upsToConverge.push(ups);
    this.verdict = verdict;
    for (const violation of verdict.violations) this.say(`  VIOLATION ${violation}`);
    return verdict.violations.length === 0;
  }

  /** Runs up (without faults) until one is a no-op, at most `MAX_CONVERGING_UPS` + 1 ups. */
  private async convergeOnce(): Promise<{ ups: number; noOp: boolean; last: string }> {
    let ups = 0;
    let last = "";
    while (ups <= MAX_CONVERGING_UPS) {
      this.emulator.clock.advance(20 * 60_000);
      const { text, result } = await this.command("up", { faults: false, crash: false });
      const writes = this.graphWrites();
      const { same: _same, ...changed } = result?.changes ?? { same: 0 };
      this.say(`  converging up ${ups + 1}: ${text}; ${writes} Graph write(s)`);
      if (result !== undefined && writes === 0 && Object.values(changed).every((n) => n === 0)) return { ups, noOp: true, last };
      last = text;
      ups++;
    }
    return { ups, noOp: false, last };
  }

  /** Checks the invariants now (see invariants.ts); what a user saw since the last check is scanned once. */
  private check(converged: { noOp: boolean; last: string }): Verdict {
    const verdict = checkInvariants({
      emulator: this.emulator,
      fixture: this.fixture,
      model: this.model,
      state: this.state(),
      stateTexts: this.stateTexts,
      ledger: this.ledger,
      commands: this.commands,
      texts: this.texts,
      tokens: this.weather.tokens,
    });
    this.texts = [];
    this.stateTexts = [];
    if (!converged.noOp)
      verdict.violations.unshift(
        `convergence: ${MAX_CONVERGING_UPS + 1} ups after the faults stopped, still no no-op up (last: ${converged.last})`,
      );
    return verdict;
  }

  /** Runs one command with the current program under the given weather; describes how it ended. */
  private async command(
    kind: "up" | "refresh",
    exposure: { faults: boolean; crash: boolean },
  ): Promise<{ text: string; result?: StepResult }> {
    const index = this.commands.length + 1;
    this.program = cloneModel(this.model);
    this.weather.begin({ command: index, ...exposure });
    this.emulator.journal.clear();
    const counts = new Map(this.weather.counts);
    const fromMs = this.emulator.clock.now().getTime();
    let outcome: string;
    let result: StepResult | undefined;
    try {
      result = kind === "up" ? await this.harness.up() : await this.harness.refresh();
      outcome = `ok ${describe(result)}`;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.texts.push(message);
      outcome = error instanceof EngineCrashedError ? `crashed: ${message}` : `failed: ${oneLine(message)}`;
    }
    const crash = this.weather.crashed();
    this.commands.push({ index, model: this.program, fromMs, toMs: this.emulator.clock.now().getTime(), crash });
    this.ledger.observe(this.state(), index);
    if (fs.existsSync(this.statePath)) this.stateTexts.push(fs.readFileSync(this.statePath, "utf8"));
    const faults = [...this.weather.counts]
      .map(([k, n]) => [k, n - (counts.get(k) ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} x${n}`);
    const crashText = crash
      ? ` [crash: ${crash.operation.op} of ${crash.operation.urn.split("::").pop()} at request ${crash.afterRequests}${crash.acted ? ", acted" : ", dropped"}${crash.struck ? "" : ", after it ended"}]`
      : "";
    return { text: `${outcome}${faults.length > 0 ? ` {${faults.join(", ")}}` : ""}${crashText}`, result };
  }

  /** Graph writes the last command made (searches change nothing). */
  private graphWrites(): number {
    return this.emulator.journal
      .entries()
      .filter((e) => /^\/(v1\.0|beta)\//.test(e.path) && e.method !== "GET" && !e.path.endsWith("/restorePoints/search")).length;
  }

  private state(): StackState {
    return fs.existsSync(this.statePath)
      ? (JSON.parse(fs.readFileSync(this.statePath, "utf8")) as StackState)
      : { resources: [], outputs: {} };
  }

  private say(line: string): void {
    this.log.push(line);
    this.onLine(line);
  }

  async close(): Promise<void> {
    await this.harness.close();
  }

  result(wallMs: number): WalkResult {
    return {
      seed: this.seed,
      settings: this.settings,
      steps: this.steps,
      commands: this.commands.length,
      graphRequests: this.weather.graphRequests,
      faults: this.weather.faultCounts(),
      hostKills: this.weather.hostKills(),
      upsToConverge: this.upsToConverge,
      leftovers: this.verdict.leftovers,
      restoresRepeatedAfterCrash: this.verdict.restoresRepeatedAfterCrash,
      refreshesAfterCrash: this.refreshesAfterCrash,
      violations: this.verdict.violations,
      log: this.log,
      wallMs,
    };
  }
}

function describe(result: StepResult): string {
  return Object.entries(result.changes)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > 300 ? `${flat.slice(0, 300)}...` : flat;
}
