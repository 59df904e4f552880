/**
 * Program side: what the three restore-session resources share, their argument types and the base
 * class that declares their common outputs.
 *
 * It never loads the Graph client or the engine: the only thing that crosses to the engine is the
 * serialized provider each resource hands to Pulumi, which requires the engine by package name when
 * the host runs it.
 */
import * as pulumi from "@pulumi/pulumi";
import { drillReport, type DrillReport, type DrillSummary } from "../report";
import { TypedResource } from "./type-token";
import type {
  ArtifactCount,
  BulkRequestOutput,
  BulkRestoreOutput,
  IdentitySet,
  MailboxQuery,
  PublicError,
  RestoreArtifactOutput,
  TimePeriod,
} from "./outputs";

/** One object to restore, identified by a restore point id from `restorePoints/search`. */
export interface RestorePointArtifactArgs {
  /** The restore point to restore from. */
  restorePointId: pulumi.Input<string>;
}

/** How the provider picks the restore point of an object named by id or name. */
export interface PointChoiceArgs {
  /** ISO 8601 time to restore to; defaults to the time of create. */
  pointInTime?: pulumi.Input<string>;
  /** `"latest"` (default): newest point at or before pointInTime; `"oldest"`: oldest point at or after it. */
  restorePointPreference?: pulumi.Input<"latest" | "oldest">;
  /** Only consider fast-restore points. */
  fastRestoreOnly?: pulumi.Input<boolean>;
}

/**
 * One site to restore, named by URL or id (exactly one); the provider picks its restore point when
 * it creates the session and records it in the outputs.
 */
export interface SiteByNameArtifactArgs extends PointChoiceArgs {
  /** The site's URL. Graph gives protection units' URLs only to delegated callers; apps use siteId or bulkRestore. */
  siteWebUrl?: pulumi.Input<string>;
  /** The site's id, as listed by site protection units. */
  siteId?: pulumi.Input<string>;
}

/** One user's OneDrive, or one mailbox, named by email or directory object id (exactly one). */
export interface UserArtifactArgs extends PointChoiceArgs {
  /** The user's or mailbox's email. Graph may not return emails to applications; apps use directoryObjectId or bulkRestore. */
  email?: pulumi.Input<string>;
  /** The user's or mailbox's directory object id, as listed by the protection units. */
  directoryObjectId?: pulumi.Input<string>;
}

/** One site to restore: by restore point id, or by site and point in time. */
export type SiteRestoreArtifactArgs = RestorePointArtifactArgs | SiteByNameArtifactArgs;
/** One OneDrive to restore: by restore point id, or by user and point in time. */
export type DriveRestoreArtifactArgs = RestorePointArtifactArgs | UserArtifactArgs;
/** One mailbox to restore: by restore point id, or by mailbox and point in time. */
export type MailboxRestoreArtifactArgs = RestorePointArtifactArgs | UserArtifactArgs;

/** Items of one mailbox to restore: the mailbox (or one of its restore points) and the items to find. */
export interface GranularMailboxRestoreArtifactArgs extends PointChoiceArgs {
  restorePointId?: pulumi.Input<string>;
  email?: pulumi.Input<string>;
  directoryObjectId?: pulumi.Input<string>;
  /** Which items to restore. */
  query: pulumi.Input<MailboxQuery>;
}

/** How a bulk restore lets the service pick restore points. */
export interface BulkRestoreChoiceArgs {
  /** Restore points taken inside this window (default: any the service keeps). */
  protectionTimePeriod?: pulumi.Input<TimePeriod>;
  /** `"latest"` (default) or `"oldest"` point inside the window. */
  restorePointPreference?: pulumi.Input<"latest" | "oldest">;
  /** Only fast-restore points (tag `fastRestore`). */
  fastRestoreOnly?: pulumi.Input<boolean>;
  /** The request's name in Graph; defaults to the resource's name. */
  displayName?: pulumi.Input<string>;
}

/** A bulk restore of up to 10,000 sites named by URL, resolved by the service (works with application sign-in). */
export interface SiteBulkRestoreArgs extends BulkRestoreChoiceArgs {
  siteWebUrls: pulumi.Input<pulumi.Input<string>[]>;
}
/** A bulk restore of up to 10,000 OneDrives named by their users' emails. */
export interface DriveBulkRestoreArgs extends BulkRestoreChoiceArgs {
  drives: pulumi.Input<pulumi.Input<string>[]>;
}
/** A bulk restore of up to 10,000 mailboxes named by email. */
export interface MailboxBulkRestoreArgs extends BulkRestoreChoiceArgs {
  mailboxes: pulumi.Input<pulumi.Input<string>[]>;
}

/** How long to wait for the restore to end; fractions allowed. */
export interface WaitForCompletionArgs {
  /** Give up waiting after this many minutes (default 120); the session keeps running in Graph. */
  timeoutMinutes?: number;
  /** Look every this many seconds at first (default 30), slowing down gently. */
  pollIntervalSeconds?: number;
}

/** The settings every restore session takes besides what it restores. */
export interface RestoreSessionSettingsArgs {
  /** Restore to a new location (`"new"`, the default) or roll back in place (`"inPlace"`). */
  destinationType?: pulumi.Input<"new" | "inPlace">;
  /** Start the restore. Defaults to false, which leaves the session in draft. */
  activate?: pulumi.Input<boolean>;
  /** Required (true) for `destinationType: "inPlace"`, which rolls production data back. */
  allowInPlaceRestore?: pulumi.Input<boolean>;
  /** Wait for the restore to end after activating (default: do not wait). */
  waitForCompletion?: pulumi.Input<boolean | WaitForCompletionArgs>;
  /** Which ends fail the update: `"completedWithError"` (default; also failed), `"failed"`, or `"never"`. */
  failOn?: pulumi.Input<"failed" | "completedWithError" | "never">;
  /** Names this drill run; changing it replaces the session, which runs the restore again. */
  drillId?: pulumi.Input<string>;
}

/** The outputs every restore session has, whatever it restores. */
export interface RestoreSessionOutputs {
  destinationType: string;
  activate: boolean;
  allowInPlaceRestore?: boolean;
  waitForCompletion?: boolean | WaitForCompletionArgs;
  failOn?: string;
  drillId?: string;
  bulkRestore?: BulkRestoreOutput;
  bulkRequest?: BulkRequestOutput;
  status: string;
  createdDateTime: string;
  createdBy: IdentitySet;
  completedDateTime?: string;
  lastModifiedDateTime: string;
  lastModifiedBy?: IdentitySet;
  error?: PublicError;
  restoreJobType: string;
  restoreSessionArtifactCount: ArtifactCount;
  activatedDateTime?: string;
  drillReport: DrillReport;
  missingSince?: string;
  stateVersion: number;
}

/** Every common output named with no value, so Pulumi exposes each as a property of the resource. */
const COMMON_OUTPUTS: Record<keyof RestoreSessionOutputs, undefined> = {
  destinationType: undefined,
  activate: undefined,
  allowInPlaceRestore: undefined,
  waitForCompletion: undefined,
  failOn: undefined,
  drillId: undefined,
  bulkRestore: undefined,
  bulkRequest: undefined,
  status: undefined,
  createdDateTime: undefined,
  createdBy: undefined,
  completedDateTime: undefined,
  lastModifiedDateTime: undefined,
  lastModifiedBy: undefined,
  error: undefined,
  restoreJobType: undefined,
  restoreSessionArtifactCount: undefined,
  activatedDateTime: undefined,
  drillReport: undefined,
  missingSince: undefined,
  stateVersion: undefined,
};

/** What a restore session resource declares about itself. */
export interface RestoreSessionKind {
  /** Pulumi type name. */
  type: string;
  /** The output holding what it restores (the Graph artifact property). */
  artifacts: string;
  /** The output holding its item-level artifacts, if it has them. */
  granularArtifacts?: string;
}

/** The base of the three restore-session resources: their common outputs, and their type token for CrossGuard. */
export abstract class RestoreSessionResource extends TypedResource {
  /** `"new"` or `"inPlace"`. */
  declare readonly destinationType: pulumi.Output<string>;
  /** Whether the restore was started. */
  declare readonly activate: pulumi.Output<boolean>;
  /** Whether an in-place restore was allowed. */
  declare readonly allowInPlaceRestore: pulumi.Output<boolean | undefined>;
  /** The waitForCompletion input as stored. */
  declare readonly waitForCompletion: pulumi.Output<boolean | WaitForCompletionArgs | undefined>;
  /** The failOn input as stored. */
  declare readonly failOn: pulumi.Output<string | undefined>;
  /** The drill's id, if any. */
  declare readonly drillId: pulumi.Output<string | undefined>;
  /** A bulk restore as asked (names, window, preference). */
  declare readonly bulkRestore: pulumi.Output<BulkRestoreOutput | undefined>;
  /** A bulk restore's request as Graph reports it: id, status, and the names it could not resolve. */
  declare readonly bulkRequest: pulumi.Output<BulkRequestOutput | undefined>;
  /** draft, activating, active, completed, completedWithError, failed (or a value Graph adds later). */
  declare readonly status: pulumi.Output<string>;
  /** When the session was created (ISO 8601). */
  declare readonly createdDateTime: pulumi.Output<string>;
  /** Who created the session. */
  declare readonly createdBy: pulumi.Output<IdentitySet>;
  /** When the restore ended (ISO 8601); unset until then. */
  declare readonly completedDateTime: pulumi.Output<string | undefined>;
  /** When the session last changed (ISO 8601). */
  declare readonly lastModifiedDateTime: pulumi.Output<string>;
  /** Who last changed the session. */
  declare readonly lastModifiedBy: pulumi.Output<IdentitySet | undefined>;
  /** Why the session failed or completed with errors. */
  declare readonly error: pulumi.Output<PublicError | undefined>;
  /** standard, bulk or granular. */
  declare readonly restoreJobType: pulumi.Output<string>;
  /** Counters of the session's artifacts: total, inProgress, completed, failed. */
  declare readonly restoreSessionArtifactCount: pulumi.Output<ArtifactCount>;
  /** When the provider activated the session (ISO 8601); Graph does not record it. */
  declare readonly activatedDateTime: pulumi.Output<string | undefined>;
  /**
   * The drill's evidence: restore duration (RTO), data age (RPO), and one row per site, OneDrive
   * or mailbox. The state stores the summary; the rows are derived from the artifacts here.
   */
  declare readonly drillReport: pulumi.Output<DrillReport>;
  /** Set when an activated session was found missing from Graph (purged); it is kept, not re-created. */
  declare readonly missingSince: pulumi.Output<string | undefined>;

  protected constructor(
    provider: pulumi.dynamic.ResourceProvider,
    kind: RestoreSessionKind,
    name: string,
    args: RestoreSessionSettingsArgs & { bulkRestore?: pulumi.Input<BulkRestoreChoiceArgs & Record<string, unknown>> },
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const outputs: Record<string, undefined> = { ...COMMON_OUTPUTS, [kind.artifacts]: undefined };
    if (kind.granularArtifacts !== undefined) outputs[kind.granularArtifacts] = undefined;
    const props: Record<string, unknown> = { ...outputs, ...args };
    // A bulk request needs a name in Graph; the resource's own is the natural one.
    if (args.bulkRestore !== undefined)
      props.bulkRestore = pulumi.output(args.bulkRestore).apply((b) => ({ ...b, displayName: b.displayName ?? name }));
    super(provider, name, props, opts, "m365-backup", kind.type);
    const outputs_ = this as unknown as Record<string, pulumi.Output<RestoreArtifactOutput[] | undefined>>;
    const lists = [kind.artifacts, ...(kind.granularArtifacts !== undefined ? [kind.granularArtifacts] : [])].map((key) => outputs_[key]!);
    const summary = this.drillReport as unknown as pulumi.Output<DrillSummary | undefined>;
    // The destination is the session's; a row needs it to name an in-place bulk item by its site.
    this.drillReport = pulumi.all([summary, pulumi.all(lists), this.destinationType]).apply(([s, artifacts, destinationType]) =>
      s === undefined
        ? (undefined as unknown as DrillReport)
        : drillReport(
            s,
            artifacts.flatMap((a) => a ?? []).map((a) => ({ ...a, destinationType })),
          ),
    );
  }
}

/** The arguments `get` passes: every output named with no value. */
export function outputsOnly(kind: RestoreSessionKind): Record<string, undefined> {
  const outputs: Record<string, undefined> = { ...COMMON_OUTPUTS, [kind.artifacts]: undefined };
  if (kind.granularArtifacts !== undefined) outputs[kind.granularArtifacts] = undefined;
  return outputs;
}
