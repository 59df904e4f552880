/**
 * pulumi-m365-backup: Microsoft 365 Backup Storage SharePoint restore sessions as Pulumi resources.
 */
export {
  SharePointRestoreSession,
  SHAREPOINT_RESTORE_SESSION_TYPE,
  type SharePointRestoreSessionArgs,
  type SiteRestoreArtifactArgs,
} from "./resource/sharePointRestoreSession";
export type { ArtifactCount, Identity, IdentitySet, PublicError, SiteRestoreArtifactOutput } from "./resource/outputs";
