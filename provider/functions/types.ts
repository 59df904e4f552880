/**
 * Arguments and results of the lookup functions, as plain interfaces (no zod in the published
 * declarations: decision 0004). `public-types.ts` beside this file proves at compile time that the
 * wire schemas produce exactly these shapes.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { IdentitySet, PublicError } from "../resources/outputs";

/** Filters every protection-unit lookup takes. */
export interface ProtectionUnitFilters {
  /** Only the units of this protection policy (listed from the policy itself). */
  policyId?: string;
  /** Only units with this status: `protected`, `protectRequested`, `unprotectRequested`, `unprotected`, `removeRequested`. */
  status?: string;
}

/** Arguments of `getSiteProtectionUnits`. */
export interface GetSiteProtectionUnitsArgs extends ProtectionUnitFilters {
  /**
   * Only sites whose URL contains this text (case-insensitive). Microsoft Graph returns `siteWebUrl`
   * to delegated callers (a signed-in user) only; with application sign-in the lookup fails and says so.
   */
  siteWebUrlContains?: string;
}

/** Arguments of `getDriveProtectionUnits` and `getMailboxProtectionUnits`. */
export interface GetUserProtectionUnitsArgs extends ProtectionUnitFilters {
  /**
   * Only units whose email contains this text (case-insensitive). If Microsoft Graph returns no
   * emails to this caller, the lookup fails and says so.
   */
  emailContains?: string;
}

/** Arguments of `getDriveProtectionUnits`. */
export type GetDriveProtectionUnitsArgs = GetUserProtectionUnitsArgs;
/** Arguments of `getMailboxProtectionUnits`. */
export type GetMailboxProtectionUnitsArgs = GetUserProtectionUnitsArgs;

/** What every protection unit reports (Graph `protectionUnitBase`). */
export interface ProtectionUnitBase {
  /** The protection unit's id, which `getRestorePoints` takes. */
  id: string;
  /** The policy that protects it. */
  policyId?: string;
  /** `protectRequested`, `protected`, `unprotectRequested`, `unprotected`, `removeRequested`. */
  status?: string;
  /** Why protection failed, when it did. */
  error?: PublicError;
  createdDateTime?: string;
  createdBy?: IdentitySet;
  lastModifiedDateTime?: string;
  lastModifiedBy?: IdentitySet;
}

/** One protected SharePoint site (Graph `siteProtectionUnit`). */
export interface SiteProtectionUnit extends ProtectionUnitBase {
  /** The site's id. */
  siteId?: string;
  /** The site's name; delegated callers only. */
  siteName?: string;
  /** The site's URL; delegated callers only. */
  siteWebUrl?: string;
}

/** One protected OneDrive or mailbox (Graph `driveProtectionUnit`, `mailboxProtectionUnit`). */
export interface UserProtectionUnit extends ProtectionUnitBase {
  /** The user's (or shared mailbox's) directory object id. */
  directoryObjectId?: string;
  /** The user's or mailbox's email. */
  email?: string;
  /** The user's or mailbox's display name. */
  displayName?: string;
}

/** One protected OneDrive. */
export type DriveProtectionUnit = UserProtectionUnit;
/** One protected mailbox. */
export type MailboxProtectionUnit = UserProtectionUnit;

/** Result of `getSiteProtectionUnits`. */
export interface GetSiteProtectionUnitsResult {
  protectionUnits: SiteProtectionUnit[];
}

/** Result of `getDriveProtectionUnits`. */
export interface GetDriveProtectionUnitsResult {
  protectionUnits: DriveProtectionUnit[];
}

/** Result of `getMailboxProtectionUnits`. */
export interface GetMailboxProtectionUnitsResult {
  protectionUnits: MailboxProtectionUnit[];
}

/** Arguments of `getRestorePoints`. */
export interface GetRestorePointsArgs {
  /** Protection unit ids of any workload, any number of them (each is searched once). */
  protectionUnitIds: string[];
  /** Only restore points taken at or after this ISO 8601 time. */
  startDateTime?: string;
  /** Only restore points taken at or before this ISO 8601 time; defaults to the time of the call. */
  endDateTime?: string;
  /** `"latest"` (default): each unit's newest point in the window; `"oldest"`: its oldest. */
  restorePointPreference?: "latest" | "oldest";
  /** Only fast-restore points (tag `fastRestore`). */
  fastRestoreOnly?: boolean;
}

/** One restore point (Graph `restorePoint`) and the unit it belongs to. */
export interface RestorePointInfo {
  /** The restore point's id, which restore-session artifacts take as `restorePointId`. */
  id: string;
  /** The protection unit it belongs to. */
  protectionUnitId: string;
  /** When it was taken. */
  protectionDateTime?: string;
  /** When the service deletes it. */
  expirationDateTime?: string;
  /** `none` or `fastRestore`. */
  tags?: string;
}

/** Result of `getRestorePoints`. */
export interface GetRestorePointsResult {
  /** One restore point per unit that has one in the window, in the order of `protectionUnitIds`. */
  restorePoints: RestorePointInfo[];
  /** The units that have none in the window, in the order of `protectionUnitIds`. */
  noResultProtectionUnitIds: string[];
}

/** The tenant's Microsoft 365 Backup Storage status (Graph `serviceStatus`). */
export interface BackupServiceStatus {
  /** `enabled`, `disabled`, `protectionChangeLocked` or `restoreLocked`. */
  status?: string;
  /** Why it is disabled: `none`, `invalidBillingProfile`, `userRequested`. */
  disableReason?: string;
  /** Until when a disabled service keeps the data. */
  gracePeriodDateTime?: string;
  /** Until when a disabled service still allows restores. */
  restoreAllowedTillDateTime?: string;
  lastModifiedDateTime?: string;
  lastModifiedBy?: IdentitySet;
}

/** `getSiteProtectionUnitsOutput` arguments: each may be an Output. */
export interface GetSiteProtectionUnitsOutputArgs {
  policyId?: pulumi.Input<string>;
  status?: pulumi.Input<string>;
  siteWebUrlContains?: pulumi.Input<string>;
}

/** `getDriveProtectionUnitsOutput` and `getMailboxProtectionUnitsOutput` arguments: each may be an Output. */
export interface GetUserProtectionUnitsOutputArgs {
  policyId?: pulumi.Input<string>;
  status?: pulumi.Input<string>;
  emailContains?: pulumi.Input<string>;
}

/** `getDriveProtectionUnitsOutput` arguments. */
export type GetDriveProtectionUnitsOutputArgs = GetUserProtectionUnitsOutputArgs;
/** `getMailboxProtectionUnitsOutput` arguments. */
export type GetMailboxProtectionUnitsOutputArgs = GetUserProtectionUnitsOutputArgs;

/** `getRestorePointsOutput` arguments: each may be an Output, and so may each unit id. */
export interface GetRestorePointsOutputArgs {
  protectionUnitIds: pulumi.Input<pulumi.Input<string>[]>;
  startDateTime?: pulumi.Input<string>;
  endDateTime?: pulumi.Input<string>;
  restorePointPreference?: pulumi.Input<"latest" | "oldest">;
  fastRestoreOnly?: pulumi.Input<boolean>;
}
