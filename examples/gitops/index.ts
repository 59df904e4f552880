/**
 * A SharePoint restore whose every input is stack config, so a pull request that edits
 * `Pulumi.<stack>.yaml` is the whole change request: the workflow previews it on the pull request
 * and applies it when it lands on main.
 *
 * Sites are named by URL. The pipeline signs in as an application (OIDC), and Graph gives
 * applications no site URLs on protection units, so the provider sends the URLs in one bulk request
 * and the service resolves them, picking each site's restore point in the window.
 */
import * as pulumi from "@pulumi/pulumi";
import { SharePointRestoreSession } from "pulumi-m365-backup";

const config = new pulumi.Config();
const pointInTime = config.get("pointInTime");

const session = new SharePointRestoreSession("restore", {
  bulkRestore: {
    siteWebUrls: config.requireObject<string[]>("siteWebUrls"),
    // The newest restore point at or before pointInTime (default: the newest there is).
    restorePointPreference: "latest",
    ...(pointInTime !== undefined ? { protectionTimePeriod: { endDateTime: pointInTime } } : {}),
  },
  destinationType: config.get<"new" | "inPlace">("destinationType", { allowedValues: ["new", "inPlace"] }) ?? "new",
  // An in-place restore rolls production sites back and cannot be undone, so the pull request that
  // asks for one must also say so in a second line; the provider refuses inPlace without it.
  allowInPlaceRestore: config.getBoolean("allowInPlaceRestore"),
  // Off by default: merging a draft is reversible, merging an activation is not.
  activate: config.getBoolean("activate") ?? false,
  drillId: config.get("drillId"),
});

export const sessionId = session.id;
export const status = session.status;
export const bulkRequest = session.bulkRequest;
export const sites = session.siteRestoreArtifacts;
