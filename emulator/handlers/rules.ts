/**
 * Inclusion rules (`<site|drive|mailbox>InclusionRules`) under each policy and at the root: create
 * (under a policy), list, get, PATCH (dynamic rules only), DELETE, `run` (static rules) and
 * `deleteAndUnprotect` (dynamic rules), with the documented errors of the Backup Storage error table.
 */
import { LIMITS } from "../../provider/workloads";
import { jsonResponse, noContent, routeWorkload, type RouteContext, type RouteHandler } from "../context";
import { GraphHttpError } from "../errors";
import { isGuid, newGuid } from "../ids";
import { page } from "../paging";
import type { StoredPolicy, StoredRule } from "../store";
import { requestRemoval } from "../tenant/protect";
import { parseGroupExpression } from "../tenant/rule-expressions";
import { applyRule, ruleStatus, selectObjects, type RuleStatus } from "../tenant/rules";
import { odataContext } from "../views/common";
import { ruleView } from "../views/protection";
import { policyFromPath } from "./policy-lookup";

/** POST .../<policies>/{policyId}/<rules>: the rule is applied at once and reports `active`. */
export const createRule: RouteHandler = (_request, context) => {
  const workload = routeWorkload(context);
  const policy = policyFromPath(context);
  const { ruleExpression, dynamicRules } = workload.protectionPolicy;
  const body = (context.body ?? {}) as Record<string, unknown>;
  const expression = body[ruleExpression];
  if (typeof expression !== "string" || expression.trim() === "") {
    throw new GraphHttpError(400, "InvalidInclusionRuleCreateRequest", `${ruleExpression} is required.`);
  }
  const dynamic = body.isAutoApplyEnabled === true;
  if (dynamic && !dynamicRules)
    throw new GraphHttpError(400, "InvalidInclusionRuleCreateRequest", `${workload.title} has no dynamic rules.`);
  selectObjects(context.tenant, workload.name, expression);
  if (dynamic && policy.rules.some((r) => r.isAutoApplyEnabled && ruleStatus(r, context.nowMs) !== "deleted")) {
    throw new GraphHttpError(
      400,
      "InvalidInclusionRuleCreateRequest",
      `A policy has at most ${LIMITS.dynamicRulesPerPolicy} dynamic rule.`,
    );
  }
  if (!dynamic && dynamicRules && parseGroupExpression(expression).length > LIMITS.groupsPerStaticRule) {
    throw new GraphHttpError(400, "InvalidInclusionRuleCreateRequest", `A static rule names at most ${LIMITS.groupsPerStaticRule} groups.`);
  }
  const now = new Date(context.nowMs).toISOString();
  const rule: StoredRule = {
    id: newGuid(),
    workload: workload.name,
    policyId: policy.id,
    expression,
    isAutoApplyEnabled: dynamic,
    createdDateTime: now,
    createdBy: context.caller,
    lastModifiedDateTime: now,
    lastModifiedBy: context.caller,
    appliedMs: context.nowMs,
    appliedBy: "create",
    issues: [],
  };
  policy.rules.push(rule);
  applyRule(context.tenant, policy, rule, context.caller, context.nowMs, "create");
  return jsonResponse(201, { "@odata.context": entityContext(context), ...ruleView(rule, "active", context) });
};

/** GET .../<policies>/{policyId}/<rules> and .../<rules> (every policy's) */
export const listRules: RouteHandler = (request, context) => {
  const workload = routeWorkload(context);
  const policies = context.params.policyId !== undefined ? [policyFromPath(context)] : livePolicies(context);
  const views = policies
    .flatMap((p) => p.rules)
    .flatMap((rule) => {
      const status = ruleStatus(rule, context.nowMs);
      return status === "deleted" ? [] : [ruleView(rule, status, context)];
    });
  return jsonResponse(
    200,
    page(request, context, views, odataContext(context, `solutions/backupRestore/${workload.protectionPolicy.rules}`)),
  );
};

/** GET .../<rules>/{ruleId} */
export const getRule: RouteHandler = (_request, context) => {
  const { rule, status } = ruleFromPath(context);
  return jsonResponse(200, { "@odata.context": entityContext(context), ...ruleView(rule, status, context) });
};

/** PATCH .../<rules>/{ruleId}: a dynamic rule's expression; re-applied, it reports `updateRequested`. */
export const patchRule: RouteHandler = (_request, context) => {
  const workload = routeWorkload(context);
  const { rule, policy, status } = ruleFromPath(context);
  const body = (context.body ?? {}) as Record<string, unknown>;
  if (body.isAutoApplyEnabled !== undefined) {
    throw new GraphHttpError(400, "InvalidProtectionRulePatchRequest", "isAutoApplyEnabled can be given only when the rule is created.");
  }
  if (!rule.isAutoApplyEnabled) throw new GraphHttpError(400, "PatchNotAllowedForStaticRule", "A static rule can't be updated.");
  if (status === "deleteRequested") {
    throw new GraphHttpError(422, "InvalidProtectionRuleStatusForDynamicRuleEdit", "The rule is deleteRequested: no operation is allowed.");
  }
  if (status === "active" || status === "updateRequested") {
    throw new GraphHttpError(400, "InvalidProtectionRuleStatusForUpdation", `The rule is ${status}: wait until it is applied.`);
  }
  const expression = body[workload.protectionPolicy.ruleExpression];
  if (typeof expression !== "string" || expression.trim() === "") {
    throw new GraphHttpError(400, "InvalidRuleExpression", `${workload.protectionPolicy.ruleExpression} can't be empty.`);
  }
  selectObjects(context.tenant, workload.name, expression);
  rule.expression = expression;
  applyRule(context.tenant, policy, rule, context.caller, context.nowMs, "update");
  return jsonResponse(200, { "@odata.context": entityContext(context), ...ruleView(rule, "updateRequested", context) });
};

/** DELETE .../<rules>/{ruleId}: once applied; the units it brought in stay protected (as manual ones). */
export const deleteRule: RouteHandler = (_request, context) => {
  const { rule, policy, status } = ruleFromPath(context);
  if (status === "active" || status === "updateRequested" || status === "deleteRequested") {
    if (rule.isAutoApplyEnabled) {
      throw new GraphHttpError(
        422,
        "InvalidProtectionRuleStatusForDynamicRuleDeletion",
        `The dynamic rule is ${status}: it can't be deleted now.`,
      );
    }
    throw new GraphHttpError(400, "InvalidProtectionRuleStatusForDeletion", `The rule is ${status}: it can't be deleted now.`);
  }
  policy.rules.splice(policy.rules.indexOf(rule), 1);
  for (const unit of context.tenant.store.unitsOfPolicy(policy.id)) {
    if (unit.ruleId !== rule.id) continue;
    delete unit.ruleId;
    unit.source = "manual";
  }
  return noContent();
};

/**
 * POST .../<rules>/{ruleId}/run: re-applies a static rule (it reports `active`). The run page says
 * 200 in its text and 202 in its examples; we answer 202, as the examples and the other actions do.
 */
export const runRule: RouteHandler = (_request, context) => {
  const { rule, policy, status } = ruleFromPath(context);
  if (rule.isAutoApplyEnabled)
    throw new GraphHttpError(400, "RunNotAllowedForDynamicRule", "A dynamic rule applies itself; it can't be run.");
  if (status === "active")
    throw new GraphHttpError(400, "ProtectionRuleActionNotAllowed", "The rule is being applied; run it once it is done.");
  applyRule(context.tenant, policy, rule, context.caller, context.nowMs, "run");
  return jsonResponse(202, { "@odata.context": entityContext(context), ...ruleView(rule, "active", context) });
};

/**
 * POST .../<rules>/{ruleId}/deleteAndUnprotect: a dynamic rule goes `deleteRequested` and asks for
 * the removal of the units it brought in. The answer wraps the rule in `value`, as both examples of
 * the page do.
 */
export const deleteAndUnprotectRule: RouteHandler = (_request, context) => {
  const { rule, policy, status } = ruleFromPath(context);
  if (!rule.isAutoApplyEnabled || (status !== "completed" && status !== "completedWithErrors")) {
    throw new GraphHttpError(
      422,
      "InvalidProtectionRuleStatusForDynamicRuleDeleteAndUnprotectAll",
      rule.isAutoApplyEnabled
        ? `The rule is ${status}: deleteAndUnprotect is not allowed now.`
        : "deleteAndUnprotect applies to dynamic rules only.",
    );
  }
  rule.deleteRequestedMs = context.nowMs;
  rule.lastModifiedDateTime = new Date(context.nowMs).toISOString();
  rule.lastModifiedBy = context.caller;
  for (const unit of context.tenant.store.unitsOfPolicy(policy.id))
    if (unit.ruleId === rule.id) requestRemoval(unit, context.caller, context.nowMs);
  return jsonResponse(202, { value: ruleView(rule, "deleteRequested", context) });
};

/** The rule named by `{ruleId}` (under the path's policy, or any live policy of the workload): 400 InvalidInclusionRuleId, 404 ProtectionRuleNotFound. */
function ruleFromPath(context: RouteContext): { rule: StoredRule; policy: StoredPolicy; status: Exclude<RuleStatus, "deleted"> } {
  const id = context.params.ruleId!;
  if (!isGuid(id)) throw new GraphHttpError(400, "InvalidInclusionRuleId", `'${id}' is not a valid rule id.`);
  const policies = context.params.policyId !== undefined ? [policyFromPath(context)] : livePolicies(context);
  for (const policy of policies) {
    const rule = policy.rules.find((r) => r.id === id.toLowerCase());
    const status = rule && ruleStatus(rule, context.nowMs);
    if (rule && status && status !== "deleted") return { rule, policy, status };
  }
  throw new GraphHttpError(404, "ProtectionRuleNotFound", `Protection rule '${id}' was not found.`);
}

function livePolicies(context: RouteContext): StoredPolicy[] {
  const workload = routeWorkload(context);
  return context.tenant.store.listPolicies().filter((p) => p.workload === workload.name && p.deletedDateTime === undefined);
}

function entityContext(context: RouteContext): string {
  return odataContext(context, `solutions/backupRestore/${routeWorkload(context).protectionPolicy.rules}/$entity`);
}
