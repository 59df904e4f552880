/** The provider Pulumi serializes into every OneDriveProtectionPolicy: the engine's `drivePolicy` kind, by package name (see sharePointRestoreSession.ts). */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The dynamic provider of OneDrive protection policies. */
export const oneDriveProtectionPolicyProvider: dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-m365-backup/engine").configure(...a),
  check: (...a) => require("pulumi-m365-backup/engine").drivePolicy.check(...a),
  diff: (...a) => require("pulumi-m365-backup/engine").drivePolicy.diff(...a),
  create: (...a) => require("pulumi-m365-backup/engine").drivePolicy.create(...a),
  read: (...a) => require("pulumi-m365-backup/engine").drivePolicy.read(...a),
  update: (...a) => require("pulumi-m365-backup/engine").drivePolicy.update(...a),
  delete: (...a) => require("pulumi-m365-backup/engine").drivePolicy.delete(...a),
};
