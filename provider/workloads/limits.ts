/**
 * Microsoft Graph's documented limits for Backup Storage, each defined once. The engine batches by
 * them, `check` validates against them, and the emulator enforces them.
 */
export const LIMITS = {
  /** Artifacts in one restore-session create or PATCH (`@delta`). */
  artifactsPerRequest: 50,
  /** Artifacts one restore session holds: the documented 1,000 sites (OneDrives, mailboxes) queued at once. */
  artifactsPerSession: 1000,
  /** Restore sessions active (activating or active) at once in a tenant, across the three workloads. */
  activeSessions: 25,
  /** Protection units named in one restore-point search. */
  unitsPerSearch: 20,
  /** Restore points one search returns in total (not paged). */
  resultsPerSearch: 5,
  /** Names in one restore bulk addition request. */
  namesPerBulkRequest: 10_000,
  /** Bulk addition requests per restore session. */
  bulkRequestsPerSession: 1,
  /** Protection units in one policy create or PATCH (`@delta`). */
  unitsPerPolicyRequest: 50,
  /** Names in one protection-unit bulk addition job. */
  namesPerBulkJob: 50_000,
  /** Length of a policy's displayName. */
  policyDisplayName: { min: 1, max: 1024 },
  /** Keywords in one site inclusion rule, and the length of each. */
  siteRuleKeywords: { max: 10, minLength: 3, maxLength: 255 },
  /** Groups in one static drive or mailbox rule; group ids in one expression. */
  groupsPerStaticRule: 3,
  groupIdsPerExpression: 100,
  /** Active dynamic rules per policy (none for SharePoint). */
  dynamicRulesPerPolicy: 1,
  /** Users a dynamic rule may bring in. */
  usersPerDynamicRule: 6000,
} as const;
