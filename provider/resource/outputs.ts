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

/** One site of the session: the restore point it comes from plus what Graph reports about it. */
export interface SiteRestoreArtifactOutput {
  restorePointId: string;
  id?: string;
  status?: string;
  startDateTime?: string;
  completionDateTime?: string;
  restoredSiteId?: string;
  restoredSiteName?: string;
  restoredSiteWebUrl?: string;
  error?: PublicError;
}
