/**
 * The protection-policy calls, for every workload: policies, their units (`@delta`), inclusion rules
 * and protection-unit bulk jobs. Each write that is not safe to repeat reconciles before any retry.
 */
import type { Workload } from "../workloads";
import { LIMITS } from "../workloads";
import {
  protectionPolicySchema,
  protectionRuleSchema,
  protectionUnitsBulkJobSchema,
  protectionUnitSchema,
  unitDeltaResultSchema,
  type GraphBulkJob,
  type GraphPolicy,
  type GraphRule,
  type ProtectionUnit,
  type UnitDeltaResult,
} from "../schemas/wire";
import { DeltaItemsFailedError, type DeltaItemFailure } from "./delta-items-failed-error";
import * as paths from "./paths";
import type { Settlement } from "./reconcile";
import type { Answer } from "./requester";
import { deltaList, requestedItem } from "./graph-calls";
import { SessionCalls } from "./session-calls";

/** One element of a policy's units delta PATCH: add a unit by its key (site id, directory object id), or remove one by its unit id. */
export type UnitDelta = { add: string } | { remove: string };

/** A new protection policy: its name and its first units (at most 50), by key. */
export interface PolicyBody {
  displayName: string;
  unitKeys: string[];
}

/** A change to a policy: a new name, and a units delta of at most 50 items. */
export interface PolicyChange {
  displayName?: string;
  units?: UnitDelta[];
}

/** A new inclusion rule: its expression (in the workload's expression property), and whether it is dynamic. */
export interface RuleBody {
  expression: string;
  autoApply?: boolean;
}

/** A new protection-unit bulk addition job: its name, and the names (URLs or emails) the service resolves. */
export interface BulkJobBody {
  displayName: string;
  names: string[];
}

/** Protection policies, their units, rules and bulk jobs. */
export abstract class PolicyCalls extends SessionCalls {
  /** Policies this client created or adopted after an ambiguous create; never adopted again for another. */
  private readonly ownPolicyIds = new Set<string>();

  /**
   * Creates a policy exactly once. After an ambiguous failure it looks for the policy the attempt
   * may have created (this application, the attempt's time window, the same displayName, exactly the
   * same units) and adopts it; only when there is none does it post again.
   */
  async createPolicy(workload: Workload, body: PolicyBody): Promise<GraphPolicy> {
    if (body.unitKeys.length > LIMITS.unitsPerPolicyRequest) {
      throw new RangeError(
        `createPolicy takes at most ${LIMITS.unitsPerPolicyRequest} units (Graph's limit), got ${body.unitKeys.length}; add the rest with updatePolicy`,
      );
    }
    const { collection, key } = workload.protectionUnit;
    const wire = { displayName: body.displayName, [collection]: body.unitKeys.map((unitKey) => ({ [key]: unitKey })) };
    const path = paths.policyCollection(workload);
    const policy = await this.createOnce<GraphPolicy>({
      what: `create of a ${workload.title} protection policy`,
      noun: ["policy", "policies"],
      post: async (state) => this.requester.parse(protectionPolicySchema, await this.requester.call("POST", { path }, wire, { state })),
      list: () => this.listPolicies(workload),
      isThisOne: async (candidate) =>
        candidate.displayName === body.displayName &&
        !this.ownPolicyIds.has(candidate.id) &&
        sameKeys(
          (await this.listPolicyUnits(workload, candidate.id)).map((u) => u[key] ?? ""),
          body.unitKeys,
        ),
    });
    this.ownPolicyIds.add(policy.id);
    return policy;
  }

  getPolicy(workload: Workload, id: string): Promise<GraphPolicy | undefined> {
    return this.requester.get(protectionPolicySchema, paths.policyPath(workload, id));
  }

  listPolicies(workload: Workload): Promise<GraphPolicy[]> {
    return this.requester.list(protectionPolicySchema, paths.policyCollection(workload));
  }

  /**
   * Renames a policy and applies a units delta of at most 50 items. After an ambiguous failure it
   * looks at the policy: every change present means done, none means send again, part of it is
   * reported as such.
   */
  async updatePolicy(workload: Workload, id: string, change: PolicyChange): Promise<UnitDeltaResult[]> {
    const units = change.units ?? [];
    if (units.length > LIMITS.unitsPerPolicyRequest) {
      throw new RangeError(
        `updatePolicy takes at most ${LIMITS.unitsPerPolicyRequest} unit changes per call (Graph's limit), got ${units.length}; send them in batches`,
      );
    }
    if (units.length === 0 && change.displayName === undefined) return [];
    const property = `${workload.protectionUnit.collection}@delta`;
    const body: Record<string, unknown> = {};
    if (change.displayName !== undefined) body.displayName = change.displayName;
    if (units.length > 0) body[property] = units.map((item) => unitDeltaToWire(workload, item));
    return this.once<UnitDeltaResult[]>({
      what: `update of protection policy ${id}`,
      send: async () =>
        this.unitDeltaResults(
          workload,
          await this.requester.call("PATCH", { path: paths.policyPath(workload, id) }, body),
          units,
          property,
        ),
      settle: async () =>
        policyChangeSettlement(
          workload,
          change,
          units.length > 0 ? await this.listPolicyUnits(workload, id) : [],
          change.displayName !== undefined ? await this.getPolicy(workload, id) : undefined,
        ),
    });
  }

  /** Activates a policy. After an ambiguous failure it reads the policy: no longer inactive means done. */
  activatePolicy(workload: Workload, id: string): Promise<GraphPolicy> {
    return this.policyAction(workload, id, "activate", (status) => status !== "inactive");
  }

  /** Deactivates a policy. After an ambiguous failure it reads the policy: inactive or on its way there means done. */
  deactivatePolicy(workload: Workload, id: string): Promise<GraphPolicy> {
    return this.policyAction(workload, id, "deactivate", (status) => status === "inactive" || status === "updating");
  }

  deletePolicy(_workload: Workload, id: string): Promise<"deleted" | "notFound"> {
    return this.remove(paths.protectionPolicyPath(id));
  }

  listPolicyUnits(workload: Workload, policyId: string): Promise<ProtectionUnit[]> {
    return this.requester.list(protectionUnitSchema, paths.policyUnitsPath(workload, policyId));
  }

  listRules(workload: Workload, policyId: string): Promise<GraphRule[]> {
    return this.requester.list(protectionRuleSchema, paths.rulesPath(workload, policyId));
  }

  /**
   * Creates an inclusion rule exactly once. After an ambiguous failure it lists the policy's rules:
   * one this application created in the attempt's window with the same expression is the one.
   */
  async createRule(workload: Workload, policyId: string, rule: RuleBody): Promise<GraphRule> {
    const expression = workload.protectionPolicy.ruleExpression;
    const body = { [expression]: rule.expression, ...(rule.autoApply === true ? { isAutoApplyEnabled: true } : {}) };
    const path = paths.rulesPath(workload, policyId);
    return this.createOnce<GraphRule>({
      what: `inclusion rule of protection policy ${policyId}`,
      noun: ["rule", "rules"],
      post: async (state) => this.requester.parse(protectionRuleSchema, await this.requester.call("POST", { path }, body, { state })),
      list: () => this.listRules(workload, policyId),
      isThisOne: (candidate) =>
        sameExpression(candidate[expression], rule.expression) && (candidate.isAutoApplyEnabled ?? false) === (rule.autoApply ?? false),
    });
  }

  /** Changes a dynamic rule's expression. After an ambiguous failure it lists the rules: the new expression in place means done. */
  async updateRule(workload: Workload, policyId: string, ruleId: string, expression: string): Promise<GraphRule | undefined> {
    const property = workload.protectionPolicy.ruleExpression;
    return this.once<GraphRule | undefined>({
      what: `update of inclusion rule ${ruleId}`,
      send: async () => {
        const answer = await this.requester.call("PATCH", { path: paths.rulePath(workload, policyId, ruleId) }, { [property]: expression });
        return answer.body === undefined ? undefined : this.requester.parse(protectionRuleSchema, answer);
      },
      settle: async () => {
        const rule = (await this.listRules(workload, policyId)).find((r) => r.id === ruleId);
        if (rule === undefined) return { kind: "unknown", note: "the rule is gone" };
        return sameExpression(rule[property], expression) ? { kind: "applied", result: rule } : { kind: "notApplied" };
      },
    });
  }

  /** Runs a static rule. After an ambiguous failure it lists the rules: no longer `draft` means done. */
  async runRule(workload: Workload, policyId: string, ruleId: string): Promise<GraphRule> {
    return this.once<GraphRule>({
      what: `run of inclusion rule ${ruleId}`,
      send: async () =>
        this.requester.parse(
          protectionRuleSchema,
          await this.requester.call("POST", { path: `${paths.rulePath(workload, policyId, ruleId)}/run` }),
        ),
      settle: async () => {
        const rule = (await this.listRules(workload, policyId)).find((r) => r.id === ruleId);
        if (rule === undefined) return { kind: "unknown", note: "the rule is gone" };
        return rule.status !== "draft" ? { kind: "applied", result: rule } : { kind: "notApplied" };
      },
    });
  }

  deleteRule(workload: Workload, policyId: string, ruleId: string): Promise<"deleted" | "notFound"> {
    return this.remove(paths.rulePath(workload, policyId, ruleId));
  }

  /**
   * Posts a bulk addition job exactly once. After an ambiguous failure it lists the policy's jobs:
   * one this application created in the attempt's window with the same displayName is the one.
   */
  async createBulkJob(workload: Workload, policyId: string, body: BulkJobBody): Promise<GraphBulkJob> {
    if (body.names.length > LIMITS.namesPerBulkJob) {
      throw new RangeError(
        `createBulkJob takes at most ${LIMITS.namesPerBulkJob} names per job (Graph's limit), got ${body.names.length}; send several jobs`,
      );
    }
    const path = paths.bulkJobsPath(workload, policyId);
    const wire = { displayName: body.displayName, [workload.protectionPolicy.bulkJobNames]: body.names };
    return this.createOnce<GraphBulkJob>({
      what: `bulk addition job of protection policy ${policyId}`,
      noun: ["job", "jobs"],
      post: async (state) =>
        this.requester.parse(protectionUnitsBulkJobSchema, await this.requester.call("POST", { path }, wire, { state })),
      list: () => this.listBulkJobs(workload, policyId),
      isThisOne: (candidate) => candidate.displayName === body.displayName,
    });
  }

  listBulkJobs(workload: Workload, policyId: string): Promise<GraphBulkJob[]> {
    return this.requester.list(protectionUnitsBulkJobSchema, paths.bulkJobsPath(workload, policyId));
  }

  /** Sends activate or deactivate once; after an ambiguous failure, `done` judges the policy's status. */
  private policyAction(
    workload: Workload,
    id: string,
    action: "activate" | "deactivate",
    done: (status: string | undefined) => boolean,
  ): Promise<GraphPolicy> {
    return this.once<GraphPolicy>({
      what: `${action === "activate" ? "activation" : "deactivation"} of protection policy ${id}`,
      send: async () =>
        this.requester.parse(protectionPolicySchema, await this.requester.call("POST", { path: paths.policyActionPath(id, action) })),
      settle: async () => {
        const policy = await this.getPolicy(workload, id);
        if (policy === undefined) return { kind: "unknown", note: "the policy is gone" };
        return done(policy.status) ? { kind: "applied", result: policy } : { kind: "notApplied" };
      },
    });
  }

  /** Splits a units delta answer into applied units and per-item failures; throws `DeltaItemsFailedError` for the latter. */
  private unitDeltaResults(workload: Workload, answer: Answer, delta: UnitDelta[], property: string): UnitDeltaResult[] {
    // A PATCH that only renames may answer the policy without any delta list.
    const results = this.requester.parse(unitDeltaResultSchema.array(), { ...answer, body: deltaList(answer, property) ?? [] });
    const failures: DeltaItemFailure[] = [];
    const succeeded: UnitDeltaResult[] = [];
    results.forEach((result, position) => {
      const exception = result["@Core.DataModificationException"];
      if (exception === undefined) return succeeded.push(result);
      const item = requestedItem(delta, result["@contentId"], position);
      const failure: DeltaItemFailure = {};
      if (result["@contentId"] !== undefined) failure.contentId = result["@contentId"];
      const unitKey = result[workload.protectionUnit.key] ?? (item !== undefined && "add" in item ? item.add : undefined);
      if (unitKey !== undefined) failure.unitKey = unitKey;
      const unitId = result.id ?? (item !== undefined && "remove" in item ? item.remove : undefined);
      if (unitId !== undefined && unitKey === undefined) failure.unitId = unitId;
      if (exception.info?.code !== undefined) failure.code = exception.info.code;
      if (exception.info?.message !== undefined) failure.message = exception.info.message;
      if (exception.responseCode !== undefined) failure.responseCode = exception.responseCode;
      failures.push(failure);
    });
    if (failures.length > 0) throw new DeltaItemsFailedError({ path: answer.path, requestId: answer.requestId, failures, succeeded });
    return succeeded;
  }
}

/** Graph's shape of one units delta element: a new unit by its key, or the removal of a unit by its id. */
function unitDeltaToWire(workload: Workload, delta: UnitDelta): Record<string, unknown> {
  return "add" in delta ? { [workload.protectionUnit.key]: delta.add } : { "@removed": { reason: "changed" }, id: delta.remove };
}

/** Whether a listed unit still counts as part of the policy (a removal under way does not). */
function isLiveUnit(unit: ProtectionUnit): boolean {
  return unit.status !== "removeRequested";
}

/** Judges an ambiguous policy change from the units and the policy Graph shows now. */
function policyChangeSettlement(
  workload: Workload,
  change: PolicyChange,
  listed: readonly ProtectionUnit[],
  policy: GraphPolicy | undefined,
): Settlement<UnitDeltaResult[]> {
  const key = workload.protectionUnit.key;
  const live = listed.filter(isLiveUnit);
  const byKey = new Map(live.map((unit) => [(unit[key] ?? "").toLowerCase(), unit]));
  const liveIds = new Set(live.map((unit) => unit.id));
  const units = change.units ?? [];
  const done = units.map((item) => ("add" in item ? byKey.has(item.add.toLowerCase()) : !liveIds.has(item.remove)));
  if (change.displayName !== undefined) done.push(policy?.displayName === change.displayName);
  if (done.every(Boolean)) {
    const results = units.map((item): UnitDeltaResult =>
      "add" in item
        ? byKey.get(item.add.toLowerCase())!
        : (listed.find((unit) => unit.id === item.remove) ?? { id: item.remove, status: "removeRequested" }),
    );
    return { kind: "applied", result: results };
  }
  return done.some(Boolean)
    ? { kind: "unknown", note: "the change was partly applied; refresh to see the policy as it is" }
    : { kind: "notApplied" };
}

/** Same multiset of unit keys, compared case-insensitively (ids are GUID-based). */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (keys: readonly string[]) => keys.map((k) => k.toLowerCase()).sort();
  const [x, y] = [sorted(a), sorted(b)];
  return x.length === y.length && x.every((value, index) => value === y[index]);
}

/** Expressions compare with runs of whitespace collapsed: Graph may echo them re-spaced. */
function sameExpression(a: string | undefined, b: string): boolean {
  const squeeze = (e: string) => e.replace(/\s+/g, " ").trim();
  return a !== undefined && squeeze(a) === squeeze(b);
}
