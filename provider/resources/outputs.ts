/**
 * The shapes of the resources' structured outputs, as plain interfaces.
 *
 * Why not `z.infer` here: these types are part of the published `.d.ts`, and anything that
 * references zod's declarations fails to type-check in a project with Pulumi's default tsconfig
 * (no `esModuleInterop`, no `skipLibCheck`). The engine asserts at compile time that its zod
 * schemas produce exactly these shapes (see engine/public-types.ts), so they cannot drift apart.
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
