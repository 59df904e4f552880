/** failOn: which ends of a restore fail the update, and the per-item reasons it gives. */
import type { RestoreSessionInputs } from "../../schemas/inputs/restore-session";
import type { Workload } from "../../workloads";
import { labelOf } from "./resolve";
import type { SessionState } from "./state";

/** The statuses each `failOn` setting treats as a failed drill; the default is `completedWithError`. */
const FAILING_STATUSES: Record<NonNullable<RestoreSessionInputs["failOn"]>, readonly string[]> = {
  failed: ["failed"],
  completedWithError: ["failed", "completedWithError"],
  never: [],
};

/**
 * Why the finished restore fails the update under `failOn`, or undefined when it does not. A bulk
 * restore whose request could not resolve every name is a drill with errors (`completedWithError`).
 */
export function outcomeFailure(workload: Workload, state: SessionState, failOn: RestoreSessionInputs["failOn"]): string | undefined {
  const failing = FAILING_STATUSES[failOn ?? "completedWithError"];
  const unresolved = state.bulkRequest?.error;
  const status = unresolved !== undefined && state.status === "completed" ? "completedWithError" : state.status;
  if (!failing.includes(status)) return undefined;
  const items = [...state.artifacts, ...state.granularArtifacts]
    .filter((a) => a.status === "failed" || a.error !== undefined)
    .map((a) => `${labelOf(workload, a)}: ${a.error?.code ?? a.status}: ${a.error?.message ?? "no reason given"}`);
  if (unresolved !== undefined)
    items.unshift(
      `bulk request ${state.bulkRequest?.id}: ${unresolved.code ?? "error"}: ${unresolved.message ?? "some names were not resolved"}`,
    );
  const session = state.error?.code !== undefined ? ` (session error ${state.error.code}: ${state.error.message ?? ""})` : "";
  return `the restore ended ${state.status}${session}${items.length > 0 ? `; ${items.join("; ")}` : ""}`;
}
