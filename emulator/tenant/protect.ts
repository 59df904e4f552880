/**
 * Adding objects to a policy and asking for units' removal: the one place where units are made or
 * let go, whoever asks (policy create and PATCH, bulk jobs, inclusion rules, the tenant API). An
 * object has at most one unit that is not removed, across all policies of its workload.
 */
import type { TenantState } from "../context";
import { newGuid } from "../ids";
import type { AppIdentity, StoredPolicy, StoredUnit } from "../store";
import type { ProtectableObject } from "./directory";
import { liveUnitFor } from "./units";

/** Who adds units and how. */
export interface Addition {
  by: AppIdentity;
  nowMs: number;
  source?: StoredUnit["source"];
  ruleId?: string;
}

/** The outcome for one object: its new unit, or the unit that already protects it. */
export type AddOutcome = { added: StoredUnit } | { conflict: StoredUnit };

/** Adds one object to a policy, unless a unit already protects it (in this policy or another). */
export function protectObject(tenant: TenantState, policy: StoredPolicy, object: ProtectableObject, addition: Addition): AddOutcome {
  const existing = liveUnitFor(tenant, policy.workload, object.key, addition.nowMs);
  if (existing) return { conflict: existing };
  const at = new Date(addition.nowMs).toISOString();
  const unit: StoredUnit = {
    id: newGuid(),
    workload: policy.workload,
    policyId: policy.id,
    key: object.key,
    source: addition.source ?? "manual",
    ...(addition.ruleId ? { ruleId: addition.ruleId } : {}),
    addedMs: addition.nowMs,
    createdDateTime: at,
    createdBy: addition.by,
    lastModifiedDateTime: at,
    lastModifiedBy: addition.by,
  };
  tenant.store.addUnit(unit);
  return { added: unit };
}

/** Asks for a unit's removal: it turns `removeRequested` and gets no new restore points from now on. */
export function requestRemoval(unit: StoredUnit, by: AppIdentity, nowMs: number): void {
  if (unit.removeRequestedMs !== undefined && unit.removeRequestedMs <= nowMs) return;
  unit.removeRequestedMs = nowMs;
  unit.lastModifiedDateTime = new Date(nowMs).toISOString();
  unit.lastModifiedBy = by;
}
