/**
 * The invariants a walk checks after each round, once `up` has converged: against the emulator's
 * store (what the tenant holds), never against the provider's own view. The state file and the
 * ledger only say which objects the stack owns.
 *
 * What "owns" means here, precisely:
 * - An object is *owned* when a resource in the current state file (not marked for deletion) holds
 *   its id; a bulk request is owned with its session, a bulk job when its policy's state lists it.
 * - An activated restore session that a resource held and no longer does was *let go by design*:
 *   Graph cannot delete an activated session, so delete (and a replace's delete) only forgets it
 *   (decision 0002). It stays in the tenant as the drill's record. A draft let go is an orphan.
 * - A policy held by a registration with `retainOnDelete` and no longer held was *retained by
 *   design*: the engine forgets it without calling the provider. A policy the tenant had before
 *   the walk and no resource adopted yet is the tenant's own.
 * - An object the state never recorded, created by this application while the provider host was
 *   killed during a *create* (the engine kept only a pending create, with no id), is a *crash
 *   leftover*: the engine cannot know it exists, and says so with its pending-operations warning.
 *   Each crashed create may leave at most one session, one policy, and what that create posted into
 *   it (jobs). A leftover session is never adopted (see docs/decisions/0022); a leftover policy is
 *   adopted by the next create of its resource, so after convergence one remains only when the
 *   program no longer declares that resource.
 * Anything else the tenant holds is an orphan; an id two resources hold is a duplicate.
 *
 * "No restore started twice": a session resource's restore request is what its program asks to
 * restore while `activate` is true (its generation, drillId and entries); a request lasts until the
 * program asks for something else. Each request may start one restore (an activated session), plus
 * one per crashed create of that resource made for it: the restore such a create had started is a
 * leftover the engine lost, so the next `up` starts it again. That is the one narrowing, and the walk
 * counts these restores apart (`restoresRepeatedAfterCrash`).
 *
 * Two more narrowings, each following a documented design: a declared name that a bulk job of the
 * policy reported it could not add need not be protected (the name stays in the job's error and is
 * not sent again, decision 0021); and after the host was killed during an update or a delete, the
 * walk checks again after the `pulumi refresh` the engine's warning asks for (see walk.ts).
 */
import type { Emulator, StoredSession, TenantPolicy } from "../emulator";
import type { StackState } from "../harness";
import { ruleInput } from "../provider/schemas/inputs/protection-policy";
import { workload as workloadNamed } from "../provider/workloads";
import { CORE_MAILBOXES, type Fixture } from "./fixture";
import { WORKLOAD_OF, resourceOf, type Ledger } from "./ledger";
import {
  POLICIES,
  POLICY_POOLS,
  SESSIONS,
  restoreRequest,
  ruleMenu,
  type PolicyName,
  type ProgramModel,
  type ResourceName,
  type SessionName,
} from "./model";
import { ITEM_MAILBOX_OFFSET } from "./program";
import type { CrashReport } from "./weather";

/** One command of the walk, as the invariants need it. */
export interface CommandRecord {
  index: number;
  /** The program the command ran with. */
  model: ProgramModel;
  /** Virtual time when it started and ended. */
  fromMs: number;
  toMs: number;
  crash?: CrashReport;
}

/** Everything the checks look at. */
export interface Evidence {
  emulator: Emulator;
  fixture: Fixture;
  model: ProgramModel;
  state: StackState;
  /** Every state file written since the last check, as written (the last one is `state`). */
  stateTexts: readonly string[];
  ledger: Ledger;
  commands: readonly CommandRecord[];
  /** Host output, step errors, engine warnings: everything a user would see. */
  texts: readonly string[];
  /** Every bearer token the provider presented. */
  tokens: ReadonlySet<string>;
}

/** What the checks found. */
export interface Verdict {
  violations: string[];
  /** Objects accounted for as crash leftovers. */
  leftovers: { sessions: number; policies: number; jobs: number };
  /** Restores a request started a second time because the first one's create crashed. */
  restoresRepeatedAfterCrash: number;
}

const TERMINAL = ["completed", "completedWithError", "failed"];
const JWT = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}/;

/** Runs every check; the violations come in the order the checks run, the first one first. */
export function checkInvariants(evidence: Evidence): Verdict {
  const violations: string[] = [];
  const leftovers = { sessions: 0, policies: 0, jobs: 0 };
  const sessions = evidence.emulator.tenant.sessions();
  const policies = evidence.emulator.tenant.policies().filter((p) => p.status !== "deleted");
  const held = heldIds(evidence.state, violations);

  checkStateMatchesProgram(evidence, held, violations);
  for (const name of SESSIONS) {
    const id = held.get(name);
    if (id !== undefined)
      checkSession(
        evidence,
        name,
        sessions.find((s) => s.id.toLowerCase() === id),
        violations,
      );
  }
  for (const name of POLICIES) {
    const id = held.get(name);
    if (id !== undefined)
      checkPolicy(
        evidence,
        name,
        policies.find((p) => p.id.toLowerCase() === id),
        violations,
      );
  }
  const crashedCreates = evidence.commands.filter((c) => c.crash?.operation.op === "create");
  leftovers.sessions = checkSessionOwnership(evidence, sessions, held, crashedCreates, violations);
  leftovers.policies = checkPolicyOwnership(evidence, policies, held, crashedCreates, violations);
  leftovers.jobs = checkJobOwnership(evidence, policies, violations);
  const restoresRepeatedAfterCrash = checkRestores(evidence, sessions, crashedCreates, violations);
  checkSecrets(evidence, violations);
  return { violations, leftovers, restoresRepeatedAfterCrash };
}

/** The id each resource holds now (lower case), from the entries not marked for deletion. */
function heldIds(state: StackState, violations: string[]): Map<ResourceName, string> {
  const held = new Map<ResourceName, string>();
  const seen = new Map<string, string>();
  for (const entry of state.resources) {
    const name = resourceOf(entry.urn);
    if (entry.delete) {
      violations.push(`state: ${name} (${entry.id}) is still marked for deletion after the up converged`);
      continue;
    }
    const id = entry.id.toLowerCase();
    const other = seen.get(id);
    if (other !== undefined) violations.push(`duplicate: ${name} and ${other} hold the same object ${entry.id}`);
    seen.set(id, name);
    held.set(name, id);
  }
  return held;
}

function checkStateMatchesProgram(evidence: Evidence, held: Map<ResourceName, string>, violations: string[]): void {
  const { model, state } = evidence;
  for (const name of [...SESSIONS, ...POLICIES]) {
    const declared = name in model.sessions ? model.sessions[name as SessionName].present : model.policies[name as PolicyName].present;
    if (declared && !held.has(name)) violations.push(`state: the program declares ${name}, the state does not hold it`);
    if (!declared && held.has(name)) violations.push(`state: the program dropped ${name}, the state still holds ${held.get(name)}`);
  }
  for (const entry of state.resources) {
    if (entry.initErrors?.length) violations.push(`state: ${resourceOf(entry.urn)} still has init errors: ${entry.initErrors.join("; ")}`);
  }
  for (const op of state.pendingOperations ?? []) {
    if (op.type !== "creating") violations.push(`state: a pending ${op.type} of ${resourceOf(op.resource.urn)} survived a successful up`);
  }
}

const sorted = (values: readonly string[]) => [...values].map((v) => v.toLowerCase()).sort();
const same = (a: readonly string[], b: readonly string[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** A session in the tenant holds exactly what the program asks, and reached the status it asks for. */
function checkSession(evidence: Evidence, name: SessionName, session: StoredSession | undefined, violations: string[]): void {
  const { fixture } = evidence;
  const program = evidence.model.sessions[name];
  if (!session) return void violations.push(`${name}: its session is not in the tenant`);
  const where = `${name} (session ${session.id})`;
  if (session.workload !== WORKLOAD_OF[name]) violations.push(`${where}: a ${session.workload} session, not ${WORKLOAD_OF[name]}`);
  const keys = session.artifacts.map((a) => a.key);
  const points = session.artifacts.map((a) => a.restorePointId);
  const expect = (what: string, actual: readonly string[], wanted: readonly string[]) => {
    if (!same(actual, wanted))
      violations.push(`${where}: ${what} ${JSON.stringify(sorted(actual))}, the program asks ${JSON.stringify(sorted(wanted))}`);
  };
  if (name === "siteDrill") {
    expect(
      "restores restore points",
      points,
      program.entries.map((i) => fixture.sites[i]!.restorePointId),
    );
  } else if (name === "driveDrill") {
    const requests = session.bulkRequests;
    if (requests.length !== 1) violations.push(`${where}: ${requests.length} bulk requests, not 1`);
    else
      expect(
        "asks the service for",
        requests[0]!.names,
        program.entries.map((i) => fixture.users[i]!.name),
      );
    if (session.activatedDateTime !== undefined)
      expect(
        "restores OneDrives",
        keys,
        program.entries.map((i) => fixture.users[i]!.key),
      );
  } else if (name === "mailboxDrill") {
    expect(
      "restores mailboxes",
      keys,
      program.entries.map((i) => fixture.mailboxes[i]!.key),
    );
    const named = program.entries.filter((i) => i >= CORE_MAILBOXES).map((i) => fixture.mailboxes[i]!.restorePointId);
    const missing = named.filter((p) => !points.includes(p));
    if (missing.length > 0) violations.push(`${where}: misses the restore points ${missing.join(", ")}`);
  } else {
    if (session.granular !== true) violations.push(`${where}: not an item-level session`);
    expect(
      "restores items from",
      points,
      program.entries.map((i) => fixture.mailboxes[ITEM_MAILBOX_OFFSET + i]!.restorePointId),
    );
    if (session.artifacts.some((a) => a.searchResponseId === undefined))
      violations.push(`${where}: an item-level artifact names no search`);
  }
  if (name !== "driveDrill" && session.bulkRequests.length > 0)
    violations.push(`${where}: holds ${session.bulkRequests.length} bulk request(s)`);
  if (session.artifacts.some((a) => a.destinationType !== "new"))
    violations.push(`${where}: an artifact is not restored to a new location`);
  if (program.activate && !TERMINAL.includes(session.status))
    violations.push(`${where}: the program asks for the restore, the session is ${session.status}`);
  if (program.activate && session.status !== "completed") violations.push(`${where}: ended ${session.status}`);
  if (!program.activate && session.status !== "draft")
    violations.push(`${where}: the program asks for a draft, the session is ${session.status}`);
}

/** A policy in the tenant has the program's name, units, rules and activation. */
function checkPolicy(evidence: Evidence, name: PolicyName, policy: TenantPolicy | undefined, violations: string[]): void {
  const { fixture } = evidence;
  const program = evidence.model.policies[name];
  if (!policy) return void violations.push(`${name}: its policy is not in the tenant (or was deleted)`);
  const where = `${name} (policy ${policy.id})`;
  const workload = workloadNamed(WORKLOAD_OF[name]);
  if (policy.workload !== workload.name) violations.push(`${where}: a ${policy.workload} policy`);
  if (policy.displayName !== program.displayName)
    violations.push(`${where}: named "${policy.displayName}", the program says "${program.displayName}"`);
  const active = policy.activations.some((a) => a.untilMs === undefined);
  if (active !== program.active) violations.push(`${where}: ${active ? "active" : "inactive"}, the program says active: ${program.active}`);

  const menu = ruleMenu(name, fixture);
  const kind = workload.protectionPolicy.ruleKind;
  const keyOf = (expression: string, autoApply: boolean) =>
    ruleInput(workload, kind === "siteKeywords" ? { expression } : { groupIds: groupsOf(expression), autoApply }).key;
  const heldRules = policy.rules
    .filter((r) => r.status !== "deleteRequested" && r.status !== "deleted")
    .map((r) => keyOf(r.expression, r.isAutoApplyEnabled));
  const wantedRules = program.rules.map((r) => ruleInput(workload, menu[r]!.args).key);
  if (!same(heldRules, wantedRules))
    violations.push(`${where}: holds rules ${JSON.stringify(sorted(heldRules))}, the program asks ${JSON.stringify(sorted(wantedRules))}`);

  const pool = name === "sitePolicy" ? fixture.sites : name === "drivePolicy" ? fixture.users : fixture.mailboxes;
  const live = policy.units.filter((u) => u.status !== "removed" && u.status !== "removeRequested").map((u) => u.key.toLowerCase());
  if (new Set(live).size !== live.length) violations.push(`${where}: an object has two units`);
  const declared = program.unitIds.map((i) => pool[i]!.key.toLowerCase());
  const names = program.unitNames.map((i) => pool[i]!);
  const nameKeys = names.map((o) => o.key.toLowerCase());
  const listedNames = new Set(names.map((o) => o.name.toLowerCase()));
  // A job one of whose names the program still lists keeps all it brought in (decision 0019).
  const claimedByJobs = policy.bulkJobs
    .filter((job) => job.names.some((n) => listedNames.has(n.toLowerCase())))
    .flatMap((job) => job.names.map((n) => pool.find((o) => o.name.toLowerCase() === n.toLowerCase())?.key.toLowerCase() ?? ""));
  const matched = program.rules.flatMap((r) => menu[r]!.selects(fixture).map((k) => k.toLowerCase()));
  // A name a bulk job could not add stays in that job's error and is not sent again (decision 0021).
  const notAdded = new Set(policy.bulkJobs.flatMap((job) => job.issues.map((issue) => issue.target.toLowerCase())));
  const sentFor = names.filter((o) => !notAdded.has(o.name.toLowerCase())).map((o) => o.key.toLowerCase());
  const missing = [...declared, ...sentFor].filter((k) => !live.includes(k));
  if (missing.length > 0) violations.push(`${where}: does not protect ${missing.join(", ")}, which the program declares`);
  const allowed = new Set([...declared, ...nameKeys, ...matched, ...claimedByJobs]);
  const extra = live.filter((k) => !allowed.has(k));
  if (extra.length > 0) violations.push(`${where}: protects ${extra.join(", ")}, which nothing in the program asks for`);
  if (name === "mailboxPolicy" && POLICY_POOLS.mailboxPolicy.ids.slice(0, CORE_MAILBOXES).some((i) => !program.unitIds.includes(i)))
    violations.push(`${where}: the walk dropped a core mailbox`);
}

function groupsOf(expression: string): string[] {
  return [...expression.matchAll(/'([0-9a-f-]{36})'/gi)].map((m) => m[1]!);
}

/** Which crashed create a leftover created at `createdMs` of this workload belongs to; each may explain one. */
function leftoverOf(
  crashedCreates: readonly CommandRecord[],
  used: Map<CommandRecord, number>,
  kind: "session" | "policy",
  workload: string,
  createdMs: number,
): CommandRecord | undefined {
  const record = crashedCreates.find((c) => {
    const resource = resourceOf(c.crash!.operation.urn);
    const isKind =
      kind === "session" ? (SESSIONS as readonly string[]).includes(resource) : (POLICIES as readonly string[]).includes(resource);
    return isKind && WORKLOAD_OF[resource] === workload && createdMs >= c.fromMs && createdMs <= c.toMs && (used.get(c) ?? 0) === 0;
  });
  if (record) used.set(record, 1);
  return record;
}

/** Sessions: owned, let go by design (activated), or one crash leftover per crashed create; nothing else. */
function checkSessionOwnership(
  evidence: Evidence,
  sessions: readonly StoredSession[],
  held: Map<ResourceName, string>,
  crashedCreates: readonly CommandRecord[],
  violations: string[],
): number {
  const heldIds = new Set(held.values());
  const used = new Map<CommandRecord, number>();
  let leftovers = 0;
  for (const session of sessions) {
    const id = session.id.toLowerCase();
    if (heldIds.has(id)) continue;
    const owned = evidence.ledger.get(id);
    if (owned) {
      if (session.status === "draft")
        violations.push(`orphan: draft session ${session.id} of ${owned.resource} was let go but not deleted`);
      continue;
    }
    if (leftoverOf(crashedCreates, used, "session", session.workload, Date.parse(session.createdDateTime))) {
      leftovers++;
      continue;
    }
    violations.push(
      `orphan: ${session.workload} session ${session.id} (${session.status}, created ${session.createdDateTime}) belongs to no resource`,
    );
  }
  return leftovers;
}

/** Policies: owned, retained by design, the tenant's own, or a crash leftover; nothing else. */
function checkPolicyOwnership(
  evidence: Evidence,
  policies: readonly TenantPolicy[],
  held: Map<ResourceName, string>,
  crashedCreates: readonly CommandRecord[],
  violations: string[],
): number {
  const heldIds = new Set(held.values());
  const used = new Map<CommandRecord, number>();
  let leftovers = 0;
  for (const policy of policies) {
    const id = policy.id.toLowerCase();
    if (heldIds.has(id)) continue;
    const owned = evidence.ledger.get(id);
    if (owned?.retained) continue;
    if (owned) {
      violations.push(`orphan: policy ${policy.id} of ${owned.resource} was let go but not deleted (${policy.status})`);
      continue;
    }
    if (evidence.fixture.preexistingPolicyIds.has(policy.id)) continue;
    if (leftoverOf(crashedCreates, used, "policy", policy.workload, Date.parse(policy.createdDateTime))) {
      leftovers++;
      continue;
    }
    violations.push(`orphan: ${policy.workload} policy ${policy.id} ("${policy.displayName}", ${policy.status}) belongs to no resource`);
  }
  return leftovers;
}

/** Bulk jobs: listed by some state, or posted during a command that crashed; nothing else. */
function checkJobOwnership(evidence: Evidence, policies: readonly TenantPolicy[], violations: string[]): number {
  const crashed = evidence.commands.filter((c) => c.crash !== undefined);
  let leftovers = 0;
  for (const policy of policies) {
    for (const job of policy.bulkJobs) {
      if (evidence.ledger.jobIds.has(job.id.toLowerCase())) continue;
      const at = Date.parse(job.createdDateTime);
      if (crashed.some((c) => at >= c.fromMs && at <= c.toMs)) {
        leftovers++;
        continue;
      }
      violations.push(`orphan: bulk job ${job.id} (${job.names.join(", ")}) of policy ${policy.id} was never in the state`);
    }
  }
  return leftovers;
}

/** The command during which a virtual instant fell. */
function commandAt(commands: readonly CommandRecord[], atMs: number): CommandRecord | undefined {
  return commands.find((c) => atMs >= c.fromMs && atMs <= c.toMs);
}

/** Each restore request started at most one restore (plus one per crashed create for it), and none started unasked. */
function checkRestores(
  evidence: Evidence,
  sessions: readonly StoredSession[],
  crashedCreates: readonly CommandRecord[],
  violations: string[],
): number {
  const { commands, ledger, state } = evidence;
  // Request episodes per session resource: a new one whenever what the program asks to restore changes.
  const episodes = new Map<SessionName, Map<number, number>>();
  for (const name of SESSIONS) {
    const byCommand = new Map<number, number>();
    let last: string | undefined;
    let episode = 0;
    for (const command of commands) {
      const request = restoreRequest(command.model.sessions[name]);
      if (request !== undefined && request !== last) episode++;
      if (request !== undefined) byCommand.set(command.index, episode);
      last = request;
    }
    episodes.set(name, byCommand);
  }
  const heldBy = new Map(state.resources.filter((r) => !r.delete).map((r) => [r.id.toLowerCase(), resourceOf(r.urn)]));
  const started = new Map<string, { owned: string[]; leftovers: string[]; crashes: number }>();
  const used = new Map<CommandRecord, number>();
  for (const session of sessions) {
    if (session.activatedDateTime === undefined) continue;
    const id = session.id.toLowerCase();
    const owner = heldBy.get(id) ?? ledger.get(id)?.resource;
    const leftover =
      owner === undefined ? leftoverOf(crashedCreates, used, "session", session.workload, Date.parse(session.createdDateTime)) : undefined;
    const resource = (owner ?? (leftover ? resourceOf(leftover.crash!.operation.urn) : undefined)) as SessionName | undefined;
    if (resource === undefined) continue; // an orphan, reported already
    const activated = commandAt(commands, Date.parse(session.activatedDateTime));
    const episode = activated === undefined ? undefined : episodes.get(resource)!.get(activated.index);
    if (episode === undefined) {
      violations.push(
        `restore: ${resource} session ${session.id} was activated (${session.activatedDateTime}) while the program did not ask for a restore`,
      );
      continue;
    }
    const key = `${resource}#${episode}`;
    const entry = started.get(key) ?? { owned: [], leftovers: [], crashes: 0 };
    (leftover ? entry.leftovers : entry.owned).push(session.id);
    started.set(key, entry);
  }
  let repeated = 0;
  for (const [key, entry] of started) {
    const [resource, episode] = key.split("#") as [SessionName, string];
    const crashes = crashedCreates.filter(
      (c) => resourceOf(c.crash!.operation.urn) === resource && episodes.get(resource)!.get(c.index) === Number(episode),
    ).length;
    if (entry.owned.length > 1)
      violations.push(`restore: ${resource} started ${entry.owned.length} restores for one request (${entry.owned.join(", ")})`);
    if (entry.leftovers.length > crashes)
      violations.push(
        `restore: ${resource} has ${entry.leftovers.length} restores from crashed creates, but only ${crashes} such create(s)`,
      );
    if (entry.owned.length > 0) repeated += entry.leftovers.length;
  }
  return repeated;
}

/** The client secret and every token the provider presented appear in no state, log or error. */
function checkSecrets(evidence: Evidence, violations: string[]): void {
  const secret = evidence.emulator.demoApp.clientSecret;
  const sources = [
    ...evidence.stateTexts.map((text) => ({ what: "the state file", text })),
    ...evidence.texts.map((text) => ({ what: "host output or an error", text })),
  ];
  for (const { what, text } of sources) {
    if (text.includes(secret)) violations.push(`secret: the client secret appears in ${what}`);
    const token = [...evidence.tokens].find((t) => text.includes(t) || text.includes(t.split(".")[2] ?? t));
    if (token) violations.push(`secret: an access token appears in ${what}`);
    else if (JWT.test(text))
      violations.push(`secret: something shaped like a token appears in ${what}: ${JWT.exec(text)![0].slice(0, 24)}...`);
  }
}
