/**
 * A monthly disaster-recovery drill: restores the configured SharePoint sites (and, if configured,
 * OneDrives) to new locations from this month's backups, waits for the restore, and fails the
 * update when any of it failed. The sites are named by URL and resolved by the service (a bulk
 * restore), which works with an application's sign-in such as GitHub Actions' OIDC.
 *
 * `drillId` is the month (`2026-12`): a new month replaces the sessions, which runs the restore
 * again; within a month the same id changes nothing, so a re-run never restores twice.
 */
import * as pulumi from "@pulumi/pulumi";
import { OneDriveRestoreSession, SharePointRestoreSession, type RestoreSessionSettingsArgs } from "pulumi-m365-backup";

export = async () => {
  const config = new pulumi.Config();
  // The workflow passes the month explicitly; a Pulumi Deployments schedule can rely on the default.
  const drillId = config.get("drillId") ?? new Date().toISOString().slice(0, 7);
  const drill: RestoreSessionSettingsArgs = {
    destinationType: "new",
    activate: true,
    waitForCompletion: {
      timeoutMinutes: config.getNumber("timeoutMinutes") ?? 180,
      pollIntervalSeconds: config.getNumber("pollIntervalSeconds") ?? 30,
    },
    failOn: "completedWithError",
    drillId,
  };

  const sites = new SharePointRestoreSession("sites", {
    bulkRestore: { siteWebUrls: config.requireObject<string[]>("siteWebUrls") },
    ...drill,
  });
  const drives = config.getObject<string[]>("drives");
  const oneDrive = drives ? new OneDriveRestoreSession("onedrives", { bulkRestore: { drives }, ...drill }) : undefined;

  const sessions = oneDrive ? [sites, oneDrive] : [sites];
  return {
    drillId,
    status: pulumi.all(sessions.map((s) => s.status)),
    // The full report is rendered from the state (`m365-backup drill-report`), so a failed drill is reported too.
    restoreDurationSeconds: pulumi.all(sessions.map((s) => s.drillReport.apply((r) => r?.restoreDurationSeconds ?? null))),
  };
};
