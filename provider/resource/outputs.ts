/**
 * The shapes of the resource's structured outputs, as plain interfaces.
 *
 * Why not `z.infer` here: these types are part of the published `.d.ts`, and anything that
 * references zod's declarations fails to type-check in a project with Pulumi's default tsconfig
 * (no `esModuleInterop`, no `skipLibCheck`). The engine asserts at compile time that its zod
 * schemas produce exactly these shapes (see engine/public-types.ts), so they cannot drift apart.
 */

/** One identity (application, user or device) inside an identity set. */
export interface Identity {
  id?: string;
  displayName?: string;
}

/** Who created or last changed a session (Graph `identitySet`). */
export interface IdentitySet {
  application?: Identity;
  user?: Identity;
  device?: Identity;
}

/** Why a session or a site failed (Graph `publicError`). */
export interface PublicError {
  code?: string;
  message?: string;
  target?: string;
  details?: { code?: string; message?: string; target?: string }[];
}

/** Counters of a session's sites (Graph `restoreSessionArtifactCount`). */
export interface ArtifactCount {
  total?: number;
  inProgress?: number;
  completed?: number;
  failed?: number;
}

/** One site of the session: the request, the restore point chosen for it, and what Graph reports about it. */
export interface SiteRestoreArtifactOutput {
  restorePointId: string;
  /** The site as requested by URL, when the entry named one. */
  siteWebUrl?: string;
  /** The site as requested by id, when the entry named one. */
  siteId?: string;
  /** The entry's pointInTime, when it gave one. */
  requestedPointInTime?: string;
  restorePointPreference?: string;
  fastRestoreOnly?: boolean;
  /** When the chosen restore point was taken. */
  protectionDateTime?: string;
  id?: string;
  status?: string;
  startDateTime?: string;
  completionDateTime?: string;
  restoredSiteId?: string;
  restoredSiteName?: string;
  restoredSiteWebUrl?: string;
  error?: PublicError;
}

/** One site in the drill report. */
export interface DrillReportSite {
  siteWebUrl?: string;
  siteId?: string;
  restorePointId: string;
  /** The point in time the drill asked for, if any. */
  requestedPointInTime?: string;
  /** When the restored data was backed up. */
  protectionDateTime?: string;
  /** Requested point in time (or activation) minus protection time: how old the restored data is. */
  dataAgeSeconds?: number;
  status?: string;
  restoredSiteWebUrl?: string;
  startDateTime?: string;
  completionDateTime?: string;
  /** Start to completion of this site's restore. */
  durationSeconds?: number;
  error?: PublicError;
}

/** The evidence a DR drill leaves: how long the restore took (RTO) and how old the data was (RPO). */
export interface DrillReport {
  sessionId: string;
  drillId?: string;
  status: string;
  /** When the provider activated the session (Graph does not record it). */
  activatedDateTime?: string;
  completedDateTime?: string;
  /** Activation to completion: the measured RTO. */
  restoreDurationSeconds?: number;
  /** The largest per-site data age: the RPO actually achieved. */
  worstDataAgeSeconds?: number;
  sites: DrillReportSite[];
}
