/**
 * Protection policy writes: create, PATCH (`displayName`, `<units>@delta`), delete, activate and
 * deactivate, with the documented errors of the Backup Storage error table. `PolicySaveFailed`
 * (500, transient) is not produced here: inject it with a fault rule (`code: "PolicySaveFailed"`).
 */
import { LIMITS, type Workload } from "../../provider/workloads";
import { jsonResponse, noContent, routeWorkload, type RouteContext, type RouteHandler } from "../context";
import { GraphHttpError } from "../errors";
import { newGuid } from "../ids";
import type { StoredPolicy, StoredUnit } from "../store";
import { activationAt } from "../tenant/protection";
import { protectObject, requestRemoval } from "../tenant/protect";
import { ruleStatus } from "../tenant/rules";
import { liveUnitsOf, statusOfPolicy, statusOfUnit } from "../tenant/units";
import { identitySet, odataContext } from "../views/common";
import { policyView } from "../views/protection";
import { deltaFailureView } from "../views/sessions";
import { policyFromPath } from "./policy-lookup";

/** POST .../<policies>: 201 `inactive`. */
export const createPolicy: RouteHandler = (_request, context) => {
  const workload = routeWorkload(context);
  const body = (context.body ?? {}) as Record<string, unknown>;
  const displayName = checkDisplayName(body.displayName, true)!;
  const { collection, key } = workload.protectionUnit;
  const items = body[collection] ?? [];
  if (!Array.isArray(items) || items.some((item) => typeof item !== "object" || item === null)) {
    throw new GraphHttpError(400, "InvalidCreateRequest", `${collection} must be a list of objects.`);
  }
  if (items.length > LIMITS.unitsPerPolicyRequest) {
    throw new GraphHttpError(
      413,
      "ProtectionUnitsLimitBreached",
      `At most ${LIMITS.unitsPerPolicyRequest} protection units can be sent in one request.`,
    );
  }
  const { store, directory } = context.tenant;
  const active = store
    .listPolicies()
    .find(
      (p) =>
        p.workload === workload.name && p.deletedDateTime === undefined && statusOfPolicy(context.tenant, p, context.nowMs) !== "inactive",
    );
  if (active)
    throw new GraphHttpError(
      409,
      "PolicyCreationNotAllowed",
      `Can't create policy: the active ${workload.title} policy '${active.id}' already exists.`,
    );
  const objects = (items as Record<string, unknown>[]).map((item) => {
    const object = typeof item[key] === "string" ? directory.byObjectKey(workload.name, item[key]) : undefined;
    if (!object) throw new GraphHttpError(400, "InvalidProtectionUnitId", `'${String(item[key])}' is not a ${key} of this tenant.`);
    return object;
  });
  if (new Set(objects.map((o) => o.key)).size < objects.length) {
    throw new GraphHttpError(400, "DuplicateProtectionUnitInList", `A ${key} appears more than once in the request.`);
  }
  for (const object of objects) {
    const protector = store
      .unitsForKey(workload.name, object.key)
      .find((u) => statusOfUnit(context.tenant, u, context.nowMs) !== "removed");
    if (protector) {
      throw new GraphHttpError(
        409,
        "ProtectionUnitAlreadyExists",
        `Artifact ${object.key} is not eligible for protection because it is already protected under policy ${protector.policyId}.`,
      );
    }
  }
  const now = new Date(context.nowMs).toISOString();
  const policy: StoredPolicy = {
    id: newGuid(),
    workload: workload.name,
    displayName,
    createdDateTime: now,
    createdBy: context.caller,
    lastModifiedDateTime: now,
    lastModifiedBy: context.caller,
    activations: [],
    rules: [],
    bulkJobs: [],
  };
  store.addPolicy(policy);
  for (const object of objects) protectObject(context.tenant, policy, object, { by: context.caller, nowMs: context.nowMs });
  return jsonResponse(201, {
    "@odata.context": odataContext(context, `solutions/backupRestore/${workload.protectionPolicy.collection}/$entity`),
    ...policyView(policy, statusOfPolicy(context.tenant, policy, context.nowMs)),
  });
};

type DeltaItem = Record<string, unknown> & { "@removed"?: unknown; id?: unknown; "@contentId"?: unknown };

/**
 * PATCH .../<policies>/{policyId}: `displayName` and `<units>@delta`. As the update pages show it,
 * the answer is the display name and the delta: each added unit (`protectRequested`), each removed
 * one (`removeRequested`), and a `@Core.DataModificationException` element for each item that failed.
 */
export const patchPolicy: RouteHandler = (_request, context) => {
  const workload = routeWorkload(context);
  const policy = policyFromPath(context);
  const body = (context.body ?? {}) as Record<string, unknown>;
  const displayName = checkDisplayName(body.displayName, false);
  const property = `${workload.protectionUnit.collection}@delta`;
  const delta = body[property];
  if (delta !== undefined && !Array.isArray(delta)) throw new GraphHttpError(400, "InvalidCreateRequest", `'${property}' must be a list.`);
  const items = (delta ?? []) as DeltaItem[];
  if (items.length > LIMITS.unitsPerPolicyRequest) {
    throw new GraphHttpError(
      413,
      "ProtectionUnitsLimitBreached",
      `At most ${LIMITS.unitsPerPolicyRequest} protection units can be sent in one request.`,
    );
  }
  checkDelta(items, workload, policy, context);
  const results = items.map((item, index) => applyUnitDelta(item, index, workload, policy, context));
  if (displayName !== undefined) policy.displayName = displayName;
  policy.lastModifiedDateTime = new Date(context.nowMs).toISOString();
  policy.lastModifiedBy = context.caller;
  return jsonResponse(200, { displayName: policy.displayName, ...(delta === undefined ? {} : { [property]: results }) });
};

/** Whole-request errors of a delta: duplicates (400 DuplicateProtectionUnitInList), removing a dynamic rule's unit (400 ProtectionUnitActionNotAllowed). */
function checkDelta(items: DeltaItem[], workload: Workload, policy: StoredPolicy, context: RouteContext): void {
  const { key } = workload.protectionUnit;
  const named = items.map((item) =>
    item["@removed"] !== undefined ? `id:${String(item.id).toLowerCase()}` : `key:${String(item[key]).toLowerCase()}`,
  );
  if (new Set(named).size < named.length)
    throw new GraphHttpError(400, "DuplicateProtectionUnitInList", "The request names a protection unit more than once.");
  for (const item of items) {
    if (item["@removed"] === undefined) continue;
    const unit = typeof item.id === "string" ? context.tenant.store.getUnit(item.id) : undefined;
    const rule = unit?.ruleId ? policy.rules.find((r) => r.id === unit.ruleId) : undefined;
    if (unit && unit.policyId === policy.id && rule && ruleStatus(rule, context.nowMs) !== "deleted") {
      throw new GraphHttpError(
        400,
        "ProtectionUnitActionNotAllowed",
        `The artifact with protection unit ID ${unit.id} can't be removed as it's protected by a dynamic rule.`,
      );
    }
  }
}

function applyUnitDelta(
  item: DeltaItem,
  index: number,
  workload: Workload,
  policy: StoredPolicy,
  context: RouteContext,
): Record<string, unknown> {
  const contentId = typeof item["@contentId"] === "string" ? item["@contentId"] : String(index + 1);
  const { tenant, nowMs, caller } = context;
  if (item["@removed"] !== undefined) {
    const id = String(item.id);
    const unit = tenant.store.getUnit(id);
    const status = unit ? statusOfUnit(tenant, unit, nowMs) : "removed";
    if (!unit || unit.policyId !== policy.id || status === "removed" || status === "removeRequested") {
      return deltaFailureView(
        contentId,
        "remove",
        409,
        "ProtectionUnitNotFound",
        `Protection unit '${id}' is not part of this policy.`,
        id,
      );
    }
    requestRemoval(unit, caller, nowMs);
    return deltaUnitView(unit, workload, context);
  }
  const keyValue = item[workload.protectionUnit.key];
  const object = typeof keyValue === "string" ? tenant.directory.byObjectKey(workload.name, keyValue) : undefined;
  if (!object) {
    return deltaFailureView(
      contentId,
      "add",
      400,
      "InvalidProtectionUnitId",
      `'${String(keyValue)}' is not a ${workload.protectionUnit.key} of this tenant.`,
    );
  }
  const outcome = protectObject(tenant, policy, object, { by: caller, nowMs });
  if ("conflict" in outcome) {
    const message = `Artifact ${object.key} is not eligible for protection because it is already protected under policy ${outcome.conflict.policyId}.`;
    return deltaFailureView(contentId, "add", 409, "ProtectionUnitAlreadyExists", message);
  }
  return deltaUnitView(outcome.added, workload, context);
}

/** A unit in a delta answer, with the fields the update pages show for it. */
function deltaUnitView(unit: StoredUnit, workload: Workload, context: RouteContext): Record<string, unknown> {
  const status = statusOfUnit(context.tenant, unit, context.nowMs);
  return {
    id: unit.id,
    policyId: unit.policyId,
    [workload.protectionUnit.key]: unit.key,
    status: status === "removed" ? "removeRequested" : status,
    createdBy: identitySet(unit.createdBy),
    createdDateTime: unit.createdDateTime,
    lastModifiedBy: identitySet(unit.lastModifiedBy),
    lastModifiedDateTime: unit.lastModifiedDateTime,
  };
}

/** DELETE .../protectionPolicies/{policyId}: only an `inactive` policy (403 PolicyActionNotAllowed otherwise). */
export const deletePolicy: RouteHandler = (_request, context) => {
  const policy = policyFromPath(context);
  const status = statusOfPolicy(context.tenant, policy, context.nowMs);
  if (status !== "inactive") {
    throw new GraphHttpError(
      403,
      "PolicyActionNotAllowed",
      `Can't delete policy '${policy.id}': only a policy in inactive status can be deleted (it is ${status}).`,
    );
  }
  policy.deletedDateTime = new Date(context.nowMs).toISOString();
  return noContent();
};

/**
 * POST .../protectionPolicies/{policyId}/activate: from `inactive`, or from `activeWithErrors` (the
 * activate page's example allows it; it retries the units in error). 202 with status `updating`.
 */
export const activatePolicy: RouteHandler = (_request, context) => {
  const policy = policyFromPath(context);
  const status = statusOfPolicy(context.tenant, policy, context.nowMs);
  if (status !== "inactive" && status !== "activeWithErrors") {
    throw new GraphHttpError(403, "PolicyActionNotAllowed", `Can't activate policy '${policy.id}': it is ${status}, not inactive.`);
  }
  if (status === "activeWithErrors") for (const { unit } of liveUnitsOf(context.tenant, policy, context.nowMs)) delete unit.error;
  else policy.activations.push({ fromMs: context.nowMs });
  return policyAction(policy, context);
};

/** POST .../protectionPolicies/{policyId}/deactivate: from `active` or `activeWithErrors`. 202 with status `updating`. */
export const deactivatePolicy: RouteHandler = (_request, context) => {
  const policy = policyFromPath(context);
  const status = statusOfPolicy(context.tenant, policy, context.nowMs);
  if (status !== "active" && status !== "activeWithErrors") {
    throw new GraphHttpError(
      403,
      "PolicyActionNotAllowed",
      `Can't deactivate policy '${policy.id}': it is ${status}. Wait until it is active.`,
    );
  }
  activationAt(policy, context.nowMs)!.untilMs = context.nowMs;
  return policyAction(policy, context);
};

function policyAction(policy: StoredPolicy, context: RouteContext): Response {
  policy.lastActionMs = context.nowMs;
  policy.lastModifiedDateTime = new Date(context.nowMs).toISOString();
  policy.lastModifiedBy = context.caller;
  return jsonResponse(202, {
    "@odata.context": odataContext(context, "solutions/backupRestore/protectionPolicies/$entity"),
    ...policyView(policy, statusOfPolicy(context.tenant, policy, context.nowMs)),
  });
}

/** 400 InvalidDisplayName unless 1–1,024 characters; undefined when absent and not required. */
function checkDisplayName(value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  const { min, max } = LIMITS.policyDisplayName;
  if (typeof value !== "string" || value.trim().length < min || value.length > max) {
    throw new GraphHttpError(400, "InvalidDisplayName", `The policy name must have ${min} to ${max} characters.`);
  }
  return value;
}
