/** failOn: which ends of a restore fail the update, and the per-site reasons it gives. */
import type { SessionInputs } from "../schemas/inputs";
import type { ArtifactState, SessionState } from "./state";

/** The statuses each `failOn` setting treats as a failed drill; the default is `completedWithError`. */
const FAILING_STATUSES: Record<NonNullable<SessionInputs["failOn"]>, readonly string[]> = {
  failed: ["failed"],
  completedWithError: ["failed", "completedWithError"],
  never: [],
};

/** Why the finished restore fails the update under `failOn`, or undefined when it does not. */
export function outcomeFailure(state: SessionState, failOn: SessionInputs["failOn"]): string | undefined {
  if (!FAILING_STATUSES[failOn ?? "completedWithError"].includes(state.status)) return undefined;
  const sites = state.siteRestoreArtifacts
    .filter((a) => a.status === "failed" || a.error !== undefined)
    .map((a) => `${siteLabel(a)}: ${a.error?.code ?? a.status}: ${a.error?.message ?? "no reason given"}`);
  const session = state.error?.code !== undefined ? ` (session error ${state.error.code}: ${state.error.message ?? ""})` : "";
  return `the restore ended ${state.status}${session}${sites.length > 0 ? `; ${sites.join("; ")}` : ""}`;
}

/** How a site is named in messages: its URL, its id, or its restore point. */
export function siteLabel(a: Pick<ArtifactState, "siteWebUrl" | "siteId" | "restorePointId">): string {
  return a.siteWebUrl ?? (a.siteId !== undefined ? `site ${a.siteId}` : `restore point ${a.restorePointId}`);
}
