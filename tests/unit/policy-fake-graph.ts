/**
 * A small in-memory stand-in for Graph's protection-policy calls, for the engine's unit tests: it
 * keeps policies, units, rules and bulk jobs, follows the documented status rules, records every
 * call in order, and runs on a clock the test owns (its `sleep` moves time and lets pending work
 * finish), so no test waits.
 */
import { GraphRequestError, type GraphClient, type PolicyChange, type RuleBody } from "../../provider/graph";
import type { GraphBulkJob, GraphPolicy, GraphRule, ProtectionUnit, UnitDeltaResult } from "../../provider/schemas/wire";
import type { Workload } from "../../provider/workloads";

export type Call = [string, ...unknown[]];

interface Policy extends GraphPolicy {
  workload: string;
  /** Where an `updating` policy is going once pending work is done. */
  target?: "active" | "inactive";
}
interface Unit extends ProtectionUnit {
  policyId: string;
}
interface Rule extends GraphRule {
  policyId: string;
}
interface Job extends GraphBulkJob {
  policyId: string;
  names: string[];
}

const APP = { application: { id: "app-1", displayName: "pulumi" } };

/** The fake: state, a call log, a clock, and hooks a test sets to make calls fail. */
export class FakePolicyGraph {
  readonly calls: Call[] = [];
  readonly policies: Policy[] = [];
  readonly units: Unit[] = [];
  readonly rules: Rule[] = [];
  readonly jobs: Job[] = [];
  nowMs = Date.parse("2026-11-30T10:00:00Z");
  /** Names the service can resolve: name → key. */
  readonly directory = new Map<string, string>();
  /** Group id → member keys, for rules. */
  readonly groups = new Map<string, string[]>();
  /** Throws from the named call instead of answering (once per entry). */
  readonly failures: { call: string; error: Error }[] = [];
  /** A created rule starts in this status. */
  newRuleStatus = "active";
  /** While true, nothing pending finishes (a policy stays `updating`). */
  frozen = false;
  private sequence = 0;

  readonly clock = {
    now: () => this.nowMs,
    sleep: async (ms: number) => {
      this.calls.push(["sleep", ms]);
      this.nowMs += ms;
      this.settle();
    },
  };

  private iso(): string {
    return new Date(this.nowMs).toISOString();
  }

  private id(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${this.sequence}`;
  }

  private record(name: string, ...args: unknown[]): void {
    this.calls.push([name, ...args]);
    const index = this.failures.findIndex((f) => f.call === name);
    if (index >= 0) throw this.failures.splice(index, 1)[0]!.error;
  }

  /** Lets every pending change finish: units get protected or removed, rules and jobs complete, policies settle. */
  settle(): void {
    if (this.frozen) return;
    for (const job of this.jobs.filter((j) => j.status === "active")) {
      const unresolved = job.names.filter((name) => !this.directory.has(name.toLowerCase()));
      for (const name of job.names) {
        const key = this.directory.get(name.toLowerCase());
        if (key !== undefined) this.addUnit(job.policyId, key, name);
      }
      job.status = unresolved.length > 0 ? "completedWithErrors" : "completed";
      job.lastModifiedDateTime = this.iso();
      if (unresolved.length > 0)
        job.error = {
          code: "PartialSuccess",
          details: unresolved.map((name) => ({ code: "NameNotFound", message: `'${name}' could not be resolved` })),
        };
    }
    for (const rule of this.rules.filter((r) => r.status === "active")) {
      for (const key of this.membersOf(rule)) this.addUnit(rule.policyId, key);
      if (!rule.isAutoApplyEnabled) {
        rule.status = "completed";
        rule.lastModifiedDateTime = this.iso();
      }
    }
    for (const unit of this.units) {
      if (unit.status === "protectRequested") unit.status = "protected";
      if (unit.status === "unprotectRequested") unit.status = "unprotected";
    }
    this.units.splice(0, this.units.length, ...this.units.filter((u) => u.status !== "removeRequested"));
    for (const policy of this.policies) {
      if (policy.status === "updating") {
        policy.status = policy.target ?? "active";
        policy.target = undefined;
      }
    }
  }

  private membersOf(rule: Rule): string[] {
    const expression = rule.siteExpression ?? rule.driveExpression ?? rule.mailboxExpression ?? "";
    return [...this.groups.entries()].filter(([group]) => expression.includes(group)).flatMap(([, members]) => members);
  }

  /** Adds a unit as the service would (a rule, a job, or someone in the admin center). */
  addUnit(policyId: string, key: string, email?: string): Unit {
    const existing = this.units.find(
      (u) => u.policyId === policyId && (u.siteId ?? u.directoryObjectId) === key && u.status !== "removeRequested",
    );
    if (existing) return existing;
    const unit: Unit = {
      id: this.id("u"),
      policyId,
      ...(key.includes(",") ? { siteId: key } : { directoryObjectId: key, ...(email ? { email } : {}) }),
      status: "protectRequested",
      createdDateTime: this.iso(),
      createdBy: APP,
    };
    this.units.push(unit);
    return unit;
  }

  private policy(id: string): Policy {
    const policy = this.policies.find((p) => p.id === id);
    if (!policy)
      throw new GraphRequestError({ method: "GET", path: `/policies/${id}`, status: 404, code: "PolicyNotFound", retryable: false });
    return policy;
  }

  private view(policy: Policy): GraphPolicy {
    const { workload: _w, target: _t, ...view } = policy;
    return { ...view };
  }

  private unitView(unit: Unit): ProtectionUnit {
    return { ...unit };
  }

  readonly client: GraphClient = {
    applicationId: () => APP.application.id,
    createPolicy: async (workload: Workload, body) => {
      this.record("createPolicy", body.displayName, body.unitKeys);
      if (this.policies.some((p) => p.workload === workload.name && p.status !== "inactive")) {
        throw new GraphRequestError({
          method: "POST",
          path: "/policies",
          status: 409,
          code: "PolicyCreationNotAllowed",
          retryable: false,
          graphMessage: "an active policy exists",
        });
      }
      const policy: Policy = {
        id: this.id("p"),
        workload: workload.name,
        displayName: body.displayName,
        status: "inactive",
        createdDateTime: this.iso(),
        createdBy: APP,
      };
      this.policies.push(policy);
      for (const key of body.unitKeys) this.addUnit(policy.id, key);
      return this.view(policy);
    },
    getPolicy: async (_workload, id) => {
      this.record("getPolicy", id);
      const policy = this.policies.find((p) => p.id === id);
      return policy && this.view(policy);
    },
    listPolicies: async (workload) => {
      this.record("listPolicies");
      return this.policies.filter((p) => p.workload === workload.name).map((p) => this.view(p));
    },
    updatePolicy: async (workload: Workload, id: string, change: PolicyChange) => {
      this.record("updatePolicy", id, change);
      const policy = this.policy(id);
      if (change.displayName !== undefined) policy.displayName = change.displayName;
      const results: UnitDeltaResult[] = [];
      for (const item of change.units ?? []) {
        if ("add" in item) results.push(this.unitView(this.addUnit(id, item.add)));
        else {
          const unit = this.units.find((u) => u.id === item.remove && u.policyId === id);
          if (!unit) {
            results.push({
              id: item.remove,
              "@Core.DataModificationException": {
                info: { code: "ProtectionUnitNotFound", message: "no such unit" },
                failedOperation: "remove",
                responseCode: 409,
              },
            });
            continue;
          }
          unit.status = "removeRequested";
          results.push(this.unitView(unit));
        }
      }
      if ((change.units ?? []).length > 0 && policy.status !== "inactive") {
        policy.status = "updating";
        policy.target ??= "active";
      }
      const failed = results.filter((r) => r["@Core.DataModificationException"] !== undefined);
      if (failed.length > 0) {
        const { DeltaItemsFailedError } = await import("../../provider/graph");
        throw new DeltaItemsFailedError({
          path: `/policies/${id}`,
          failures: failed.map((r) => ({ unitId: r.id, code: "ProtectionUnitNotFound", responseCode: 409 })),
          succeeded: results.filter((r) => r["@Core.DataModificationException"] === undefined),
        });
      }
      void workload;
      return results;
    },
    activatePolicy: async (_workload, id) => {
      this.record("activatePolicy", id);
      const policy = this.policy(id);
      if (policy.status !== "inactive")
        throw new GraphRequestError({ method: "POST", path: "/activate", status: 403, code: "PolicyActionNotAllowed", retryable: false });
      Object.assign(policy, { status: "updating", target: "active" });
      return this.view(policy);
    },
    deactivatePolicy: async (_workload, id) => {
      this.record("deactivatePolicy", id);
      const policy = this.policy(id);
      if (policy.status !== "active" && policy.status !== "activeWithErrors") {
        throw new GraphRequestError({ method: "POST", path: "/deactivate", status: 403, code: "PolicyActionNotAllowed", retryable: false });
      }
      Object.assign(policy, { status: "updating", target: "inactive" });
      return this.view(policy);
    },
    deletePolicy: async (_workload, id) => {
      this.record("deletePolicy", id);
      const policy = this.policies.find((p) => p.id === id);
      if (!policy) return "notFound";
      if (policy.status !== "inactive")
        throw new GraphRequestError({ method: "DELETE", path: "/policies", status: 403, code: "PolicyActionNotAllowed", retryable: false });
      this.policies.splice(this.policies.indexOf(policy), 1);
      return "deleted";
    },
    listPolicyUnits: async (_workload, policyId) => {
      this.record("listPolicyUnits", policyId);
      return this.units.filter((u) => u.policyId === policyId).map((u) => this.unitView(u));
    },
    listRules: async (_workload, policyId) => {
      this.record("listRules", policyId);
      return this.rules.filter((r) => r.policyId === policyId).map(({ policyId: _p, ...r }) => ({ ...r }));
    },
    createRule: async (workload: Workload, policyId: string, body: RuleBody) => {
      this.record("createRule", policyId, body);
      const rule: Rule = {
        id: this.id("r"),
        policyId,
        status: this.newRuleStatus,
        isAutoApplyEnabled: body.autoApply ?? false,
        createdDateTime: this.iso(),
        lastModifiedDateTime: this.iso(),
        createdBy: APP,
        [workload.protectionPolicy.ruleExpression]: body.expression,
      };
      this.rules.push(rule);
      const { policyId: _p, ...view } = rule;
      return { ...view };
    },
    updateRule: async (workload: Workload, policyId, ruleId, expression) => {
      this.record("updateRule", ruleId, expression);
      const rule = this.rules.find((r) => r.id === ruleId && r.policyId === policyId)!;
      Object.assign(rule, { [workload.protectionPolicy.ruleExpression]: expression, lastModifiedDateTime: this.iso() });
      const { policyId: _p, ...view } = rule;
      return { ...view };
    },
    runRule: async (_workload, _policyId, ruleId) => {
      this.record("runRule", ruleId);
      const rule = this.rules.find((r) => r.id === ruleId)!;
      rule.status = "active";
      return { id: rule.id, status: rule.status, isAutoApplyEnabled: rule.isAutoApplyEnabled };
    },
    deleteRule: async (_workload, _policyId, ruleId) => {
      this.record("deleteRule", ruleId);
      const index = this.rules.findIndex((r) => r.id === ruleId);
      if (index < 0) return "notFound";
      this.rules.splice(index, 1);
      return "deleted";
    },
    createBulkJob: async (_workload, policyId, body) => {
      this.record("createBulkJob", policyId, body.names);
      const job: Job = {
        id: this.id("j"),
        policyId,
        names: body.names,
        displayName: body.displayName,
        status: "active",
        createdDateTime: this.iso(),
        lastModifiedDateTime: this.iso(),
        createdBy: APP,
      };
      this.jobs.push(job);
      const { policyId: _p, names: _n, ...view } = job;
      return { ...view };
    },
    listBulkJobs: async (_workload, policyId) => {
      this.record("listBulkJobs", policyId);
      return this.jobs.filter((j) => j.policyId === policyId).map(({ policyId: _p, names: _n, ...view }) => ({ ...view }));
    },
  } as GraphClient;

  /** The call names in order, without arguments. */
  names(): string[] {
    return this.calls.map((call) => call[0]);
  }
}
