/**
 * The shapes of the resources' structured outputs, as plain interfaces.
 *
 * Why not `z.infer` here: these types are part of the published `.d.ts`, and anything that
 * references zod's declarations fails to type-check in a project with Pulumi's default tsconfig
 * (no `esModuleInterop`, no `skipLibCheck`). The engine asserts at compile time that its zod
 * schemas produce exactly these shapes (see provider/public-types.ts), so they cannot drift apart.
 */
import type { DrillSummary } from "../report";

/** One identity (application, user or device) inside an identity set. */
export interface Identity {
  id?: string;
  displayName?: string;
}

/** Who created or last changed something (Graph `identitySet`). */
export interface IdentitySet {
  application?: Identity;
  user?: Identity;
  device?: Identity;
}

/** Why something failed (Graph `publicError`). */
export interface PublicError {
  code?: string;
  message?: string;
  target?: string;
  details?: { code?: string; message?: string; target?: string }[];
}

/** Counters of a session's artifacts (Graph `restoreSessionArtifactCount`). */
export interface ArtifactCount {
  total?: number;
  inProgress?: number;
  completed?: number;
  failed?: number;
}

/** A time window (Graph `timePeriod`). */
export interface TimePeriod {
  startDateTime?: string;
  endDateTime?: string;
}

/** The items of an item-level mailbox restore. */
export interface MailboxQuery {
  /** Messages whose subject contains any of these. */
  subjects?: string[];
  /** Messages from any of these addresses. */
  senders?: string[];
  /** Messages to any of these addresses. */
  recipients?: string[];
  /** Only messages with (true) or without (false) attachments. */
  hasAttachment?: boolean;
  /** Item kinds (Graph beta only: needs `m365-backup:apiVersion beta`). */
  itemKinds?: ("email" | "calendar" | "contact" | "task" | "note")[];
}

/**
 * One artifact of a restore session (a site, a OneDrive or a mailbox): how the program named it,
 * the restore point chosen for it, and what Graph reports about it.
 */
export interface RestoreArtifactOutput {
  restorePointId: string;
  /** The site as requested by URL (SharePoint). */
  siteWebUrl?: string;
  /** The site as requested by id (SharePoint). */
  siteId?: string;
  /** The user or mailbox as requested by directory object id (OneDrive, Exchange). */
  directoryObjectId?: string;
  /** The user or mailbox as requested by email (OneDrive, Exchange). */
  email?: string;
  /** The entry's pointInTime, when it gave one. */
  requestedPointInTime?: string;
  restorePointPreference?: string;
  fastRestoreOnly?: boolean;
  /** The items of an item-level mailbox restore. */
  query?: MailboxQuery;
  /** When the chosen restore point was taken. */
  protectionDateTime?: string;
  /** True when Graph holds it but the program did not ask for it; the next update removes it from a draft. */
  outOfBand?: boolean;
  /** added, scheduling, scheduled, inProgress, succeeded, failed. */
  status?: string;
  startDateTime?: string;
  completionDateTime?: string;
  error?: PublicError;
  /**
   * Where a site or OneDrive was restored (SharePoint, OneDrive). Its id and name are not stored:
   * Graph gives them for this URL (`GET /sites/{hostname}:/{path}`).
   */
  restoredSiteWebUrl?: string;
  /** Where a mailbox was restored (Exchange). */
  restoredFolderId?: string;
  restoredFolderName?: string;
  restoredItemCount?: number;
}

/** Former name of `RestoreArtifactOutput`. */
export type SiteRestoreArtifactOutput = RestoreArtifactOutput;

/** A bulk restore as the program asked for it, kept as asked (Graph does not echo it). */
export interface BulkRestoreOutput {
  names: string[];
  protectionTimePeriod?: TimePeriod;
  restorePointPreference?: string;
  fastRestoreOnly?: boolean;
  displayName?: string;
}

/** A session's bulk addition request as Graph reports it. */
export interface BulkRequestOutput {
  id: string;
  /** active, completed, completedWithErrors. */
  status?: string;
  /** Set when names could not be resolved. */
  error?: PublicError;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
}

/** The stored drill evidence: timings, the worst data age, counts (per-item rows are rendered from the artifacts). */
export type DrillReportSummary = DrillSummary;

/** How often the service backs up, and how long it keeps each backup (Graph `retentionSetting`, ISO 8601 durations). */
export interface RetentionSetting {
  interval?: string;
  period?: string;
}

/** How long delete (and a change of `active`) wait while a policy is `updating`, and how often they look. */
export interface StatusWait {
  /** Give up after this many minutes (default 60). */
  timeoutMinutes?: number;
  /** Look every this many seconds at first (default 30), slowing down gently. */
  pollIntervalSeconds?: number;
}

/** One protection unit of a policy (a site, a user's OneDrive or a mailbox), as Graph reports it. */
export interface ProtectionUnitOutput {
  /** Graph's unit id; unknown for a moment after the policy is created. */
  id?: string;
  /** The protected site (SharePoint). */
  siteId?: string;
  /** The protected user or mailbox (OneDrive, Exchange). */
  directoryObjectId?: string;
  /** The site's URL, which Graph shows to delegated callers only. */
  siteWebUrl?: string;
  /** The user's or mailbox's email, when Graph shows it. */
  email?: string;
  /** protectRequested, protected, unprotectRequested, unprotected, removeRequested (or a value Graph adds later). */
  status?: string;
  /** Why protecting the unit failed. */
  error?: PublicError;
  /** The rules and bulk jobs (by id) that brought the unit in, as far as the provider can tell (see the docs). */
  addedBy?: string[];
  /** Nothing in the program asks for the unit (it was added outside Pulumi): the next update removes it. */
  outOfBand?: boolean;
}

/** One inclusion rule of a policy: as the program gave it, and as Graph reports it. */
export interface InclusionRuleOutput {
  /** A site rule's expression, as sent to Graph (canonical form). */
  expression?: string;
  /** A OneDrive or mailbox rule's groups. */
  groupIds?: string[];
  /** Whether the program asked for a dynamic rule. */
  autoApply?: boolean;
  /** Graph's rule id; unset until Graph holds the rule. */
  id?: string;
  /** active, completed, completedWithErrors (or updateRequested, deleteRequested). */
  status?: string;
  error?: PublicError;
  /** Whether Graph keeps the rule applied as group membership changes. */
  isAutoApplyEnabled?: boolean;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  /** The expression as Graph holds it, under its own name for the workload. */
  siteExpression?: string;
  driveExpression?: string;
  mailboxExpression?: string;
  /** Graph holds the rule, but the program does not ask for it: the next update deletes it. */
  outOfBand?: boolean;
}

/** One protection-unit bulk addition job the resource sent: the names as sent, and how the service resolved them. */
export interface BulkJobOutput {
  id: string;
  displayName?: string;
  names: string[];
  /** active, completed, completedWithErrors. */
  status?: string;
  /** Set when names could not be resolved; its details name them. */
  error?: PublicError;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
}
