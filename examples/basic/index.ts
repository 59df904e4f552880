/**
 * One draft SharePoint restore session from restore point ids in stack config.
 *
 * A draft restores nothing: it lets you check the restore points Graph accepts, and you can add
 * or remove sites freely before deciding to activate it.
 */
import * as pulumi from "@pulumi/pulumi";
import { SharePointRestoreSession } from "pulumi-m365-backup";

const config = new pulumi.Config();
const restorePointIds = config.requireObject<string[]>("restorePointIds");

const session = new SharePointRestoreSession("restore", {
  siteRestoreArtifacts: restorePointIds.map((restorePointId) => ({ restorePointId })),
  destinationType: "new",
});

export const sessionId = session.id;
export const status = session.status;
export const sites = session.siteRestoreArtifacts;
