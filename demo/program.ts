/**
 * The demo's Pulumi program (the root Pulumi.yaml runs it): a DR drill that restores three sites
 * to new URLs, activates the restore, and exports what a drill must prove.
 *
 * Its restore point ids come from stack config (`m365-backup-demo:restorePointIds`, a JSON array),
 * which `npm run demo` fills from the emulator's demo tenant.
 */
import * as pulumi from "@pulumi/pulumi";
import { SharePointRestoreSession } from "pulumi-m365-backup";

/** Declares the drill and returns the stack outputs. */
export function drill(): Record<string, pulumi.Output<unknown>> {
  const config = new pulumi.Config("m365-backup-demo");
  const restorePointIds = config.requireObject<string[]>("restorePointIds");

  const session = new SharePointRestoreSession("dr-drill", {
    siteRestoreArtifacts: restorePointIds.map((restorePointId) => ({ restorePointId })),
    destinationType: "new",
    activate: true,
  });

  return {
    sessionId: session.id,
    status: session.status,
    createdDateTime: session.createdDateTime,
    completedDateTime: session.completedDateTime.apply((v) => v ?? null),
    createdBy: session.createdBy,
    restoreSessionArtifactCount: session.restoreSessionArtifactCount,
    restoredSites: session.siteRestoreArtifacts.apply((artifacts) =>
      (artifacts ?? []).map((a) => ({ restorePointId: a.restorePointId, status: a.status, restoredSiteWebUrl: a.restoredSiteWebUrl })),
    ),
  };
}
