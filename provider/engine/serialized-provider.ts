/**
 * The provider object Pulumi serializes into every resource's `__provider` input.
 *
 * It must stay tiny and capture nothing: each method requires the engine by package name inside
 * its body (arrow functions with rest arguments keep the text short), so the text loads in any program directory where the package is installed, and state
 * written today keeps working with a newer installed version. A golden test pins its text.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The dynamic provider handed to `pulumi.dynamic.Resource`. */
export const serializedProvider: dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-m365-backup/engine").configure(...a),
  check: (...a) => require("pulumi-m365-backup/engine").check(...a),
  diff: (...a) => require("pulumi-m365-backup/engine").diff(...a),
  create: (...a) => require("pulumi-m365-backup/engine").create(...a),
  read: (...a) => require("pulumi-m365-backup/engine").read(...a),
  update: (...a) => require("pulumi-m365-backup/engine").update(...a),
  delete: (...a) => require("pulumi-m365-backup/engine").remove(...a),
};
