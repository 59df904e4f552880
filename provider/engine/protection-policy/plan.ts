/**
 * check, diff and the work an update does: the pure half of a protection policy's provider.
 *
 * diff and update share one function, `planWork`, which compares the program with the policy as
 * last observed (the units Graph holds, the rules, the bulk jobs sent, active or not). Whatever a
 * failed step or a `pulumi refresh` left in the state, the work still to do shows as a change, and
 * the same program after that update is a no-op.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { containsUnknown, type CheckFailure } from "../../schemas/inputs/common";
import { protectionPolicyInputRules, type ProtectionPolicyInputs, type RuleInput } from "../../schemas/inputs/protection-policy";
import type { Workload } from "../../workloads";
import { isClaimed, normalizeName, type Claims } from "./provenance";
import {
  isDynamic,
  isHeldRule,
  isHeldUnit,
  readState,
  storedRuleKey,
  unitKey,
  unitName,
  type BulkJobState,
  type PolicyState,
  type RuleState,
  type UnitState,
} from "./state";

/** What an update must do to bring the policy in line with the program. */
export interface PolicyWork {
  /** A new displayName. */
  rename?: string;
  /** Unit keys the program lists that Graph does not hold. */
  addKeys: string[];
  /** Units Graph holds that nothing in the program asks for any more. */
  removeUnits: UnitState[];
  /** Names in no bulk job yet (and not already a unit Graph shows by that name). */
  newNames: string[];
  createRules: RuleInput[];
  /** The dynamic rule Graph holds, to take the program's dynamic rule's groups. */
  patchRule?: { rule: RuleState; input: RuleInput };
  /** Static rules Graph left in `draft`. */
  runRules: RuleState[];
  /** Rules Graph holds that the program does not ask for. */
  deleteRules: RuleState[];
  /**
   * This resource's bulk jobs none of whose names the program lists any more: they claim nothing. The
   * update looks at the units first (what such a job brought in may have arrived after the state last
   * saw the units), then forgets the job; the next preview names those units and the next up removes them.
   */
  retireJobs: BulkJobState[];
  activation?: "activate" | "deactivate";
  /** Settings that change no Graph object but must be stored. */
  settings: string[];
}

/** Validates new inputs (see inputs/protection-policy.ts). */
export function check(workload: Workload, news: Record<string, unknown>): dynamic.CheckResult {
  const { inputs, failures } = protectionPolicyInputRules(workload).validate(news);
  const all: CheckFailure[] = [...failures];
  return all.length > 0 ? { inputs: news, failures: all } : { inputs };
}

/** Decides between no change and an in-place update (nothing about a policy needs a new one), and says what the update will do. */
export function diff(
  workload: Workload,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): { result: dynamic.DiffResult; notes: string[] } {
  const state = readState(workload, olds);
  // Values not known until the program runs: the preview shows an update, the real diff decides.
  if (containsUnknown(news)) return { result: { changes: true, replaces: [], deleteBeforeReplace: false }, notes: [] };
  const inputs = protectionPolicyInputRules(workload).parse(news);
  const work = planWork(workload, state, inputs);
  const changes = hasWork(work);
  return {
    result: changes ? { changes: true, replaces: [], deleteBeforeReplace: false } : { changes: false },
    notes: describeWork(workload, state, inputs, work),
  };
}

/** True when an update has anything to do. */
export function hasWork(work: PolicyWork): boolean {
  return (
    work.rename !== undefined ||
    work.addKeys.length +
      work.removeUnits.length +
      work.newNames.length +
      work.createRules.length +
      work.runRules.length +
      work.deleteRules.length +
      work.retireJobs.length >
      0 ||
    work.patchRule !== undefined ||
    work.activation !== undefined ||
    work.settings.length > 0
  );
}

/** The work that brings the observed policy in line with the program. */
export function planWork(workload: Workload, state: PolicyState, inputs: ProtectionPolicyInputs): PolicyWork {
  const work: PolicyWork = {
    addKeys: [],
    removeUnits: [],
    newNames: [],
    createRules: [],
    runRules: [],
    deleteRules: [],
    retireJobs: [],
    settings: [],
  };
  if (state.displayName !== inputs.displayName) work.rename = inputs.displayName;

  const rules = pairRules(workload, state.rules, inputs.rules);
  work.runRules = rules.matched.filter(([input, rule]) => rule.status === "draft" && !input.autoApply).map(([, rule]) => rule);
  work.patchRule = rules.patch;
  work.createRules = rules.missing.filter((input) => input !== rules.patch?.input);
  work.deleteRules = rules.unpaired;

  // Units: the program's keys that Graph does not hold, and held units nothing claims any more.
  const claims = claimsOf(workload, state, inputs, keptRuleIds(rules));
  const heldUnits = state.units.filter(isHeldUnit);
  const heldKeys = new Set(heldUnits.map((unit) => unitKey(workload, unit).toLowerCase()));
  work.addKeys = inputs.unitIds.filter((key) => !heldKeys.has(key.toLowerCase()));
  work.removeUnits = heldUnits.filter((unit) => !isClaimed(workload, unit, claims));

  // Names: each is sent in one bulk job, once; a unit Graph already shows by that name needs none.
  const sent = new Set(state.bulkJobs.flatMap((job) => job.names.map((name) => normalizeName(workload, name))));
  const shown = new Set(
    heldUnits.flatMap((unit) => (unitName(workload, unit) === undefined ? [] : [normalizeName(workload, unitName(workload, unit)!)])),
  );
  work.newNames = inputs.unitNames.filter((name) => !sent.has(normalizeName(workload, name)) && !shown.has(normalizeName(workload, name)));
  const listed = new Set(inputs.unitNames.map((name) => normalizeName(workload, name)));
  work.retireJobs = state.bulkJobs.filter((job) => !job.names.some((name) => listed.has(normalizeName(workload, name))));

  work.activation = activationOf(state, inputs.active);
  if (JSON.stringify(state.statusWait ?? null) !== JSON.stringify(inputs.statusWait ?? null)) work.settings.push("statusWait");
  if (state.adoptExisting !== inputs.adoptExisting) work.settings.push("adoptExisting");
  return work;
}

/** How the program's rules pair with the rules Graph holds. */
export interface RulePairing {
  /** Program rules and the held rule that matches the same objects. */
  matched: [RuleInput, RuleState][];
  /** Program rules no held rule matches. */
  missing: RuleInput[];
  /** The held dynamic rule that takes the program's (different) dynamic rule's groups: one dynamic rule is allowed. */
  patch?: { rule: RuleState; input: RuleInput };
  /** Held rules the program does not ask for. */
  unpaired: RuleState[];
}

/** Pairs the program's rules with the held ones by what they match (see rule-expression.ts). */
export function pairRules(workload: Workload, stored: readonly RuleState[], inputs: readonly RuleInput[]): RulePairing {
  const held = stored.filter(isHeldRule);
  const free = new Set(held);
  const matched: [RuleInput, RuleState][] = [];
  const missing: RuleInput[] = [];
  for (const input of inputs) {
    const match = held.find((rule) => free.has(rule) && storedRuleKey(workload, rule) === input.key);
    if (match === undefined) missing.push(input);
    else {
      free.delete(match);
      matched.push([input, match]);
    }
  }
  const heldDynamic = [...free].find(isDynamic);
  const newDynamic = missing.find((input) => input.autoApply);
  const patch = heldDynamic !== undefined && newDynamic !== undefined ? { rule: heldDynamic, input: newDynamic } : undefined;
  if (patch !== undefined) free.delete(patch.rule);
  return { matched, missing, ...(patch !== undefined ? { patch } : {}), unpaired: [...free] };
}

/** The held rules the program keeps (matched, or about to take its dynamic rule's groups), by Graph id. */
export function keptRuleIds(pairing: RulePairing): Set<string> {
  const kept = pairing.matched.map(([, rule]) => rule.id!);
  if (pairing.patch !== undefined) kept.push(pairing.patch.rule.id!);
  return new Set(kept);
}

/**
 * What the program asks for. `keptRuleIds` are the held rules the program still asks for; a bulk
 * job claims through the names the program still lists.
 */
export function claimsOf(
  workload: Workload,
  state: Pick<PolicyState, "bulkJobs">,
  inputs: Pick<ProtectionPolicyInputs, "unitIds" | "unitNames">,
  keptRuleIds: ReadonlySet<string>,
): Claims {
  return {
    ids: new Set(inputs.unitIds.map((key) => key.toLowerCase())),
    names: new Set(inputs.unitNames.map((name) => normalizeName(workload, name))),
    ruleIds: keptRuleIds,
    jobs: new Map(state.bulkJobs.map((job) => [job.id, new Set(job.names.map((name) => normalizeName(workload, name)))])),
  };
}

/**
 * Activate an inactive policy the program wants active; deactivate an active one it wants
 * inactive. While Graph says `updating`, only a changed `active` is an action (the update waits
 * for the policy to settle); otherwise the next refresh tells.
 */
function activationOf(state: PolicyState, active: boolean): PolicyWork["activation"] {
  const status = state.status;
  if (active && status === "inactive") return "activate";
  if (!active && (status === "active" || status === "activeWithErrors")) return "deactivate";
  if (status === "updating" && active !== state.active) return active ? "activate" : "deactivate";
  return undefined;
}

/** What the update will do that the preview must say, as lines for the host log. */
export function describeWork(workload: Workload, state: PolicyState, inputs: ProtectionPolicyInputs, work: PolicyWork): string[] {
  const { noun, title } = workload;
  const what = `${title} protection policy "${state.displayName ?? inputs.displayName}"`;
  const notes: string[] = [];
  // A unit the program listed before and drops now is an ordinary change; only the others need saying.
  const outOfBand = work.removeUnits.filter((unit) => unit.outOfBand === true);
  const fromSources = work.removeUnits.filter((unit) => unit.outOfBand !== true && (unit.addedBy ?? []).length > 0);
  if (outOfBand.length > 0) {
    notes.push(
      `${what}: ${count(outOfBand.length, noun)} added outside Pulumi (${sample(outOfBand.map((u) => unitKey(workload, u)))}) will be removed from the policy, ` +
        "because the program lists the policy's contents; their existing backups are kept (and billed) until they expire",
    );
  }
  if (fromSources.length > 0) {
    notes.push(
      `${what}: ${count(fromSources.length, noun)} brought in by rules or names the program no longer has (${sample(fromSources.map((u) => unitKey(workload, u)))}) will be removed; existing backups are kept`,
    );
  }
  const foreignRules = work.deleteRules.filter((rule) => rule.outOfBand === true);
  if (foreignRules.length > 0) {
    notes.push(
      `${what}: ${foreignRules.length} inclusion rule(s) added outside Pulumi (${sample(foreignRules.map((r) => r.id!))}) will be deleted`,
    );
  }
  if (work.retireJobs.length > 0) {
    notes.push(
      `${what}: ${workload.protectionPolicy.unitNamesInput} no longer lists any name of ${work.retireJobs.length} bulk job(s) ` +
        `(${sample(work.retireJobs.map((job) => job.id))}); the ${noun.many} they brought in are looked up now and removed by the next up`,
    );
  }
  if (work.activation === "deactivate")
    notes.push(`${what} will be deactivated: Microsoft 365 Backup stops taking new backups of its ${noun.many}`);
  const unnamed = namesWhoseUnitsStay(workload, state, inputs);
  if (unnamed.length > 0) {
    notes.push(
      `${what}: ${workload.protectionPolicy.unitNamesInput} no longer lists ${sample(unnamed)}, but Graph does not tell applications which ${noun.many} ` +
        `those names became, so they stay in the policy while other names of the same bulk job remain; list them by id in ${workload.protectionPolicy.unitIdsInput} to manage them one by one`,
    );
  }
  return notes;
}

/** Names a bulk job was sent that the program dropped while it keeps other names of the same job. */
function namesWhoseUnitsStay(workload: Workload, state: PolicyState, inputs: ProtectionPolicyInputs): string[] {
  const declared = new Set(inputs.unitNames.map((name) => normalizeName(workload, name)));
  const shown = new Set(
    state.units.flatMap((unit) => (unitName(workload, unit) === undefined ? [] : [normalizeName(workload, unitName(workload, unit)!)])),
  );
  return state.bulkJobs.flatMap((job) => {
    const kept = job.names.some((name) => declared.has(normalizeName(workload, name)));
    return kept
      ? job.names.filter((name) => !declared.has(normalizeName(workload, name)) && !shown.has(normalizeName(workload, name)))
      : [];
  });
}

function count(n: number, noun: { one: string; many: string }): string {
  return `${n} ${n === 1 ? noun.one : noun.many}`;
}

function sample(items: readonly string[]): string {
  return items.length <= 5 ? items.join(", ") : `${items.slice(0, 5).join(", ")} and ${items.length - 5} more`;
}
