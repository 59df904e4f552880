/**
 * A disaster-recovery drill for a real tenant: restores the sites of the configured restore points
 * to new URLs, starts the restore, and exports what the drill must prove (which sites came back,
 * where, and when).
 *
 * New URLs keep the production sites untouched; `activate: true` cannot be undone, so review
 * `pulumi preview` before `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import { SharePointRestoreSession } from "pulumi-m365-backup";

const config = new pulumi.Config();
const restorePointIds = config.requireObject<string[]>("restorePointIds");

const session = new SharePointRestoreSession("dr-drill", {
  siteRestoreArtifacts: restorePointIds.map((restorePointId) => ({ restorePointId })),
  destinationType: "new",
  activate: true,
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
