/**
 * pulumi-m365-backup: Microsoft 365 Backup Storage (SharePoint, OneDrive and Exchange restore
 * sessions) as Pulumi resources.
 */
export {
  SharePointRestoreSession,
  SHAREPOINT_RESTORE_SESSION_TYPE,
  type SharePointRestoreSessionArgs,
} from "./resources/sharePointRestoreSession";
export { OneDriveRestoreSession, ONEDRIVE_RESTORE_SESSION_TYPE, type OneDriveRestoreSessionArgs } from "./resources/oneDriveRestoreSession";
export { ExchangeRestoreSession, EXCHANGE_RESTORE_SESSION_TYPE, type ExchangeRestoreSessionArgs } from "./resources/exchangeRestoreSession";
export type {
  BulkRestoreChoiceArgs,
  DriveBulkRestoreArgs,
  DriveRestoreArtifactArgs,
  GranularMailboxRestoreArtifactArgs,
  MailboxBulkRestoreArgs,
  MailboxRestoreArtifactArgs,
  PointChoiceArgs,
  RestorePointArtifactArgs,
  RestoreSessionOutputs,
  RestoreSessionResource,
  RestoreSessionSettingsArgs,
  SiteBulkRestoreArgs,
  SiteByNameArtifactArgs,
  SiteRestoreArtifactArgs,
  UserArtifactArgs,
  WaitForCompletionArgs,
} from "./resources/restore-session";
export type {
  ArtifactCount,
  BulkRequestOutput,
  BulkRestoreOutput,
  DrillReportSummary,
  Identity,
  IdentitySet,
  MailboxQuery,
  PublicError,
  RestoreArtifactOutput,
  SiteRestoreArtifactOutput,
  TimePeriod,
} from "./resources/outputs";
export {
  drillReport,
  renderDrillReport,
  type DrillReport,
  type DrillReportFormat,
  type DrillReportItem,
  type DrillSummary,
  type ReportArtifact,
  type ReportError,
} from "./report";
export { drillReportsFromState, type StoredResource } from "./resources/stored-reports";
export * from "./functions";
export { DEFAULT_GRAPH_ENDPOINT, ENVIRONMENT_FALLBACKS, KNOWN_GRAPH_HOSTS } from "./config";
export {
  SharePointProtectionPolicy,
  SHAREPOINT_PROTECTION_POLICY_TYPE,
  type SharePointProtectionPolicyArgs,
} from "./resources/sharePointProtectionPolicy";
export {
  OneDriveProtectionPolicy,
  ONEDRIVE_PROTECTION_POLICY_TYPE,
  type OneDriveProtectionPolicyArgs,
} from "./resources/oneDriveProtectionPolicy";
export {
  ExchangeProtectionPolicy,
  EXCHANGE_PROTECTION_POLICY_TYPE,
  type ExchangeProtectionPolicyArgs,
} from "./resources/exchangeProtectionPolicy";
export type {
  GroupInclusionRuleArgs,
  ProtectionPolicyOutputs,
  ProtectionPolicyResource,
  ProtectionPolicySettingsArgs,
  SiteInclusionRuleArgs,
} from "./resources/protection-policy";
export type { BulkJobOutput, InclusionRuleOutput, ProtectionUnitOutput, RetentionSetting, StatusWait } from "./resources/outputs";
