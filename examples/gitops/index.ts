/**
 * A SharePoint restore session whose every input is stack config, so a pull request that edits
 * `Pulumi.<stack>.yaml` is the whole change request: the workflow previews it on the pull request
 * and applies it when it lands on main.
 */
import * as pulumi from "@pulumi/pulumi";
import { SharePointRestoreSession } from "pulumi-m365-backup";

const config = new pulumi.Config();

const session = new SharePointRestoreSession("restore", {
  siteRestoreArtifacts: config.requireObject<string[]>("restorePointIds").map((restorePointId) => ({ restorePointId })),
  destinationType: config.get<"new" | "inPlace">("destinationType", { allowedValues: ["new", "inPlace"] }) ?? "new",
  // An in-place restore rolls production sites back and cannot be undone, so the pull request that
  // asks for one must also say so in a second line; the provider refuses inPlace without it.
  allowInPlaceRestore: config.getBoolean("allowInPlaceRestore"),
  // Off by default: merging a draft is reversible, merging an activation is not.
  activate: config.getBoolean("activate") ?? false,
});

export const sessionId = session.id;
export const status = session.status;
export const sites = session.siteRestoreArtifacts;
