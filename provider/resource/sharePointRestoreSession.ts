/**
 * Program side: the SharePointRestoreSession resource users declare in their Pulumi programs.
 *
 * It never loads the Graph client or the engine: the only thing that crosses to the engine is the
 * serialized provider, which requires the engine by package name when the host runs it.
 */
import * as pulumi from "@pulumi/pulumi";
import { serializedProvider } from "../engine/serialized-provider";
import type { ArtifactCount, DrillReport, IdentitySet, PublicError, SiteRestoreArtifactOutput } from "./outputs";

/** One site to restore, identified by a restore point id from `restorePoints/search`. */
export interface RestorePointArtifactArgs {
  /** The restore point to restore the site from. */
  restorePointId: pulumi.Input<string>;
}

/**
 * One site to restore, named by URL or id (exactly one); the provider picks its restore point when
 * it creates the session and records it in the outputs.
 */
export interface SiteByNameArtifactArgs {
  /** The site's URL. Graph gives protection units' URLs only to delegated callers; apps use siteId. */
  siteWebUrl?: pulumi.Input<string>;
  /** The site's id, as listed by site protection units. */
  siteId?: pulumi.Input<string>;
  /** ISO 8601 time to restore to; defaults to the time of create. */
  pointInTime?: pulumi.Input<string>;
  /** `"latest"` (default): newest point at or before pointInTime; `"oldest"`: oldest point at or after it. */
  restorePointPreference?: pulumi.Input<"latest" | "oldest">;
  /** Only consider fast-restore points. */
  fastRestoreOnly?: pulumi.Input<boolean>;
}

/** One site to restore: by restore point id, or by site and point in time. */
export type SiteRestoreArtifactArgs = RestorePointArtifactArgs | SiteByNameArtifactArgs;

/** How long to wait for the restore to end; fractions allowed. */
export interface WaitForCompletionArgs {
  /** Give up waiting after this many minutes (default 120); the session keeps running in Graph. */
  timeoutMinutes?: number;
  /** Look every this many seconds at first (default 30), slowing down gently. */
  pollIntervalSeconds?: number;
}

/** Inputs of a SharePoint restore session. */
export interface SharePointRestoreSessionArgs {
  /** The sites to restore: one or more restore points, each listed once (at most 1,000). */
  siteRestoreArtifacts: pulumi.Input<pulumi.Input<SiteRestoreArtifactArgs>[]>;
  /** Restore to new URLs (`"new"`, the default) or roll the sites back in place (`"inPlace"`). */
  destinationType?: pulumi.Input<"new" | "inPlace">;
  /** Start the restore. Defaults to false, which leaves the session in draft. */
  activate?: pulumi.Input<boolean>;
  /** Required (true) for `destinationType: "inPlace"`, which rolls production sites back. */
  allowInPlaceRestore?: pulumi.Input<boolean>;
  /** Wait for the restore to end after activating (default: do not wait). */
  waitForCompletion?: pulumi.Input<boolean | WaitForCompletionArgs>;
  /** Which ends fail the update: `"completedWithError"` (default; also failed), `"failed"`, or `"never"`. */
  failOn?: pulumi.Input<"failed" | "completedWithError" | "never">;
  /** Names this drill run; changing it replaces the session, which runs the restore again. */
  drillId?: pulumi.Input<string>;
}

/** The Pulumi type token; moving to a native provider later is then an alias. */
export const SHAREPOINT_RESTORE_SESSION_TYPE = "pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession";

/** A Microsoft 365 Backup Storage SharePoint restore session, managed through Microsoft Graph. */
export class SharePointRestoreSession extends pulumi.dynamic.Resource {
  /** Sites of the session, with each one's Graph id, status, timing and restored URL. */
  declare readonly siteRestoreArtifacts: pulumi.Output<SiteRestoreArtifactOutput[]>;
  /** `"new"` or `"inPlace"`. */
  declare readonly destinationType: pulumi.Output<string>;
  /** Whether the restore was started. */
  declare readonly activate: pulumi.Output<boolean>;
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
  /** Counters of the session's sites: total, inProgress, completed, failed. */
  declare readonly restoreSessionArtifactCount: pulumi.Output<ArtifactCount>;
  /** Whether an in-place restore was allowed. */
  declare readonly allowInPlaceRestore: pulumi.Output<boolean | undefined>;
  /** The waitForCompletion input as stored. */
  declare readonly waitForCompletion: pulumi.Output<boolean | WaitForCompletionArgs | undefined>;
  /** The failOn input as stored. */
  declare readonly failOn: pulumi.Output<string | undefined>;
  /** The drill's id, if any. */
  declare readonly drillId: pulumi.Output<string | undefined>;
  /** When the provider activated the session (ISO 8601); Graph does not record it. */
  declare readonly activatedDateTime: pulumi.Output<string | undefined>;
  /** The drill's evidence: restore duration (RTO), data age (RPO) and per-site results. */
  declare readonly drillReport: pulumi.Output<DrillReport>;
  /** Set when an activated session was found missing from Graph (purged); it is kept, not re-created. */
  declare readonly missingSince: pulumi.Output<string | undefined>;

  /** Declares a restore session; `pulumi up` creates it through Graph. */
  constructor(name: string, args: SharePointRestoreSessionArgs, opts?: pulumi.CustomResourceOptions) {
    super(serializedProvider, name, { ...emptyOutputs(), ...args }, opts, "m365-backup", "SharePointRestoreSession");
  }

  /** Reads an existing restore session by its Graph id. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): SharePointRestoreSession {
    return new SharePointRestoreSession(name, emptyOutputs() as unknown as SharePointRestoreSessionArgs, { ...opts, id });
  }
}

/** Every output named with no value, so Pulumi exposes each as a property of the resource. */
function emptyOutputs(): Record<string, undefined> {
  const names = [
    "siteRestoreArtifacts",
    "destinationType",
    "activate",
    "status",
    "createdDateTime",
    "createdBy",
    "completedDateTime",
    "lastModifiedDateTime",
    "lastModifiedBy",
    "error",
    "restoreJobType",
    "restoreSessionArtifactCount",
    "missingSince",
    "stateVersion",
    "allowInPlaceRestore",
    "waitForCompletion",
    "failOn",
    "drillId",
    "activatedDateTime",
    "drillReport",
  ];
  return Object.fromEntries(names.map((n) => [n, undefined]));
}
