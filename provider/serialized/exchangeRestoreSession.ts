/** The provider Pulumi serializes into every ExchangeRestoreSession: the engine's `exchange` kind, by package name (see sharePointRestoreSession.ts). */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The dynamic provider of Exchange restore sessions. */
export const exchangeRestoreSessionProvider: dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-m365-backup/engine").configure(...a),
  check: (...a) => require("pulumi-m365-backup/engine").exchange.check(...a),
  diff: (...a) => require("pulumi-m365-backup/engine").exchange.diff(...a),
  create: (...a) => require("pulumi-m365-backup/engine").exchange.create(...a),
  read: (...a) => require("pulumi-m365-backup/engine").exchange.read(...a),
  update: (...a) => require("pulumi-m365-backup/engine").exchange.update(...a),
  delete: (...a) => require("pulumi-m365-backup/engine").exchange.delete(...a),
};
