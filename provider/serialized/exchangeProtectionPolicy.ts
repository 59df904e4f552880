/** The provider Pulumi serializes into every ExchangeProtectionPolicy: the engine's `mailboxPolicy` kind, by package name (see sharePointRestoreSession.ts). */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The dynamic provider of Exchange protection policies. */
export const exchangeProtectionPolicyProvider: dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-m365-backup/engine").configure(...a),
  check: (...a) => require("pulumi-m365-backup/engine").mailboxPolicy.check(...a),
  diff: (...a) => require("pulumi-m365-backup/engine").mailboxPolicy.diff(...a),
  create: (...a) => require("pulumi-m365-backup/engine").mailboxPolicy.create(...a),
  read: (...a) => require("pulumi-m365-backup/engine").mailboxPolicy.read(...a),
  update: (...a) => require("pulumi-m365-backup/engine").mailboxPolicy.update(...a),
  delete: (...a) => require("pulumi-m365-backup/engine").mailboxPolicy.delete(...a),
};
