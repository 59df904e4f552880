/**
 * Inclusion rules: what a rule selects, applying it to its policy, and its status on the clock.
 * A rule is applied when created, run (static rules) or PATCHed (dynamic rules); it reports
 * `active` (`updateRequested` after a PATCH) for 15 minutes, then `completed`, or
 * `completedWithErrors` when it could not protect everything it selected. deleteAndUnprotect makes
 * it `deleteRequested` for 15 minutes, then it is gone.
 */
import { LIMITS, workload as workloadNamed, type Workload, type WorkloadName } from "../../provider/workloads";
import type { TenantState } from "../context";
import type { AppIdentity, StoredIssue, StoredPolicy, StoredRule } from "../store";
import type { ProtectableObject } from "./directory";
import { PROTECTION_CHANGE_MS } from "./protection";
import { protectObject, requestRemoval } from "./protect";
import { parseGroupExpression, parseSiteExpression } from "./rule-expressions";
import { statusOfUnit } from "./units";

/** A rule's status, or `deleted` once deleteAndUnprotect went through. */
export type RuleStatus = "active" | "updateRequested" | "deleteRequested" | "completed" | "completedWithErrors" | "deleted";

/** The status of a rule at `nowMs`. */
export function ruleStatus(rule: StoredRule, nowMs: number): RuleStatus {
  if (rule.deleteRequestedMs !== undefined) return nowMs < rule.deleteRequestedMs + PROTECTION_CHANGE_MS ? "deleteRequested" : "deleted";
  if (nowMs < rule.appliedMs + PROTECTION_CHANGE_MS) return rule.appliedBy === "update" ? "updateRequested" : "active";
  return rule.issues.length > 0 ? "completedWithErrors" : "completed";
}

type Selection = { objects: ProtectableObject[]; issues: StoredIssue[] };
type Selector = (tenant: TenantState, workload: WorkloadName, expression: string) => Selection;

/** Sites by name, URL and change date. */
const selectSites: Selector = (tenant, workload, expression) => {
  const { directory } = tenant;
  const matches = parseSiteExpression(expression);
  const sites = directory.sites.filter((site) =>
    matches({ displayName: site.siteName, webUrl: site.siteWebUrl, lastModifiedDateTime: site.lastModifiedDateTime }),
  );
  return { objects: sites.map((site) => directory.byObjectKey(workload, site.siteId)!), issues: [] };
};

/** The OneDrives or mailboxes of the members of the named groups (no nested groups, as documented). */
const selectMembers: Selector = (tenant, workload, expression) => {
  const { directory } = tenant;
  const issues: StoredIssue[] = [];
  const members = new Set<string>();
  for (const groupId of parseGroupExpression(expression)) {
    const group = directory.groupById(groupId);
    // Not a documented code: the docs name none for a group that does not exist.
    if (!group) issues.push({ code: "GroupNotFound", message: `Group '${groupId}' was not found in the directory.`, target: groupId });
    for (const member of group?.memberIds ?? []) members.add(member);
  }
  const objects = [...members].map((id) => directory.byObjectKey(workload, id)).filter((o): o is ProtectableObject => o !== undefined);
  return { objects, issues };
};

/** How each kind of rule expression selects objects (the workload descriptor names the kind). */
const SELECTORS: Record<Workload["protectionPolicy"]["ruleExpression"], Selector> = {
  siteExpression: selectSites,
  driveExpression: selectMembers,
  mailboxExpression: selectMembers,
};

/** Checks an expression (400 InvalidRuleExpression, 413 for too many groups) and returns what it selects now. */
export function selectObjects(tenant: TenantState, workload: WorkloadName, expression: string): Selection {
  return SELECTORS[workloadNamed(workload).protectionPolicy.ruleExpression](tenant, workload, expression);
}

/**
 * Applies a rule to its policy now: protects what it selects that no unit protects yet. An object
 * protected by another policy is an issue (the documented ProtectionUnitAlreadyExists). A dynamic
 * rule brings in at most 6,000 users and, when re-applied after a PATCH, lets go of the units it
 * had brought in that it no longer selects.
 */
export function applyRule(
  tenant: TenantState,
  policy: StoredPolicy,
  rule: StoredRule,
  by: AppIdentity,
  nowMs: number,
  appliedBy: StoredRule["appliedBy"],
): void {
  const { objects, issues } = selectObjects(tenant, policy.workload, rule.expression);
  const selected = rule.isAutoApplyEnabled ? objects.slice(0, LIMITS.usersPerDynamicRule) : objects;
  for (const skipped of objects.slice(selected.length)) {
    issues.push({
      code: "ProtectionUnitsLimitBreached",
      message: `A dynamic rule protects at most ${LIMITS.usersPerDynamicRule} users.`,
      target: skipped.name,
    });
  }
  const keep = new Set(selected.map((o) => o.key.toLowerCase()));
  if (rule.isAutoApplyEnabled) {
    for (const unit of tenant.store.unitsOfPolicy(policy.id)) {
      if (unit.ruleId === rule.id && !keep.has(unit.key.toLowerCase()) && statusOfUnit(tenant, unit, nowMs) !== "removed")
        requestRemoval(unit, by, nowMs);
    }
  }
  const noun = workloadNamed(policy.workload).noun.one;
  for (const object of selected) {
    const outcome = protectObject(tenant, policy, object, {
      by,
      nowMs,
      source: rule.isAutoApplyEnabled ? "dynamicRule" : "manual",
      ruleId: rule.isAutoApplyEnabled ? rule.id : undefined,
    });
    if ("conflict" in outcome && outcome.conflict.policyId !== policy.id) {
      issues.push({
        code: "ProtectionUnitAlreadyExists",
        message: `The ${noun} '${object.name}' is already protected under policy ${outcome.conflict.policyId}.`,
        target: object.name,
      });
    }
  }
  rule.appliedMs = nowMs;
  rule.appliedBy = appliedBy;
  rule.issues = issues;
  rule.lastModifiedDateTime = new Date(nowMs).toISOString();
  rule.lastModifiedBy = by;
}
