/**
 * create, read, update and delete of a protection policy, for any workload: the half of the
 * provider that talks to Graph.
 *
 * Create, update and adoption all run the same work (see plan.ts): rules the program dropped are
 * deleted, units are added and removed in PATCHes of 50, a dynamic rule takes new groups, new rules
 * are created, names go out in bulk addition jobs, and the policy is activated or deactivated.
 * Whatever fails after the policy exists keeps its id (the engine keeps it in state) and the next
 * `up` finishes the work.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isDeltaItemsFailedError, isGraphRequestError, type GraphClient, type GraphRequestError, type UnitDelta } from "../../graph";
import { ruleInput, type ProtectionPolicyInputs, type RuleInput } from "../../schemas/inputs/protection-policy";
import type { GraphPolicy, GraphRule, ProtectionUnit, UnitDeltaResult } from "../../schemas/wire";
import { LIMITS, type Workload } from "../../workloads";
import { chunks } from "../../graph/chunks";
import { PartialFailureError } from "../partial-failure-error";
import { realClock, type Clock, type Log } from "../restore-session/wait";
import { claimsOf, keptRuleIds, pairRules, planWork, type PolicyWork } from "./plan";
import { attribute, isClaimed, wasSeenWorking, sourcesOf } from "./provenance";
import {
  bulkJobState,
  isHeldRule,
  isHeldUnit,
  policyFields,
  readState,
  ruleState,
  STATE_VERSION,
  storedRuleKey,
  storedOutputs,
  unitKey,
  unitState,
  type PolicyState,
  type RuleState,
  type UnitState,
} from "./state";
import { driveTo } from "./status";

/** What every operation works with: the Graph client, the workload, where to log, and the clock. */
export interface PolicyContext {
  graph: GraphClient;
  workload: Workload;
  log: Log;
  clock?: Clock;
}

/** Statuses in which the stored status is trusted enough to act on without reading the policy first. */
const SETTLED = ["active", "activeWithErrors", "inactive"];

/**
 * Creates the policy with its first 50 units, then does the rest of the work. When Graph refuses
 * because the workload already has an active policy, `adoptExisting` takes that one over instead.
 */
export async function create(context: PolicyContext, inputs: ProtectionPolicyInputs): Promise<dynamic.CreateResult> {
  const { graph, workload } = context;
  const first = inputs.unitIds.slice(0, LIMITS.unitsPerPolicyRequest);
  let policy: GraphPolicy;
  try {
    policy = await graph.createPolicy(workload, { displayName: inputs.displayName, unitKeys: first });
  } catch (error) {
    if (!(isGraphRequestError(error) && REFUSED_AS_EXISTING.includes(error.code ?? ""))) throw error;
    const listed = await graph.listPolicies(workload);
    const interrupted = await interruptedCreate(context, inputs, listed);
    if (interrupted !== undefined) return resume(context, inputs, interrupted);
    if (error.code !== "PolicyCreationNotAllowed") throw error;
    if (inputs.adoptExisting) return adopt(context, inputs, listed);
    throw explainExisting(context, error, listed);
  }
  const state: PolicyState = {
    ...blankState(inputs),
    ...policyFields(policy),
    // Graph accepted them (201); new units start as protectRequested.
    units: first.map((key) => unitState({ id: undefined, [workload.protectionUnit.key]: key, status: "protectRequested" } as UnitState)),
  };
  const run = new PolicyRun(context, policy.id, state, inputs);
  await run.apply(planWork(workload, state, inputs), { listUnits: false });
  return { id: policy.id, outs: run.outputs() };
}

/** Refusals of a create that say a policy of this program may exist already. */
const REFUSED_AS_EXISTING = ["PolicyCreationNotAllowed", "ProtectionUnitAlreadyExists"];

/** A policy found in Graph, with its units and rules as listed. */
interface ListedPolicy {
  policy: GraphPolicy;
  units: ProtectionUnit[];
  rules: GraphRule[];
}

/**
 * This resource's own create, interrupted after Graph made the policy: the engine then kept only a
 * pending create, with no id, and runs create again, which Graph refuses because of that policy
 * (its units, or it being active). It is recognised as a policy this application created, under
 * the program's name, holding no unit and no rule the program does not ask for. Taking it over is
 * safe (decision 0022): it removes nothing the program would not, and a policy like that which
 * belonged to another stack could never converge next to this one anyway, since Graph keeps an
 * object in one policy only. None, or more than one, and the refusal stands.
 */
async function interruptedCreate(
  context: PolicyContext,
  inputs: ProtectionPolicyInputs,
  listed: readonly GraphPolicy[],
): Promise<ListedPolicy | undefined> {
  const { graph, workload } = context;
  const appId = graph.applicationId()?.toLowerCase();
  if (appId === undefined) return undefined;
  const matches: ListedPolicy[] = [];
  for (const policy of listed) {
    if (policy.createdBy?.application?.id?.toLowerCase() !== appId || policy.displayName !== inputs.displayName) continue;
    const [units, rules] = await Promise.all([graph.listPolicyUnits(workload, policy.id), graph.listRules(workload, policy.id)]);
    const heldRules = rules.map((rule) => ruleState(rule));
    const pairing = pairRules(workload, heldRules, inputs.rules);
    if (pairing.unpaired.length > 0 || pairing.patch !== undefined) continue;
    const claims = claimsOf(workload, { bulkJobs: [] }, inputs, keptRuleIds(pairing));
    const attributed = attribute(workload, units, sourcesOf(workload, heldRules, []));
    if (attributed.some((unit) => isHeldUnit(unit) && !isClaimed(workload, unit, claims))) continue;
    matches.push({ policy, units, rules });
  }
  return matches.length === 1 ? matches[0] : undefined;
}

/** Goes on with an interrupted create of this resource: the found policy is its own, so all of the work is done now. */
async function resume(context: PolicyContext, inputs: ProtectionPolicyInputs, found: ListedPolicy): Promise<dynamic.CreateResult> {
  const { workload, log } = context;
  const heldRules = found.rules.map((rule) => ruleState(rule));
  const state: PolicyState = {
    ...blankState(inputs),
    ...policyFields(found.policy),
    rules: heldRules,
    units: attribute(workload, found.units, sourcesOf(workload, heldRules, [])),
  };
  log(
    `${workload.title} protection policy ${found.policy.id} ("${inputs.displayName}") was made by an earlier create of this resource ` +
      "that did not finish (the engine kept no id for it); taking it over and finishing the work",
  );
  const run = new PolicyRun(context, found.policy.id, state, inputs);
  await run.apply(planWork(workload, state, inputs), { listUnits: false });
  return { id: found.policy.id, outs: run.outputs() };
}

/**
 * Takes over the workload's existing active policy. Only what adds is done now (units, names,
 * rules, the name, activation); what removes (units and rules the program does not list, a changed
 * dynamic rule, deactivation) is left to the next `up`, whose preview shows it.
 */
async function adopt(
  context: PolicyContext,
  inputs: ProtectionPolicyInputs,
  listed: readonly GraphPolicy[],
): Promise<dynamic.CreateResult> {
  const { graph, workload, log } = context;
  const candidates = listed.filter((p) => p.status !== "inactive");
  if (candidates.length !== 1) {
    throw new Error(
      `cannot adopt the tenant's ${workload.title} protection policy: Graph refused a new one (PolicyCreationNotAllowed), but lists ` +
        `${candidates.length === 0 ? "no active one" : `${candidates.length} active ones (${candidates.map((p) => p.id).join(", ")})`}; run \`pulumi up\` again`,
    );
  }
  const target = candidates[0]!;
  const [units, rules] = await Promise.all([graph.listPolicyUnits(workload, target.id), graph.listRules(workload, target.id)]);
  const heldRules = rules.map((rule) => ruleState(rule));
  const state: PolicyState = {
    ...blankState(inputs),
    ...policyFields(target),
    rules: heldRules,
    units: attribute(workload, units, sourcesOf(workload, heldRules, [])),
    adopted: true,
  };
  log(
    `adopting the tenant's ${workload.title} protection policy ${target.id} ("${target.displayName ?? ""}", ${units.length} ${workload.noun.many})`,
  );
  const run = new PolicyRun(context, target.id, state, inputs);
  const work = planWork(workload, state, inputs);
  const deferred =
    work.removeUnits.length + work.deleteRules.length + (work.patchRule ? 1 : 0) + (work.activation === "deactivate" ? 1 : 0);
  // The units were just listed: nothing to look up before adding.
  const additions = {
    ...work,
    removeUnits: [],
    deleteRules: [],
    patchRule: undefined,
    activation: work.activation === "activate" ? ("activate" as const) : undefined,
  };
  await run.apply(additions, { listUnits: false });
  if (deferred > 0) {
    log(
      `${workload.title} protection policy ${target.id}: ${deferred} change(s) that remove protection (units or rules the program does not list, ` +
        "a changed dynamic rule, deactivation) are left for the next `pulumi up`, whose preview lists them",
    );
  }
  return { id: target.id, outs: run.outputs() };
}

/** The refusal, with what blocks the create and how to adopt it. */
function explainExisting(context: PolicyContext, refusal: GraphRequestError, listed: readonly GraphPolicy[]): Error {
  const { workload } = context;
  const active = listed.filter((p) => p.status !== "inactive");
  const named = active.map((p) => `"${p.displayName ?? ""}" (${p.id}, ${p.status ?? "unknown"})`).join(", ");
  return refusal.withNote(
    `Graph allows one active ${workload.title} protection policy per tenant${named === "" ? "" : `, and ${named} is it`}; ` +
      "set adoptExisting: true to manage that policy with this resource (add the retainOnDelete resource option so that `pulumi destroy` leaves it in place)",
  );
}

/**
 * Reads the policy as Graph holds it: its fields, units (with where each came from), rules and the
 * bulk jobs this resource sent. A policy deleted outside Pulumi is gone: the next `up` creates it.
 */
export async function read(context: PolicyContext, id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult> {
  const { graph, workload } = context;
  const previous = readState(workload, props);
  const policy = await graph.getPolicy(workload, id);
  if (policy === undefined) return {};
  const [units, rules, jobs] = await Promise.all([
    graph.listPolicyUnits(workload, id),
    graph.listRules(workload, id),
    previous.bulkJobs.length > 0 ? graph.listBulkJobs(workload, id) : Promise.resolve([]),
  ]);
  const listedJobs = new Map(jobs.map((job) => [job.id, job]));
  const bulkJobs = previous.bulkJobs.map((job) => (listedJobs.has(job.id) ? bulkJobState(listedJobs.get(job.id)!, job.names) : job));
  const program = programRules(workload, previous);
  const heldRules = rules.map((rule) => ruleState(rule));
  // `get()` reads a policy nothing declared: nothing in it is out of band.
  const managed = previous.stateVersion !== undefined;
  const pairing = pairRules(
    workload,
    heldRules,
    program.map((p) => p.input),
  );
  const claims = managed ? claimsOf(workload, { bulkJobs }, previous, keptRuleIds(pairing)) : undefined;
  const state: PolicyState = {
    ...previous,
    ...policyFields(policy),
    rules: arrangeRules(workload, heldRules, program, managed),
    units: attribute(workload, units, sourcesOf(workload, heldRules, bulkJobs), claims),
    bulkJobs,
  };
  return { id, props: outputsOf(workload, state), inputs: inputsOf(workload, state) };
}

/** Brings the policy in line with the program (see plan.ts for what that takes). */
export async function update(
  context: PolicyContext,
  id: string,
  olds: Record<string, unknown>,
  inputs: ProtectionPolicyInputs,
): Promise<dynamic.UpdateResult> {
  const previous = readState(context.workload, olds);
  const run = new PolicyRun(context, id, previous, inputs);
  await run.apply(planWork(context.workload, previous, inputs), { listUnits: true });
  return { outs: run.outputs() };
}

/**
 * Deletes the policy the only way Graph allows: deactivate, wait until it is inactive, DELETE. A
 * policy already gone is deleted. Backups it made are kept by the service until they expire.
 */
export async function remove(context: PolicyContext, id: string, props: Record<string, unknown>): Promise<void> {
  const { workload, log } = context;
  const state = readState(workload, props);
  const known = state.status !== undefined && SETTLED.includes(state.status) ? ({ id, status: state.status } as GraphPolicy) : undefined;
  await driveTo(context, id, "deleted", state.statusWait, known);
  log(`${workload.title} protection policy ${id} deleted; the backups it made are kept (and billed) until their retention ends`);
}

/**
 * What one create, update or adoption has learnt so far, so that whatever step fails, the error
 * carries the policy's current properties and the engine keeps the policy in state.
 */
class PolicyRun {
  private readonly clock: Clock;

  constructor(
    private readonly context: PolicyContext,
    private readonly id: string,
    readonly state: PolicyState,
    private readonly inputs: ProtectionPolicyInputs,
  ) {
    this.clock = context.clock ?? realClock;
  }

  /**
   * Runs the work in an order that Graph allows without waiting where it can: deactivation first
   * (Graph deactivates only an `active` policy, and changing units makes it `updating`), then
   * removals, additions, and activation last.
   */
  async apply(work: PolicyWork, options: { listUnits: boolean }): Promise<void> {
    const { graph, workload } = this.context;
    const id = this.id;
    if (work.activation === "deactivate") await this.drive("inactive");
    // A source the program dropped (a rule, every name of a bulk job) that was last seen working may have
    // brought in units the state never saw: look before it goes, so the next preview names them and the
    // next up removes them (only what a preview showed is removed, decision 0021).
    if (options.listUnits && [...work.deleteRules, ...work.retireJobs].some(wasSeenWorking)) {
      await this.step("looking at the units", async () => this.observeUnits(await graph.listPolicyUnits(workload, id)));
    }
    if (work.deleteRules.length > 0) {
      // Before the units: it frees the place of the one dynamic rule, and lets the units it brought in go.
      await this.step("deleting inclusion rules", async () => {
        for (const rule of work.deleteRules) {
          await graph.deleteRule(workload, id, rule.id!);
          this.state.rules = this.state.rules.filter((r) => r.id !== rule.id);
        }
      });
    }
    if (work.addKeys.length > 0 || work.removeUnits.length > 0) {
      await this.step(work.removeUnits.length > 0 ? "updating units" : "adding units", () => this.changeUnits(work, options.listUnits));
    } else if (work.rename !== undefined) {
      await this.step("renaming", () => this.patch({ displayName: work.rename }));
    }
    if (work.patchRule !== undefined) {
      const { rule, input } = work.patchRule;
      await this.step("changing the dynamic inclusion rule", async () => {
        const changed = await graph.updateRule(workload, id, rule.id!, input.expression);
        this.keepRule(changed ?? ({ ...rule, [workload.protectionPolicy.ruleExpression]: input.expression } as GraphRule));
      });
    }
    if (work.createRules.length > 0 || work.runRules.length > 0) {
      await this.step("adding inclusion rules", async () => {
        // An update looks first, as it does for units: a rule an earlier update made, whose answer was lost
        // (a killed host), is there already, and Graph refuses a second dynamic rule.
        const held = options.listUnits && work.createRules.length > 0 ? await graph.listRules(workload, id) : [];
        for (const input of work.createRules) {
          const made = held.find((rule) => rule.status !== "deleteRequested" && storedRuleKey(workload, ruleState(rule)) === input.key);
          if (made !== undefined) {
            this.keepRule(made);
            continue;
          }
          let rule = await graph.createRule(workload, id, { expression: input.expression, autoApply: input.autoApply });
          // Graph documents `draft` as unsupported, but a static rule left in it would never apply.
          if (rule.status === "draft" && !input.autoApply) rule = { ...rule, ...(await graph.runRule(workload, id, rule.id)) };
          this.keepRule(rule);
        }
        for (const rule of work.runRules) this.keepRule({ ...(rule as GraphRule), ...(await graph.runRule(workload, id, rule.id!)) });
      });
    }
    if (work.newNames.length > 0) await this.step("adding units by name (bulk addition jobs)", () => this.postBulkJobs(work.newNames));
    this.state.bulkJobs = this.state.bulkJobs.filter((job) => !work.retireJobs.includes(job));
    if (work.activation === "activate") await this.drive("active");
  }

  /** Activates or deactivates, waiting while the policy is `updating` (see status.ts). */
  private async drive(goal: "active" | "inactive"): Promise<void> {
    const { workload, log } = this.context;
    await this.step(goal === "active" ? "activation" : "deactivation", async () => {
      const known =
        this.state.status !== undefined && SETTLED.includes(this.state.status)
          ? ({ id: this.id, ...this.state } as GraphPolicy)
          : undefined;
      const policy = await driveTo(this.context, this.id, goal, this.inputs.statusWait, known);
      if (policy === undefined)
        throw new Error("the policy no longer exists in Microsoft Graph; run `pulumi refresh`, then `pulumi up` creates it again");
      Object.assign(this.state, policyFields(policy));
      if (goal === "active") log(`${workload.title} protection policy ${this.id} activated (status ${policy.status ?? "unknown"})`);
    });
  }

  /**
   * Adds and removes units, at most 50 a PATCH (the rename rides on the first). With `listUnits`
   * (an update) the units are listed first, so removals use current ids and nothing Graph already
   * holds is sent again; units found there that the program does not ask for are recorded (the
   * next preview shows them), not removed now.
   */
  private async changeUnits(work: PolicyWork, listUnits: boolean): Promise<void> {
    const { graph, workload, log } = this.context;
    const lower = (key: string) => key.toLowerCase();
    let adds = work.addKeys;
    let removes = work.removeUnits.flatMap((unit) => (unit.id === undefined ? [] : [unit.id]));
    if (listUnits) {
      const listed = await graph.listPolicyUnits(workload, this.id);
      this.observeUnits(listed);
      const live = listed.filter((unit) => unit.status !== "removeRequested");
      const liveKeys = new Set(live.map((unit) => lower(unitKey(workload, unit))));
      const removeKeys = new Set(work.removeUnits.map((unit) => lower(unitKey(workload, unit))));
      adds = adds.filter((key) => !liveKeys.has(lower(key)));
      removes = live.filter((unit) => removeKeys.has(lower(unitKey(workload, unit)))).map((unit) => unit.id);
    }
    const delta: UnitDelta[] = [...removes.map((remove) => ({ remove })), ...adds.map((add) => ({ add }))];
    let rename = work.rename;
    for (const chunk of chunks(delta, LIMITS.unitsPerPolicyRequest)) {
      await this.patch({ ...(rename !== undefined ? { displayName: rename } : {}), units: chunk });
      rename = undefined;
    }
    if (rename !== undefined) await this.patch({ displayName: rename });
    if (delta.length > 0)
      log(`${workload.title} protection policy ${this.id}: ${adds.length} ${workload.noun.many} added, ${removes.length} removed`);
  }

  /** One PATCH; what Graph applied is recorded even when some items failed. */
  private async patch(change: { displayName?: string; units?: UnitDelta[] }): Promise<void> {
    try {
      this.learnUnits(change.units ?? [], await this.context.graph.updatePolicy(this.context.workload, this.id, change));
    } catch (error) {
      if (isDeltaItemsFailedError(error)) this.learnUnits([], error.succeeded as UnitDeltaResult[]);
      throw error;
    }
    if (change.displayName !== undefined) this.state.displayName = change.displayName;
  }

  /** Records a delta Graph accepted: additions are held (`protectRequested`) until a read says more, removals are under way. */
  private learnUnits(delta: readonly UnitDelta[], results: readonly UnitDeltaResult[]): void {
    const { workload } = this.context;
    const byKey = (key: string) => this.state.units.find((unit) => unitKey(workload, unit).toLowerCase() === key.toLowerCase());
    for (const item of delta) {
      if ("add" in item) {
        if (byKey(item.add) === undefined) this.state.units.push(unitState({ [workload.protectionUnit.key]: item.add } as UnitState));
        byKey(item.add)!.status ??= "protectRequested";
      } else {
        for (const unit of this.state.units) if (unit.id === item.remove) unit.status = "removeRequested";
      }
    }
    for (const result of results) {
      const key = result[workload.protectionUnit.key];
      const known =
        (key !== undefined ? byKey(key) : undefined) ?? this.state.units.find((unit) => unit.id !== undefined && unit.id === result.id);
      const fresh = unitState({ ...result, addedBy: known?.addedBy } as UnitState);
      if (known === undefined) this.state.units.push(fresh);
      else Object.assign(known, fresh);
    }
  }

  /** Takes a fresh listing of the units as the state's, with where each came from. */
  private observeUnits(listed: readonly ProtectionUnit[]): void {
    const { workload } = this.context;
    this.state.units = attribute(workload, listed, sourcesOf(workload, this.state.rules, this.state.bulkJobs));
  }

  /** Sends the names in bulk addition jobs of at most 50,000, each recorded with the names it carried. */
  private async postBulkJobs(names: readonly string[]): Promise<void> {
    const { graph, workload, log } = this.context;
    const parts = chunks(names, LIMITS.namesPerBulkJob);
    const date = new Date(this.clock.now()).toISOString();
    for (const [index, part] of parts.entries()) {
      const displayName = `${this.inputs.displayName.slice(0, 200)}: ${part.length} ${workload.protectionUnit.nameKind === "url" ? "site URLs" : "emails"} (${index + 1}/${parts.length}, ${date})`;
      const job = await graph.createBulkJob(workload, this.id, { displayName, names: part });
      this.state.bulkJobs.push(bulkJobState(job, part));
      log(`${workload.title} protection policy ${this.id}: bulk addition job ${job.id} sent with ${part.length} name(s)`);
    }
  }

  /** Records a rule Graph holds (replacing what was known of it). */
  private keepRule(rule: GraphRule): void {
    this.state.rules = [...this.state.rules.filter((r) => r.id !== rule.id), ruleState(rule)];
  }

  /** Runs a step that follows the create; a failure keeps the policy (with what is known) in state. */
  private async step<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (cause) {
      throw new PartialFailureError(this.id, this.outputs(), `${this.context.workload.title} protection policy ${this.id}`, what, cause);
    }
  }

  /** The outputs: the program's inputs as applied, and the policy as last seen, with out-of-band marks recomputed against the program. */
  outputs(): Record<string, unknown> {
    const { workload } = this.context;
    const program = this.inputs.rules.map((input) => ({ input, form: programForm(input) }));
    const pairing = pairRules(workload, this.state.rules, this.inputs.rules);
    const claims = claimsOf(workload, this.state, this.inputs, keptRuleIds(pairing));
    const state: PolicyState = {
      ...this.state,
      stateVersion: STATE_VERSION,
      unitIds: this.inputs.unitIds,
      unitNames: this.inputs.unitNames,
      rules: arrangeRules(workload, this.state.rules, program, true),
      units: this.state.units.map(({ outOfBand: _was, ...unit }) =>
        isHeldUnit(unit) && !isClaimed(workload, unit, claims) ? { ...unit, outOfBand: true } : unit,
      ),
      active: this.inputs.active,
      adoptExisting: this.inputs.adoptExisting,
      statusWait: this.inputs.statusWait,
    };
    return outputsOf(workload, state);
  }
}

/** A state with the program's inputs and nothing observed yet. */
function blankState(inputs: ProtectionPolicyInputs): PolicyState {
  return {
    stateVersion: STATE_VERSION,
    unitIds: inputs.unitIds,
    unitNames: inputs.unitNames,
    rules: [],
    active: inputs.active,
    adoptExisting: inputs.adoptExisting,
    statusWait: inputs.statusWait,
    units: [],
    bulkJobs: [],
  };
}

/** A rule of the program: its identity, and the form the program gave it (what the outputs show). */
type ProgramRule = { input: RuleInput; form: Partial<RuleState> };

/** The rule as the program gave it: a site expression, or groups and whether it is dynamic. */
function programForm(input: RuleInput): Partial<RuleState> {
  return input.groupIds !== undefined ? { groupIds: input.groupIds, autoApply: input.autoApply } : { expression: input.expression };
}

/** The program's rules kept in a state, as inputs again. */
function programRules(workload: Workload, state: PolicyState): ProgramRule[] {
  return state.rules
    .filter((rule) => rule.expression !== undefined || rule.groupIds !== undefined)
    .map((rule) => {
      const form =
        rule.groupIds !== undefined ? { groupIds: rule.groupIds, autoApply: rule.autoApply ?? false } : { expression: rule.expression };
      return { input: ruleInput(workload, form), form };
    });
}

/**
 * The stored rule list: the program's rules in its order, each with what Graph holds of it (a rule
 * Graph does not hold keeps only the program's form, which is how diff knows to create it), then
 * the held rules the program does not ask for, marked out of band.
 */
function arrangeRules(workload: Workload, held: readonly RuleState[], program: readonly ProgramRule[], managed: boolean): RuleState[] {
  const pairing = pairRules(
    workload,
    held,
    program.map((p) => p.input),
  );
  const matched = new Map(pairing.matched.map(([input, rule]) => [input, rule]));
  const entries = program.map(({ input, form }) => {
    const rule = matched.get(input);
    const { outOfBand: _was, expression: _e, groupIds: _g, autoApply: _a, ...graph } = rule ?? ({} as RuleState);
    return { ...graph, ...form } as RuleState;
  });
  const rest = held.filter(isHeldRule).filter((rule) => ![...matched.values()].includes(rule));
  return [...entries, ...rest.map((rule) => (managed ? { ...rule, outOfBand: true } : rule))];
}

/** The outputs of a state, under the workload's names. */
export function outputsOf(workload: Workload, state: PolicyState): Record<string, unknown> {
  return storedOutputs(workload, state);
}

/** The inputs that describe a stored policy, returned by read so refresh shows drift. */
function inputsOf(workload: Workload, state: PolicyState): Record<string, unknown> {
  const { unitIdsInput, unitNamesInput, rules } = workload.protectionPolicy;
  const program = programRules(workload, state).map((p) => p.form);
  const inputs: Record<string, unknown> = {
    displayName: state.displayName,
    active: state.active,
    adoptExisting: state.adoptExisting,
    statusWait: state.statusWait,
  };
  if (state.unitIds.length > 0) inputs[unitIdsInput] = state.unitIds;
  if (state.unitNames.length > 0) inputs[unitNamesInput] = state.unitNames;
  if (program.length > 0) inputs[rules] = program;
  return JSON.parse(JSON.stringify(inputs)) as Record<string, unknown>;
}
