/**
 * The provider Pulumi serializes into every SharePointRestoreSession's `__provider` input.
 *
 * It must stay tiny and capture nothing: each method requires the engine by package name inside
 * its body, so the text loads in any program directory where the package is installed, and state
 * written today keeps working with a newer installed version. Its text is the one 0.1.0 wrote
 * (the engine's top-level methods are SharePoint restore sessions). A golden test pins it.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The dynamic provider of SharePoint restore sessions. */
export const sharePointRestoreSessionProvider: dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-m365-backup/engine").configure(...a),
  check: (...a) => require("pulumi-m365-backup/engine").check(...a),
  diff: (...a) => require("pulumi-m365-backup/engine").diff(...a),
  create: (...a) => require("pulumi-m365-backup/engine").create(...a),
  read: (...a) => require("pulumi-m365-backup/engine").read(...a),
  update: (...a) => require("pulumi-m365-backup/engine").update(...a),
  delete: (...a) => require("pulumi-m365-backup/engine").remove(...a),
};
