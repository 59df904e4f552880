/** Lookups over protection units and their restore points, at a given virtual time. */
import type { WorkloadName } from "../../provider/workloads";
import type { TenantState } from "../context";
import type { StoredPolicy, StoredUnit } from "../store";
import { policyStatus, protectedIntervals, unitStatus, type PolicyStatus, type UnitStatus } from "./protection";
import { gridTimes, isOnGrid, isWithin, parseRestorePointId, restorePointId, tagsAt, type GridQuery } from "./restore-point-grid";

/** A restore point computed from the grid. */
export interface DerivedRestorePoint {
  id: string;
  unit: StoredUnit;
  protectionMs: number;
  tags: "fastRestore" | "none";
}

/** A unit with its status at the time asked. */
export interface UnitAt {
  unit: StoredUnit;
  status: UnitStatus;
}

/** The status of a unit now. */
export function statusOfUnit(tenant: TenantState, unit: StoredUnit, nowMs: number): UnitStatus {
  return unitStatus(unit, tenant.store.getPolicy(unit.policyId), nowMs);
}

/** The unit protecting (or being added to protect, or being removed from) this object now, if any. */
export function liveUnitFor(tenant: TenantState, workload: WorkloadName, key: string, nowMs: number): StoredUnit | undefined {
  return tenant.store.unitsForKey(workload, key).find((unit) => statusOfUnit(tenant, unit, nowMs) !== "removed");
}

/** The units of a policy that are not removed, with their status. */
export function liveUnitsOf(tenant: TenantState, policy: StoredPolicy, nowMs: number): UnitAt[] {
  const live: UnitAt[] = [];
  for (const unit of tenant.store.unitsOfPolicy(policy.id)) {
    const status = unitStatus(unit, policy, nowMs);
    if (status !== "removed") live.push({ unit, status });
  }
  return live;
}

/** Every unit of a workload that is not removed, in creation order. */
export function liveUnitsOfWorkload(tenant: TenantState, workload: WorkloadName, nowMs: number): UnitAt[] {
  return tenant.store
    .listPolicies()
    .filter((p) => p.workload === workload)
    .flatMap((policy) => liveUnitsOf(tenant, policy, nowMs));
}

/** The status of a policy now. */
export function statusOfPolicy(tenant: TenantState, policy: StoredPolicy, nowMs: number): PolicyStatus {
  return policyStatus(policy, liveUnitsOf(tenant, policy, nowMs), nowMs);
}

/** The restore point with this id, if it exists now. */
export function restorePointById(tenant: TenantState, id: string, nowMs: number): DerivedRestorePoint | undefined {
  const parsed = parseRestorePointId(id);
  const unit = parsed && tenant.store.getUnit(parsed.unitId);
  if (!parsed || !unit || !isOnGrid(parsed.protectionMs, nowMs)) return undefined;
  if (restorePointId(unit.id, unit.workload, parsed.protectionMs) !== id.toLowerCase()) return undefined;
  if (!isWithin(parsed.protectionMs, protectedIntervals(unit, tenant.store.getPolicy(unit.policyId)))) return undefined;
  return derive(unit, parsed.protectionMs, nowMs);
}

/** Restore points of a unit inside the query's window, newest or oldest first. */
export function restorePointsOf(tenant: TenantState, unit: StoredUnit, query: GridQuery): DerivedRestorePoint[] {
  const intervals = protectedIntervals(unit, tenant.store.getPolicy(unit.policyId));
  return gridTimes(intervals, query).map((t) => derive(unit, t, query.nowMs));
}

/**
 * Restore points of an object over every unit that ever protected it (an object removed from one
 * policy and added to another keeps the older points until they expire), newest or oldest first.
 */
export function restorePointsOfObject(tenant: TenantState, workload: WorkloadName, key: string, query: GridQuery): DerivedRestorePoint[] {
  const all = tenant.store.unitsForKey(workload, key).flatMap((unit) => restorePointsOf(tenant, unit, query));
  all.sort((a, b) => (query.order === "latest" ? b.protectionMs - a.protectionMs : a.protectionMs - b.protectionMs));
  return all.slice(0, query.limit);
}

function derive(unit: StoredUnit, protectionMs: number, nowMs: number): DerivedRestorePoint {
  return { id: restorePointId(unit.id, unit.workload, protectionMs), unit, protectionMs, tags: tagsAt(protectionMs, nowMs) };
}
