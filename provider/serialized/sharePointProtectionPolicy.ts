/** The provider Pulumi serializes into every SharePointProtectionPolicy: the engine's `sitePolicy` kind, by package name (see sharePointRestoreSession.ts). */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The dynamic provider of SharePoint protection policies. */
export const sharePointProtectionPolicyProvider: dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-m365-backup/engine").configure(...a),
  check: (...a) => require("pulumi-m365-backup/engine").sitePolicy.check(...a),
  diff: (...a) => require("pulumi-m365-backup/engine").sitePolicy.diff(...a),
  create: (...a) => require("pulumi-m365-backup/engine").sitePolicy.create(...a),
  read: (...a) => require("pulumi-m365-backup/engine").sitePolicy.read(...a),
  update: (...a) => require("pulumi-m365-backup/engine").sitePolicy.update(...a),
  delete: (...a) => require("pulumi-m365-backup/engine").sitePolicy.delete(...a),
};
