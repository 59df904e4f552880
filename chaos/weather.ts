/**
 * What happens to a walk's requests besides the provider's own doing: the faults the emulator
 * injects, tokens revoked mid-operation, the provider host killed mid-operation, and the passing of
 * the emulator's virtual time. All of it is decided by the seed and the request, never by the wall
 * clock, so a seed replays exactly.
 *
 * - Faults: each Graph request draws once from `unitOf(seed, command, method + route, occurrence)`.
 *   The emulator's fault rules carry cumulative probabilities in a fixed order and the seeded source
 *   hands every rule the same draw, so exactly one kind fires for a draw in its band.
 * - Time: the clock stands still (speed 0) except that each Graph request moves it 1 s, a status
 *   read (a session or policy read, an activation, a deactivation, a policy delete) 10 minutes, so
 *   the provider's waits end after a fixed number of polls, and the walk moves it between commands.
 * - Crashes: a command may carry a crash plan; the host is killed (SIGKILL, synchronously, from the
 *   request hook) as the k-th request of the chosen operation arrives: either that request still
 *   reaches Graph ("acted") or it is dropped ("not acted").
 */
import type { CrashPlan, Host, InFlightOperation } from "../harness";
import type { Emulator, FaultRule, FaultTarget, IncomingRequest } from "../emulator";
import { unitOf } from "./random";

const GRAPH = /^\/(v1\.0|beta)\//i;
const SESSION_ACTIVATE = /^\/(v1\.0|beta)\/solutions\/backupRestore\/restoreSessions\/[^/]+\/activate$/i;
/** Route templates whose requests are status reads: a wait polls them. */
const STATUS_READ =
  /\/(restoreSessions|\w+RestoreSessions|\w+ProtectionPolicies|protectionPolicies)\/\{(id|policyId)\}(\/(activate|deactivate))?$/;

/** Virtual time each Graph request takes, and each status read. */
export const REQUEST_MS = 1_000;
export const STATUS_READ_MS = 10 * 60_000;

/** One kind of fault and its share of the faulted requests. */
interface FaultKind {
  name: string;
  weight: number;
  /** The emulator rule, without its probability (set from the bands). */
  rule?: Omit<FaultRule, "probability">;
}

/** The kinds of the general fault rate, in the order their bands (and rules) are laid out. */
export const FAULT_KINDS: readonly FaultKind[] = [
  { name: "429 with Retry-After", weight: 1, rule: { path: GRAPH, status: 429, retryAfterSeconds: 1 } },
  { name: "429 without Retry-After", weight: 1, rule: { path: GRAPH, status: 429, retryAfterSeconds: null } },
  { name: "503 with Retry-After", weight: 1, rule: { path: GRAPH, status: 503, retryAfterSeconds: 1 } },
  { name: "503 without Retry-After", weight: 1, rule: { path: GRAPH, status: 503 } },
  { name: "500", weight: 1, rule: { path: GRAPH, status: 500 } },
  { name: "reset before processing", weight: 1, rule: { path: GRAPH, reset: "before" } },
  { name: "reset after processing", weight: 1, rule: { path: GRAPH, reset: "after" } },
  { name: "timeout", weight: 0.5, rule: { path: GRAPH, timeout: true } },
  { name: "truncated body", weight: 1, rule: { path: GRAPH, malformed: true } },
  { name: "401 expired token", weight: 0.75, rule: { path: GRAPH, status: 401 } },
  // Not a rule: the hook revokes every token of the application, so this request's is refused.
  { name: "revoked tokens", weight: 0.5 },
];

/** Activations draw a second band above the general rate: the tenant "already has 25 active sessions". */
export const TOO_MANY_ACTIVE = {
  name: "TooManyActiveRestoreSessions",
  rate: 0.25,
  rule: { method: "POST", path: SESSION_ACTIVATE, status: 500, code: "TooManyActiveRestoreSessions" } satisfies Omit<
    FaultRule,
    "probability"
  >,
};

/** What one command is exposed to. */
export interface Exposure {
  /** The command's number in the walk (part of every draw's key). */
  command: number;
  /** Faults on Graph requests at the walk's rate; off while converging. */
  faults: boolean;
  /** Whether the provider host may be killed during one of the command's operations. */
  crash: boolean;
}

/** Where a crash struck. */
export interface CrashReport {
  operation: InFlightOperation;
  afterRequests: number;
  acted: boolean;
  /** False when the operation ended before that request: the host died before the engine recorded the answer. */
  struck: boolean;
}

interface Band {
  kind: string;
  upTo: number;
  applies(method: string, path: string): boolean;
}

/** The weather of one walk. */
export class Weather {
  /** Faults injected, by kind. */
  readonly counts = new Map<string, number>();
  /** Every bearer token the provider presented: none may appear in state, logs or errors. */
  readonly tokens = new Set<string>();
  graphRequests = 0;
  private readonly bands: Band[];
  private emulator: Emulator | undefined;
  private exposure: Exposure = { command: 0, faults: false, crash: false };
  private occurrences = new Map<string, number>();
  private draw = 1;
  private hostPid: number | undefined;
  private operations = 0;
  private armed: { operation: InFlightOperation; afterRequests: number; acted: boolean; seen: number; strike: () => void } | undefined;
  private crashReport: CrashReport | undefined;

  constructor(
    private readonly seed: number,
    private readonly rate: number,
  ) {
    const total = FAULT_KINDS.reduce((sum, k) => sum + k.weight, 0);
    let upTo = 0;
    this.bands = FAULT_KINDS.map((kind) => {
      upTo += (rate * kind.weight) / total;
      return { kind: kind.name, upTo, applies: (_method: string, path: string) => GRAPH.test(path) };
    });
    this.bands.push({
      kind: TOO_MANY_ACTIVE.name,
      upTo: rate + TOO_MANY_ACTIVE.rate,
      applies: (method, path) => method === "POST" && SESSION_ACTIVATE.test(path),
    });
  }

  /** The emulator options that let this weather decide: its draw source and its request hook. */
  emulatorHooks(): { random: (target: FaultTarget) => number; onRequest: (request: IncomingRequest) => void } {
    return { random: () => this.draw, onRequest: (request) => this.onRequest(request) };
  }

  /** Connects the started emulator (its clock, fault rules and token revocation). */
  attach(emulator: Emulator): void {
    this.emulator = emulator;
    emulator.faults.clear();
    const rules = [
      ...FAULT_KINDS.map((k, i) => ({ kind: k, upTo: this.bands[i]!.upTo })),
      { kind: TOO_MANY_ACTIVE, upTo: this.bands.at(-1)!.upTo },
    ];
    for (const { kind, upTo } of rules) if (kind.rule) emulator.faults.add({ ...kind.rule, probability: upTo });
  }

  /** The harness reports each new provider host: the one a crash kills. */
  hostStarted(host: Host): void {
    this.hostPid = host.pid;
  }

  /** Starts a command under this exposure. */
  begin(exposure: Exposure): void {
    this.exposure = exposure;
    this.occurrences = new Map();
    this.operations = 0;
    this.armed = undefined;
    this.crashReport = undefined;
  }

  /** Where the last command's crash struck, if it had one. */
  crashed(): CrashReport | undefined {
    return this.crashReport;
  }

  /** The harness's crash plan: consulted for every operation; strikes at most once per command. */
  crashPlan(): CrashPlan {
    let struck: Promise<void> = Promise.resolve();
    return {
      during: (operation) => {
        if (!this.exposure.crash || this.crashReport) return false;
        const index = this.operations++;
        const key = [this.seed, this.exposure.command, "crash", index] as const;
        if (unitOf(...key, "here") >= 0.4) return false;
        const afterRequests = 1 + Math.floor(unitOf(...key, "after") * 6);
        const acted = unitOf(...key, "acted") < 0.5;
        this.crashReport = { operation, afterRequests, acted, struck: false };
        struck = new Promise<void>((resolve) => {
          this.armed = { operation, afterRequests, acted, seen: 0, strike: resolve };
        });
        return true;
      },
      when: () => struck,
    };
  }

  private onRequest(request: IncomingRequest): void {
    this.draw = 1;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? "")?.[1];
    if (bearer) this.tokens.add(bearer);
    if (this.armed && this.strikeNow(request)) return;
    if (!GRAPH.test(request.path)) return;
    this.graphRequests += 1;
    this.emulator!.clock.advance(request.template !== undefined && STATUS_READ.test(request.template) ? STATUS_READ_MS : REQUEST_MS);
    if (!this.exposure.faults) return;
    const key = `${request.method} ${request.template ?? request.path}`;
    const occurrence = this.occurrences.get(key) ?? 0;
    this.occurrences.set(key, occurrence + 1);
    const draw = unitOf(this.seed, this.exposure.command, key, occurrence);
    const band = this.bands.find((b) => draw < b.upTo && b.applies(request.method, request.path));
    if (!band) return;
    this.counts.set(band.kind, (this.counts.get(band.kind) ?? 0) + 1);
    if (band.kind === "revoked tokens") {
      // Continuous Access Evaluation's claims challenge for half of them, a plain 401 for the others.
      const claimsChallenge = unitOf(this.seed, this.exposure.command, key, occurrence, "claims") < 0.5;
      this.emulator!.apps.revokeTokens(this.emulator!.demoApp.clientId, { claimsChallenge });
      return;
    }
    this.draw = draw;
  }

  /** Counts the armed operation's requests; at the chosen one kills the host, and drops the request unless it is to reach Graph. */
  private strikeNow(request: IncomingRequest): boolean {
    const armed = this.armed!;
    armed.seen += 1;
    if (armed.seen < armed.afterRequests) return false;
    this.armed = undefined;
    if (this.hostPid !== undefined) process.kill(this.hostPid, "SIGKILL");
    this.crashReport = { ...this.crashReport!, struck: true };
    this.counts.set("host killed", (this.counts.get("host killed") ?? 0) + 1);
    if (!armed.acted) this.emulator!.faults.add({ method: request.method, path: request.path, reset: "before", times: 1 });
    armed.strike();
    return !armed.acted;
  }

  /** Faults injected so far, by kind (host kills apart). */
  faultCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].filter(([kind]) => kind !== "host killed").sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Host kills so far. */
  hostKills(): number {
    return this.counts.get("host killed") ?? 0;
  }
}
