/**
 * Protection statuses, derived on every read from the virtual clock, like restore progress.
 *
 * A unit that joins an active policy at T is `protectRequested` until T + 15 min, then `protected`,
 * and gets restore points on the grid from then on. Asking for its removal at R makes it
 * `removeRequested` until R + 15 min, then it is gone from every list; its restore points stay
 * until they expire, and it gets no new ones after R. Deactivating the policy at D makes its units
 * `unprotectRequested` until D + 15 min, then `unprotected`, without new points after D. Units of
 * a policy that was never activated wait in `protectRequested`: the docs don't say what they show,
 * so we pick the status the PATCH page gives new units.
 *
 * The policy is `updating` for 15 minutes after an activate or deactivate and while any unit is
 * in a requested state, `activeWithErrors` when active with a unit in error, else `active` or
 * `inactive`.
 */
import type { StoredBulkJob, StoredPolicy, StoredUnit } from "../store";
import type { Interval } from "./restore-point-grid";

const MINUTE = 60_000;
/** How long a requested change to a unit or a policy takes (15 minutes per 1,000 units, in the docs). */
export const PROTECTION_CHANGE_MS = 15 * MINUTE;
/** "Since forever": the time the seeded policies and units date from, as far as restore points go. */
export const BEGINNING_MS = -8.64e15;

/** A unit's status, or `removed` once its removal went through. */
export type UnitStatus = "protectRequested" | "protected" | "unprotectRequested" | "unprotected" | "removeRequested" | "removed";
/** A policy's status. */
export type PolicyStatus = "inactive" | "activeWithErrors" | "updating" | "active";

/** Unit statuses that make the policy `updating`. */
export const REQUESTED_UNIT_STATUSES: readonly UnitStatus[] = ["protectRequested", "unprotectRequested", "removeRequested"];

/** The status of a unit at `nowMs`. */
export function unitStatus(unit: StoredUnit, policy: StoredPolicy | undefined, nowMs: number): UnitStatus {
  if (!policy || policy.deletedDateTime !== undefined) return "removed";
  if (unit.removeRequestedMs !== undefined && nowMs >= unit.removeRequestedMs) {
    return nowMs < unit.removeRequestedMs + PROTECTION_CHANGE_MS ? "removeRequested" : "removed";
  }
  const current = activationAt(policy, nowMs);
  if (current) return nowMs < Math.max(current.fromMs, unit.addedMs) + PROTECTION_CHANGE_MS ? "protectRequested" : "protected";
  const ended = [...policy.activations].reverse().find((a) => a.untilMs !== undefined && a.untilMs <= nowMs && a.untilMs > unit.addedMs);
  if (ended) return nowMs < ended.untilMs! + PROTECTION_CHANGE_MS ? "unprotectRequested" : "unprotected";
  return "protectRequested";
}

/** When the unit was protected: from 15 minutes after it (or the policy's activation) came in, until removal or deactivation. */
export function protectedIntervals(unit: StoredUnit, policy: StoredPolicy | undefined): Interval[] {
  if (!policy) return [];
  const intervals: Interval[] = [];
  for (const activation of policy.activations) {
    const fromMs = Math.max(activation.fromMs, unit.addedMs) + (unit.addedMs === BEGINNING_MS ? 0 : PROTECTION_CHANGE_MS);
    const untilMs = Math.min(activation.untilMs ?? Infinity, unit.removeRequestedMs ?? Infinity);
    if (fromMs <= untilMs) intervals.push({ fromMs, untilMs });
  }
  return intervals;
}

/** The status of a policy at `nowMs`, given its units that are not removed. */
export function policyStatus(
  policy: StoredPolicy,
  liveUnits: readonly { unit: StoredUnit; status: UnitStatus }[],
  nowMs: number,
): PolicyStatus {
  if (policy.lastActionMs !== undefined && nowMs < policy.lastActionMs + PROTECTION_CHANGE_MS) return "updating";
  if (!activationAt(policy, nowMs)) return "inactive";
  if (liveUnits.some((u) => REQUESTED_UNIT_STATUSES.includes(u.status))) return "updating";
  if (liveUnits.some((u) => u.unit.error !== undefined)) return "activeWithErrors";
  return "active";
}

/** The activation period covering `nowMs`, if the policy is switched on then. */
export function activationAt(policy: StoredPolicy, nowMs: number): StoredPolicy["activations"][number] | undefined {
  return policy.activations.find((a) => a.fromMs <= nowMs && (a.untilMs === undefined || nowMs < a.untilMs));
}

/** A protection-unit bulk job's status: `active` while it adds its units (15 minutes), then done. */
export type BulkJobStatus = "active" | "completed" | "completedWithErrors";

/** The status of a bulk job at `nowMs`. */
export function jobStatus(job: StoredBulkJob, nowMs: number): BulkJobStatus {
  if (nowMs < job.createdMs + PROTECTION_CHANGE_MS) return "active";
  return job.issues.length > 0 ? "completedWithErrors" : "completed";
}
