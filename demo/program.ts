/**
 * The demo's Pulumi program (the root Pulumi.yaml runs it): a DR drill across the three workloads.
 * It restores sites, users' OneDrives and mailboxes to new locations at their latest restore point,
 * activates the three restores, waits for them to end, and exports one combined drill report (RTO
 * and RPO per workload) as Markdown.
 *
 * What to restore comes from stack config, which `npm run demo` fills from the emulator's demo
 * tenant: sites and OneDrives by id (Graph gives application tokens no site URLs on protection
 * units), mailboxes by email through a bulk restore (the service resolves the names).
 */
import * as pulumi from "@pulumi/pulumi";
import { ExchangeRestoreSession, OneDriveRestoreSession, renderDrillReport, SharePointRestoreSession } from "pulumi-m365-backup";

/** Declares the drill and returns the stack outputs. */
export function drill(): Record<string, pulumi.Output<unknown>> {
  const config = new pulumi.Config("m365-backup-demo");
  const drillId = config.get("drillId") ?? "demo-drill-1";
  const settings = {
    destinationType: "new" as const,
    activate: true,
    // The emulator's clock runs fast, so short waits and polls suit the demo.
    waitForCompletion: {
      timeoutMinutes: config.getNumber("timeoutMinutes") ?? 10,
      pollIntervalSeconds: config.getNumber("pollIntervalSeconds") ?? 1,
    },
    drillId,
  };

  const sites = new SharePointRestoreSession("sites-drill", {
    siteRestoreArtifacts: config.requireObject<string[]>("siteIds").map((siteId) => ({ siteId })),
    ...settings,
  });
  const drives = new OneDriveRestoreSession("onedrive-drill", {
    driveRestoreArtifacts: config.requireObject<string[]>("userIds").map((directoryObjectId) => ({ directoryObjectId })),
    ...settings,
  });
  const mailboxes = new ExchangeRestoreSession("mailbox-drill", {
    bulkRestore: { mailboxes: config.requireObject<string[]>("mailboxEmails"), restorePointPreference: "latest" },
    ...settings,
  });

  const sessions = [sites, drives, mailboxes];
  return {
    sessions: pulumi
      .all(sessions.map((s) => pulumi.all([s.id, s.status, s.restoreSessionArtifactCount])))
      .apply((rows) => rows.map(([id, status, count]) => ({ id, status, restored: `${count?.completed ?? 0}/${count?.total ?? 0}` }))),
    drillReport: pulumi.all(sessions.map((s) => s.drillReport)).apply((reports) => renderDrillReport(reports.filter(Boolean), "markdown")),
  };
}
