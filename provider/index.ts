/**
 * pulumi-m365-backup: Microsoft 365 Backup Storage SharePoint restore sessions as Pulumi resources.
 */
export {
  SharePointRestoreSession,
  SHAREPOINT_RESTORE_SESSION_TYPE,
  type SharePointRestoreSessionArgs,
  type SiteRestoreArtifactArgs,
  type RestorePointArtifactArgs,
  type SiteByNameArtifactArgs,
  type WaitForCompletionArgs,
} from "./resource/sharePointRestoreSession";
export type {
  ArtifactCount,
  DrillReport,
  DrillReportSite,
  Identity,
  IdentitySet,
  PublicError,
  SiteRestoreArtifactOutput,
} from "./resource/outputs";
export { renderDrillReport, type DrillReportFormat } from "./resource/drill-report";
