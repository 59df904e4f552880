/**
 * The drill report: what a DR drill must prove, computed from the stored state alone (no Graph
 * call), so every create, update and refresh writes the current report into the outputs.
 */
import type { DrillReport, DrillReportSite } from "../resource/outputs";
import type { ArtifactState, SessionState } from "./state";

/**
 * Builds the report. Data age is measured from the requested point in time, or from activation
 * when none was requested, back to the restore point's protection time: the RPO actually achieved.
 */
export function drillReport(sessionId: string, state: SessionState): DrillReport {
  const sites = state.siteRestoreArtifacts.map((a) => siteReport(a, state.activatedDateTime));
  const ages = sites.flatMap((s) => (s.dataAgeSeconds === undefined ? [] : [s.dataAgeSeconds]));
  return {
    sessionId,
    drillId: state.drillId,
    status: state.status,
    activatedDateTime: state.activatedDateTime,
    completedDateTime: state.completedDateTime,
    restoreDurationSeconds: secondsBetween(state.activatedDateTime, state.completedDateTime),
    worstDataAgeSeconds: ages.length > 0 ? Math.max(...ages) : undefined,
    sites,
  };
}

function siteReport(a: ArtifactState, activatedDateTime: string | undefined): DrillReportSite {
  return {
    siteWebUrl: a.siteWebUrl,
    siteId: a.siteId,
    restorePointId: a.restorePointId,
    requestedPointInTime: a.requestedPointInTime,
    protectionDateTime: a.protectionDateTime,
    dataAgeSeconds: secondsBetween(a.protectionDateTime, a.requestedPointInTime ?? activatedDateTime),
    status: a.status,
    restoredSiteWebUrl: a.restoredSiteWebUrl,
    startDateTime: a.startDateTime,
    completionDateTime: a.completionDateTime,
    durationSeconds: secondsBetween(a.startDateTime, a.completionDateTime),
    error: a.error,
  };
}

/** Whole seconds from `from` to `to`, or undefined when either is unknown. */
function secondsBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isNaN(ms) ? undefined : Math.round(ms / 1000);
}
