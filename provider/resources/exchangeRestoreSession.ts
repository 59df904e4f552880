/** Program side: the ExchangeRestoreSession resource: restores whole mailboxes, or items found by a query. */
import type * as pulumi from "@pulumi/pulumi";
import { EXCHANGE } from "../workloads/workloads";
import { exchangeRestoreSessionProvider } from "../serialized/exchangeRestoreSession";
import type { RestoreArtifactOutput } from "./outputs";
import {
  outputsOnly,
  RestoreSessionResource,
  type GranularMailboxRestoreArtifactArgs,
  type MailboxBulkRestoreArgs,
  type MailboxRestoreArtifactArgs,
  type RestoreSessionKind,
  type RestoreSessionSettingsArgs,
} from "./restore-session";

/** Inputs of an Exchange restore session: whole mailboxes (listed, or by email in bulk), or items of mailboxes, and how. */
export interface ExchangeRestoreSessionArgs extends RestoreSessionSettingsArgs {
  /** Whole mailboxes: by restore point, or by mailbox and point in time, each listed once (at most 1,000). */
  mailboxRestoreArtifacts?: pulumi.Input<pulumi.Input<MailboxRestoreArtifactArgs>[]>;
  /** Items of mailboxes, found by a query (at most 50); not mixed with whole mailboxes in one session. */
  granularMailboxRestoreArtifacts?: pulumi.Input<pulumi.Input<GranularMailboxRestoreArtifactArgs>[]>;
  /** Up to 10,000 mailboxes by email, resolved by the service; instead of listing them. */
  bulkRestore?: pulumi.Input<MailboxBulkRestoreArgs>;
}

/** The Pulumi type token. */
export const EXCHANGE_RESTORE_SESSION_TYPE = `pulumi-nodejs:dynamic/m365-backup:${EXCHANGE.restoreSession.resourceType}`;

const KIND: RestoreSessionKind = {
  type: EXCHANGE.restoreSession.resourceType,
  artifacts: EXCHANGE.restoreSession.artifacts,
  granularArtifacts: EXCHANGE.restoreSession.granularArtifacts,
};

/** A Microsoft 365 Backup Storage Exchange restore session, managed through Microsoft Graph. */
export class ExchangeRestoreSession extends RestoreSessionResource {
  /** The Pulumi type token, which CrossGuard matches (see RestoreSessionResource.__pulumiType). */
  static override readonly __pulumiType = EXCHANGE_RESTORE_SESSION_TYPE;

  /** Whole mailboxes of the session, with each one's restore point, status, timing and restored folder. */
  declare readonly mailboxRestoreArtifacts: pulumi.Output<RestoreArtifactOutput[]>;
  /** Item-level restores of the session, with each one's query, restore point, status and restored folder. */
  declare readonly granularMailboxRestoreArtifacts: pulumi.Output<RestoreArtifactOutput[] | undefined>;

  /** Declares a restore session; `pulumi up` creates it through Graph. */
  constructor(name: string, args: ExchangeRestoreSessionArgs, opts?: pulumi.CustomResourceOptions) {
    super(exchangeRestoreSessionProvider, KIND, name, args as never, opts);
  }

  /** Reads an existing restore session by its Graph id. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ExchangeRestoreSession {
    return new ExchangeRestoreSession(name, outputsOnly(KIND) as ExchangeRestoreSessionArgs, { ...opts, id });
  }
}
