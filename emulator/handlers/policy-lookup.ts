/** Finding the policy and the protection unit a path names. */
import type { RouteContext } from "../context";
import { GraphHttpError } from "../errors";
import { isGuid } from "../ids";
import type { StoredPolicy, StoredUnit } from "../store";
import type { UnitStatus } from "../tenant/protection";
import { statusOfUnit } from "../tenant/units";

/**
 * The policy named by `{policyId}`: 400 InvalidPolicyId when malformed, 404 PolicyNotFound when
 * absent, deleted, or of another workload than the route's collection.
 */
export function policyFromPath(context: RouteContext): StoredPolicy {
  const id = context.params.policyId!;
  if (!isGuid(id)) throw new GraphHttpError(400, "InvalidPolicyId", `'${id}' is not a valid protection policy id.`);
  const policy = context.tenant.store.getPolicy(id);
  if (!policy || policy.deletedDateTime !== undefined || (context.workload && context.workload.name !== policy.workload)) {
    throw new GraphHttpError(404, "PolicyNotFound", `Protection policy '${id}' was not found.`);
  }
  return policy;
}

/**
 * The unit named by `{unitId}` with its status: 400 InvalidProtectionUnitId when malformed, 404
 * ProtectionUnitNotFound when absent, removed, of another workload, or not under the path's policy.
 */
export function unitFromPath(context: RouteContext, policy?: StoredPolicy): { unit: StoredUnit; status: Exclude<UnitStatus, "removed"> } {
  const id = context.params.unitId!;
  if (!isGuid(id)) throw new GraphHttpError(400, "InvalidProtectionUnitId", `'${id}' is not a valid protection unit id.`);
  const unit = context.tenant.store.getUnit(id);
  const status = unit ? statusOfUnit(context.tenant, unit, context.nowMs) : "removed";
  const elsewhere = unit && ((context.workload && context.workload.name !== unit.workload) || (policy && policy.id !== unit.policyId));
  if (!unit || status === "removed" || elsewhere) {
    throw new GraphHttpError(404, "ProtectionUnitNotFound", `Protection unit '${id}' was not found.`);
  }
  return { unit, status };
}
