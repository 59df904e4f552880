/**
 * A protection policy's outputs, which Pulumi stores as state, for any workload.
 *
 * The state holds the inputs as last applied and the policy as last observed: its own fields, the
 * units Graph holds (each with where it came from), the rules and the bulk jobs. diff compares the
 * program with what was observed, so a failed step or a refresh never loses work. Each field is
 * derived from the wire schema of the Graph type it mirrors.
 *
 * The stored outputs use the workload's names (`siteIds`, `siteProtectionUnits`, ...); inside the
 * engine the state uses neutral names (`unitIds`, `units`, ...).
 */
import { z } from "zod";
import { statusWaitSchema } from "../../schemas/inputs/protection-policy";
import { groupExpression, ruleKey } from "../../schemas/inputs/rule-expression";
import {
  lenient,
  protectionPolicySchema,
  protectionRuleSchema,
  protectionUnitSchema,
  protectionUnitsBulkJobSchema,
  type GraphBulkJob,
  type GraphPolicy,
  type GraphRule,
  type ProtectionUnit,
} from "../../schemas/wire";
import type { Workload } from "../../workloads";

/** Version of the state layout written by this package. */
export const STATE_VERSION = 1;

const optionalBoolean = lenient(z.boolean());

/** One protection unit as stored: Graph's unit, where it came from, and whether the program asked for it. */
const unitStateSchema = protectionUnitSchema
  .pick({ id: true, siteId: true, directoryObjectId: true, siteWebUrl: true, email: true, status: true, error: true })
  .partial({ id: true })
  .extend({
    /** The rules and bulk jobs (by id) that brought the unit in. */
    addedBy: lenient(z.array(z.string())),
    /** Graph holds it, but nothing in the program asked for it: the next update removes it. */
    outOfBand: optionalBoolean,
  });
export type UnitState = z.infer<typeof unitStateSchema>;

/** One inclusion rule as stored: as the program gave it, and as Graph holds it. */
const ruleStateSchema = protectionRuleSchema
  .pick({
    id: true,
    status: true,
    error: true,
    isAutoApplyEnabled: true,
    createdDateTime: true,
    lastModifiedDateTime: true,
    siteExpression: true,
    driveExpression: true,
    mailboxExpression: true,
  })
  .partial({ id: true })
  .extend({
    /** A site rule's expression, as the program gave it. */
    expression: lenient(z.string()),
    /** A group rule's groups and kind, as the program gave them. */
    groupIds: lenient(z.array(z.string())),
    autoApply: optionalBoolean,
    /** Graph holds the rule, but the program does not ask for it: the next update deletes it. */
    outOfBand: optionalBoolean,
  });
export type RuleState = z.infer<typeof ruleStateSchema>;

/** One bulk addition job this resource sent: the names as asked (Graph's echo is not relied on) and how it went. */
const bulkJobStateSchema = protectionUnitsBulkJobSchema
  .pick({ id: true, displayName: true, status: true, error: true, createdDateTime: true, lastModifiedDateTime: true })
  .extend({ names: z.array(z.string()).default([]) });
export type BulkJobState = z.infer<typeof bulkJobStateSchema>;

/** The Graph policy's own fields (without its id, which is the resource id). */
const policyFieldsSchema = protectionPolicySchema.omit({ id: true, "@odata.type": true });
export type PolicyFields = z.infer<typeof policyFieldsSchema>;
const POLICY_FIELD_KEYS = Object.keys(policyFieldsSchema.shape) as (keyof PolicyFields)[];

const policyStateSchema = z.object({
  /** Absent in the outputs `get()` reads by id: nothing was declared, so nothing is out of band. */
  stateVersion: lenient(z.number()),
  unitIds: z.array(z.string()).default([]),
  unitNames: z.array(z.string()).default([]),
  rules: z.array(ruleStateSchema).default([]),
  active: z.boolean().default(true),
  adoptExisting: z.boolean().default(false),
  statusWait: lenient(statusWaitSchema).catch(undefined),
  ...policyFieldsSchema.shape,
  units: z.array(unitStateSchema).default([]),
  bulkJobs: z.array(bulkJobStateSchema).default([]),
  /** The policy existed before this resource took it over (adoptExisting). */
  adopted: optionalBoolean,
});
/** Everything the resource stores: its inputs as applied, the Graph policy as observed, and bookkeeping. */
export type PolicyState = z.infer<typeof policyStateSchema>;

/** The stored outputs' names of the neutral state keys, for a workload. */
function outputNames(workload: Workload): Record<"unitIds" | "unitNames" | "rules" | "units" | "bulkJobs", string> {
  const { unitIdsInput, unitNamesInput, rules, bulkJobs } = workload.protectionPolicy;
  return { unitIds: unitIdsInput, unitNames: unitNamesInput, rules, units: workload.protectionUnit.collection, bulkJobs };
}

/** Parses stored outputs into the current layout, under neutral names. */
export function readState(workload: Workload, props: Record<string, unknown>): PolicyState {
  const { __provider: _provider, ...rest } = props;
  const neutral: Record<string, unknown> = { ...rest };
  for (const [inner, outer] of Object.entries(outputNames(workload))) {
    delete neutral[outer];
    neutral[inner] = rest[outer];
  }
  return policyStateSchema.parse(neutral);
}

/** The stored outputs of a state, under the workload's names, with only what is known. */
export function storedOutputs(workload: Workload, state: PolicyState): Record<string, unknown> {
  const { unitIds, unitNames, rules, units, bulkJobs, ...rest } = state;
  const names = outputNames(workload);
  const named = {
    ...rest,
    stateVersion: STATE_VERSION,
    [names.unitIds]: unitIds,
    [names.unitNames]: unitNames,
    [names.rules]: rules,
    [names.units]: units,
    [names.bulkJobs]: bulkJobs,
  };
  return JSON.parse(JSON.stringify(named)) as Record<string, unknown>;
}

/** The Graph policy's fields, as a state stores them. */
export function policyFields(policy: GraphPolicy): PolicyFields {
  return Object.fromEntries(POLICY_FIELD_KEYS.map((key) => [key, policy[key]])) as PolicyFields;
}

/** A listed unit as stored (provenance is added by the caller). */
export function unitState(unit: ProtectionUnit | UnitState): UnitState {
  return unitStateSchema.parse(unit);
}

/** A bulk job as stored, with the names it was sent. */
export function bulkJobState(job: GraphBulkJob, names: readonly string[]): BulkJobState {
  return bulkJobStateSchema.parse({ ...job, names });
}

/** A rule as Graph holds it, on top of the program's form of it (if any). */
export function ruleState(graph: GraphRule, program: Partial<RuleState> = {}): RuleState {
  return ruleStateSchema.parse({ ...program, ...graph });
}

/** The unit's key to the protected object: its site id or directory object id. */
export function unitKey(workload: Workload, unit: Pick<UnitState, "siteId" | "directoryObjectId">): string {
  return unit[workload.protectionUnit.key] ?? "";
}

/** The unit's human name, when Graph showed it: a site URL (delegated callers only) or an email. */
export function unitName(workload: Workload, unit: Pick<UnitState, "siteWebUrl" | "email">): string | undefined {
  return unit[workload.protectionUnit.name];
}

/** True while a unit counts as part of the policy (known to Graph, and not being removed). */
export function isHeldUnit(unit: Pick<UnitState, "id" | "status">): boolean {
  return (unit.id !== undefined || unit.status !== undefined) && unit.status !== "removeRequested";
}

/** True while Graph holds the rule (known by id, and not being deleted). */
export function isHeldRule(rule: Pick<RuleState, "id" | "status">): boolean {
  return rule.id !== undefined && rule.status !== "deleteRequested";
}

/** Whether a stored rule is dynamic: as Graph says, else as the program asked. */
export function isDynamic(rule: Pick<RuleState, "isAutoApplyEnabled" | "autoApply">): boolean {
  return rule.isAutoApplyEnabled ?? rule.autoApply ?? false;
}

/** The Graph expression of a stored rule: as Graph holds it, else as the program gave it. */
export function expressionOf(workload: Workload, rule: RuleState): string | undefined {
  const held = rule[workload.protectionPolicy.ruleExpression];
  if (held !== undefined) return held;
  return rule.groupIds !== undefined ? groupExpression(rule.groupIds) : rule.expression;
}

/** What a stored rule matches (see rule-expression.ts), to pair it with the program's rules. */
export function storedRuleKey(workload: Workload, rule: RuleState): string {
  return ruleKey(workload.protectionPolicy.ruleKind, expressionOf(workload, rule), isDynamic(rule));
}
