/**
 * The demo's Pulumi program (the root Pulumi.yaml runs it): a DR drill that restores three sites
 * to new URLs at their latest restore point, activates the restore, waits for it to end, and
 * exports the drill report (RTO and RPO) as Markdown.
 *
 * The sites come from stack config (`m365-backup-demo:siteIds`, a JSON array of site ids), which
 * `npm run demo` fills from the emulator's demo tenant. Sites are named by id because Graph gives application tokens no site URLs on protection units.
 */
import * as pulumi from "@pulumi/pulumi";
import { renderDrillReport, SharePointRestoreSession } from "pulumi-m365-backup";

/** Declares the drill and returns the stack outputs. */
export function drill(): Record<string, pulumi.Output<unknown>> {
  const config = new pulumi.Config("m365-backup-demo");
  const artifacts = config.requireObject<string[]>("siteIds").map((siteId) => ({ siteId }));

  const session = new SharePointRestoreSession("dr-drill", {
    siteRestoreArtifacts: artifacts,
    destinationType: "new",
    activate: true,
    // The emulator's clock runs fast, so short waits and polls suit the demo.
    waitForCompletion: {
      timeoutMinutes: config.getNumber("timeoutMinutes") ?? 10,
      pollIntervalSeconds: config.getNumber("pollIntervalSeconds") ?? 1,
    },
    drillId: config.get("drillId") ?? "demo-drill-1",
  });

  return {
    sessionId: session.id,
    status: session.status,
    createdDateTime: session.createdDateTime,
    createdBy: session.createdBy,
    activatedDateTime: session.activatedDateTime.apply((v) => v ?? null),
    completedDateTime: session.completedDateTime.apply((v) => v ?? null),
    restoreSessionArtifactCount: session.restoreSessionArtifactCount,
    restoredSites: session.siteRestoreArtifacts.apply((artifacts) =>
      (artifacts ?? []).map((a) => ({
        siteId: a.siteId,
        restorePointId: a.restorePointId,
        status: a.status,
        restoredSiteWebUrl: a.restoredSiteWebUrl,
      })),
    ),
    drillReport: session.drillReport.apply((report) => (report ? renderDrillReport(report, "markdown") : null)),
  };
}
