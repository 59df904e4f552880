/**
 * A disaster-recovery drill for a real tenant: restores the configured sites to new URLs (at the
 * latest restore point, or at `pointInTime`), starts the restore, waits for it to end, and exports
 * the evidence: the drill report with the measured restore time (RTO) and data age (RPO).
 *
 * New URLs keep the production sites untouched; `activate: true` cannot be undone, so review
 * `pulumi preview` before `pulumi up`. Change `drillId` to run the drill again.
 */
import * as pulumi from "@pulumi/pulumi";
import { renderDrillReport, SharePointRestoreSession, type SiteRestoreArtifactArgs } from "pulumi-m365-backup";

const config = new pulumi.Config();
// Sites by id (what an app sees), or, as before, restore point ids found by hand.
const siteIds = config.getObject<string[]>("siteIds");
const pointInTime = config.get("pointInTime");
const artifacts: SiteRestoreArtifactArgs[] = siteIds
  ? siteIds.map((siteId) => (pointInTime ? { siteId, pointInTime } : { siteId }))
  : config.requireObject<string[]>("restorePointIds").map((restorePointId) => ({ restorePointId }));

const session = new SharePointRestoreSession("dr-drill", {
  siteRestoreArtifacts: artifacts,
  destinationType: "new",
  activate: true,
  waitForCompletion: { timeoutMinutes: config.getNumber("timeoutMinutes") ?? 120 },
  drillId: config.get("drillId") ?? "drill-1",
});

export const sessionId = session.id;
export const status = session.status;
export const createdDateTime = session.createdDateTime;
// Null rather than absent until the restore ends, so the output is visible in `pulumi stack output`.
export const completedDateTime = session.completedDateTime.apply((v) => v ?? null);
export const createdBy = session.createdBy;
export const restoreSessionArtifactCount = session.restoreSessionArtifactCount;
export const restoredSites = session.siteRestoreArtifacts.apply((artifacts) =>
  (artifacts ?? []).map((a) => ({ restorePointId: a.restorePointId, status: a.status, restoredSiteWebUrl: a.restoredSiteWebUrl })),
);
// `pulumi stack output drillReport` prints it; paste it into the drill's record.
export const drillReport = session.drillReport.apply((report) => (report ? renderDrillReport(report, "markdown") : null));
