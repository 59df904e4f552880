/** The provider Pulumi serializes into every OneDriveRestoreSession: the engine's `oneDrive` kind, by package name (see sharePointRestoreSession.ts). */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The dynamic provider of OneDrive restore sessions. */
export const oneDriveRestoreSessionProvider: dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-m365-backup/engine").configure(...a),
  check: (...a) => require("pulumi-m365-backup/engine").oneDrive.check(...a),
  diff: (...a) => require("pulumi-m365-backup/engine").oneDrive.diff(...a),
  create: (...a) => require("pulumi-m365-backup/engine").oneDrive.create(...a),
  read: (...a) => require("pulumi-m365-backup/engine").oneDrive.read(...a),
  update: (...a) => require("pulumi-m365-backup/engine").oneDrive.update(...a),
  delete: (...a) => require("pulumi-m365-backup/engine").oneDrive.delete(...a),
};
