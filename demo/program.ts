/**
 * The demo's Pulumi program (the root Pulumi.yaml runs it): a tenant's backup posture and a DR
 * drill that proves it, in one stack, across the three workloads.
 *
 * The posture is a protection policy per workload. The demo tenant already has one active policy
 * per workload (Graph allows one), so the stack adopts them (`adoptExisting`) and keeps them if it
 * is destroyed (`retainOnDelete`), as a team taking over an existing tenant would. The drill then
 * restores sites, users' OneDrives and mailboxes to new locations at their latest restore point,
 * activates the three restores, waits for them to end, and exports one combined drill report (RTO
 * and RPO per workload) as Markdown.
 *
 * Everything comes from stack config, which `npm run demo` fills from the emulator's demo tenant:
 * sites and OneDrives by id (Graph gives application tokens no site URLs on protection units),
 * mailboxes by email through a bulk restore (the service resolves the names).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  ExchangeProtectionPolicy,
  ExchangeRestoreSession,
  OneDriveProtectionPolicy,
  OneDriveRestoreSession,
  renderDrillReport,
  SharePointProtectionPolicy,
  SharePointRestoreSession,
} from "pulumi-m365-backup";

/** Declares the posture and the drill, and returns the stack outputs. */
export function drill(): Record<string, pulumi.Output<unknown>> {
  const config = new pulumi.Config("m365-backup-demo");
  const adopted: pulumi.CustomResourceOptions = { retainOnDelete: true };
  const posture = [
    new SharePointProtectionPolicy(
      "sites-posture",
      { displayName: "SharePoint: every site", siteIds: config.requireObject<string[]>("protectedSiteIds"), adoptExisting: true },
      adopted,
    ),
    new OneDriveProtectionPolicy(
      "onedrive-posture",
      { displayName: "OneDrive: every user", userIds: config.requireObject<string[]>("protectedUserIds"), adoptExisting: true },
      adopted,
    ),
    new ExchangeProtectionPolicy(
      "mailbox-posture",
      { displayName: "Exchange: every mailbox", mailboxIds: config.requireObject<string[]>("protectedMailboxIds"), adoptExisting: true },
      adopted,
    ),
  ];
  // A drill proves the posture: it runs once the policies are as declared.
  const afterPosture: pulumi.CustomResourceOptions = { dependsOn: posture };
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

  const sites = new SharePointRestoreSession(
    "sites-drill",
    { siteRestoreArtifacts: config.requireObject<string[]>("siteIds").map((siteId) => ({ siteId })), ...settings },
    afterPosture,
  );
  const drives = new OneDriveRestoreSession(
    "onedrive-drill",
    { driveRestoreArtifacts: config.requireObject<string[]>("userIds").map((directoryObjectId) => ({ directoryObjectId })), ...settings },
    afterPosture,
  );
  const mailboxes = new ExchangeRestoreSession(
    "mailbox-drill",
    { bulkRestore: { mailboxes: config.requireObject<string[]>("mailboxEmails"), restorePointPreference: "latest" }, ...settings },
    afterPosture,
  );

  const sessions = [sites, drives, mailboxes];
  return {
    posture: pulumi.all(posture.map((p) => pulumi.all([p.id, p.status]))).apply((rows) => rows.map(([id, status]) => ({ id, status }))),
    sessions: pulumi
      .all(sessions.map((s) => pulumi.all([s.id, s.status, s.restoreSessionArtifactCount])))
      .apply((rows) => rows.map(([id, status, count]) => ({ id, status, restored: `${count?.completed ?? 0}/${count?.total ?? 0}` }))),
    drillReport: pulumi.all(sessions.map((s) => s.drillReport)).apply((reports) => renderDrillReport(reports.filter(Boolean), "markdown")),
  };
}
