/**
 * Lenient schemas for what Microsoft Graph sends back (the "wire"): each Graph type's fields are
 * defined here once, and the state and output shapes are derived from them.
 *
 * Why lenient: Graph adds properties and evolvable enum members over time. Unknown keys are
 * dropped, enums are plain strings (the known members are listed as constants), absent and `null`
 * are treated alike, and the documented "unset" time `0001-01-01T00:00:00Z` reads as unset.
 */
import { z } from "zod";

/** Session statuses Graph documents, in spec order (`failed` is an evolvable member). */
export const SESSION_STATUSES = [
  "draft",
  "activating",
  "active",
  "completedWithError",
  "completed",
  "unknownFutureValue",
  "failed",
] as const;
/** Session statuses after which nothing changes any more. */
export const TERMINAL_SESSION_STATUSES: readonly string[] = ["completed", "completedWithError", "failed"];
/** Per-artifact statuses Graph documents, in spec order. */
export const ARTIFACT_STATUSES = ["added", "scheduling", "scheduled", "inProgress", "succeeded", "failed", "unknownFutureValue"] as const;
/** Destination types a session can restore to; one per session. */
export const DESTINATION_TYPES = ["new", "inPlace"] as const;
/** Bulk addition request statuses (note the plural `completedWithErrors`). */
export const BULK_REQUEST_STATUSES = ["unknown", "active", "completed", "completedWithErrors", "unknownFutureValue"] as const;

/** Graph may omit a property or send `null`: both read as `undefined`, and the key is optional. */
export function lenient<T extends z.ZodTypeAny>(schema: T) {
  return schema
    .nullish()
    .transform((v) => v ?? undefined)
    .optional();
}

/** Graph writes unset times as the zero date; that is "unset", not year 1. */
const UNSET_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;

const optionalString = lenient(z.string());
const optionalNumber = lenient(z.number());
const optionalTime = lenient(z.string().transform((v) => (UNSET_TIME.test(v) ? undefined : v)));

/** One identity (application, user or device) inside an identitySet. */
export const identitySchema = z.object({ id: optionalString, displayName: optionalString });

/** Graph `identitySet`: who created or changed something. */
export const identitySetSchema = z.object({
  application: lenient(identitySchema),
  user: lenient(identitySchema),
  device: lenient(identitySchema),
});
export type IdentitySet = z.infer<typeof identitySetSchema>;

const errorDetailSchema = z.object({ code: optionalString, message: optionalString, target: optionalString });

/** Graph `publicError`, embedded in objects that failed (with HTTP 200). */
export const publicErrorSchema = z.object({
  code: optionalString,
  message: optionalString,
  target: optionalString,
  details: lenient(z.array(errorDetailSchema)),
});
export type PublicError = z.infer<typeof publicErrorSchema>;

/** Graph `timePeriod`. */
export const timePeriodSchema = z.object({ startDateTime: optionalTime, endDateTime: optionalTime });
export type TimePeriod = z.infer<typeof timePeriodSchema>;

/** Graph `restoreSessionArtifactCount` counters. */
export const artifactCountSchema = z.object({
  total: optionalNumber,
  inProgress: optionalNumber,
  completed: optionalNumber,
  failed: optionalNumber,
});
export type ArtifactCount = z.infer<typeof artifactCountSchema>;

/** Who and when, shared by every Graph object that records its changes. */
const auditFields = {
  createdDateTime: optionalTime,
  createdBy: lenient(identitySetSchema),
  lastModifiedDateTime: optionalTime,
  lastModifiedBy: lenient(identitySetSchema),
};

/**
 * Graph `protectionUnitBase` and its three kinds, as one lenient shape: a site unit has `siteId`
 * (and, for delegated callers only, `siteName`/`siteWebUrl`); drive and mailbox units have
 * `directoryObjectId`, `email` and `displayName`.
 */
export const protectionUnitSchema = z.object({
  "@odata.type": optionalString,
  id: z.string(),
  policyId: optionalString,
  status: optionalString,
  error: lenient(publicErrorSchema),
  ...auditFields,
  siteId: optionalString,
  siteName: optionalString,
  siteWebUrl: optionalString,
  directoryObjectId: optionalString,
  email: optionalString,
  displayName: optionalString,
});
export type ProtectionUnit = z.infer<typeof protectionUnitSchema>;

/** Graph `restorePoint` (as returned by search, nested in an artifact, or read by id). */
export const restorePointSchema = z.object({
  id: z.string(),
  protectionDateTime: optionalTime,
  expirationDateTime: optionalTime,
  tags: optionalString,
  protectionUnit: lenient(protectionUnitSchema.partial({ id: true })),
});
export type RestorePoint = z.infer<typeof restorePointSchema>;

/** Graph `restoreSessionBase` as POST, GET and activate return it (no artifacts inlined). */
export const restoreSessionSchema = z.object({
  id: z.string(),
  status: z.string(),
  ...auditFields,
  completedDateTime: optionalTime,
  error: lenient(publicErrorSchema),
  restoreJobType: optionalString,
  restoreSessionArtifactCount: lenient(artifactCountSchema),
});
export type GraphSession = z.infer<typeof restoreSessionSchema>;

/** A session from the tenant-wide list, whose `@odata.type` tells the workload apart. */
export const listedRestoreSessionSchema = restoreSessionSchema.extend({ "@odata.type": optionalString });
export type ListedRestoreSession = z.infer<typeof listedRestoreSessionSchema>;

/** Where a restored artifact landed: sites and drives report a site, mailboxes a folder. */
export const restoredFieldsSchema = z.object({
  restoredSiteId: optionalString,
  restoredSiteName: optionalString,
  restoredSiteWebUrl: optionalString,
  restoredFolderId: optionalString,
  restoredFolderName: optionalString,
  restoredItemCount: optionalNumber,
});
export type RestoredFields = z.infer<typeof restoredFieldsSchema>;

/** How one artifact's restore went, as Graph reports it. */
export const artifactResultSchema = z.object({
  status: optionalString,
  startDateTime: optionalTime,
  completionDateTime: optionalTime,
  error: lenient(publicErrorSchema),
  ...restoredFieldsSchema.shape,
});
export type ArtifactResult = z.infer<typeof artifactResultSchema>;

/** Graph `restoreArtifactBase` and its kinds (site, drive, mailbox, granular mailbox), as the artifacts lists return them. */
export const restoreArtifactSchema = z.object({
  id: z.string(),
  destinationType: optionalString,
  restorePoint: lenient(restorePointSchema),
  searchResponseId: optionalString,
  ...artifactResultSchema.shape,
});
export type GraphArtifact = z.infer<typeof restoreArtifactSchema>;

/** How a delta PATCH reports one element it could not apply, inside a 200 response. */
const dataModificationFields = {
  "@contentId": optionalString,
  "@Core.DataModificationException": lenient(
    z.object({
      info: lenient(z.object({ code: optionalString, message: optionalString })),
      failedOperation: optionalString,
      responseCode: optionalNumber,
    }),
  ),
};

/**
 * One element of a PATCH `<artifacts>@delta` (or `<units>@delta`) 200 response: either the item
 * echoed back with its new id, or a per-item failure carrying `@Core.DataModificationException`.
 */
export const deltaResultSchema = z.object({
  id: optionalString,
  status: optionalString,
  // The documented echo names the restore point by `@odata.id`; others by `id`.
  restorePoint: lenient(z.object({ id: optionalString, "@odata.id": optionalString }).transform((r) => ({ id: r.id ?? r["@odata.id"] }))),
  siteId: optionalString,
  directoryObjectId: optionalString,
  ...dataModificationFields,
});
export type DeltaResult = z.infer<typeof deltaResultSchema>;

/** Graph `restoreArtifactsBulkRequestBase` (the read-only part; the names are never read back). */
export const bulkRequestSchema = z.object({
  id: z.string(),
  displayName: optionalString,
  status: optionalString,
  error: lenient(publicErrorSchema),
  destinationType: optionalString,
  ...auditFields,
});
export type GraphBulkRequest = z.infer<typeof bulkRequestSchema>;

/** Graph `restorePointSearchResponse`. */
export const restorePointSearchResponseSchema = z.object({
  searchResponseId: optionalString,
  searchResults: z
    .array(z.object({ restorePoint: restorePointSchema, artifactHitCount: optionalNumber }))
    .nullish()
    .transform((v) => v ?? []),
  noResultProtectionUnitIds: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});
export type RestorePointSearchResponse = z.infer<typeof restorePointSearchResponseSchema>;

/** Graph `serviceStatus` of the tenant (`GET /solutions/backupRestore`). */
export const serviceStatusSchema = z.object({
  status: optionalString,
  disableReason: optionalString,
  gracePeriodDateTime: optionalTime,
  restoreAllowedTillDateTime: optionalTime,
  lastModifiedDateTime: optionalTime,
  lastModifiedBy: lenient(identitySetSchema),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

/** The backupRestore root as far as the provider reads it. */
export const backupRestoreRootSchema = z.object({ serviceStatus: lenient(serviceStatusSchema) });

/** A Graph collection page: `value` plus an opaque `@odata.nextLink`. */
export function pageSchema<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    value: z.array(item),
    "@odata.nextLink": optionalString,
  });
}

/** Graph OData error body: `{ error: { code, message, innerError: { request-id, date } } }`. */
export const odataErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    innerError: lenient(z.object({ "request-id": optionalString, "client-request-id": optionalString, date: optionalString })),
  }),
});
export type ODataError = z.infer<typeof odataErrorSchema>;

/** Protection policy statuses Graph documents, in spec order. */
export const POLICY_STATUSES = ["inactive", "activeWithErrors", "updating", "active", "unknownFutureValue"] as const;
/** Protection unit statuses Graph documents (the last three are evolvable members). */
export const UNIT_STATUSES = [
  "protectRequested",
  "protected",
  "unprotectRequested",
  "unprotected",
  "removeRequested",
  "unknownFutureValue",
  "offboardRequested",
  "offboarded",
  "cancelOffboardRequested",
] as const;
/** Inclusion rule statuses Graph documents (`draft` is documented as unsupported; the last two are evolvable). */
export const RULE_STATUSES = [
  "draft",
  "active",
  "completed",
  "completedWithErrors",
  "unknownFutureValue",
  "updateRequested",
  "deleteRequested",
] as const;
/** Protection-unit bulk addition job statuses Graph documents. */
export const BULK_JOB_STATUSES = ["unknown", "active", "completed", "completedWithErrors", "unknownFutureValue"] as const;

/** Graph `retentionSetting`: how often backups are taken, and how long they are kept (read-only). */
export const retentionSettingSchema = z.object({ interval: optionalString, period: optionalString });
export type RetentionSetting = z.infer<typeof retentionSettingSchema>;

/** Graph `protectionPolicyBase` and its three kinds, as POST, GET, PATCH, activate and deactivate return it. */
export const protectionPolicySchema = z.object({
  "@odata.type": optionalString,
  id: z.string(),
  displayName: optionalString,
  status: optionalString,
  ...auditFields,
  retentionSettings: lenient(z.array(retentionSettingSchema)),
});
export type GraphPolicy = z.infer<typeof protectionPolicySchema>;

/**
 * Graph `protectionRuleBase` and its three kinds (site, drive, mailbox rules): one expression
 * property per kind, and `isAutoApplyEnabled` for dynamic rules.
 */
export const protectionRuleSchema = z.object({
  "@odata.type": optionalString,
  id: z.string(),
  status: optionalString,
  error: lenient(publicErrorSchema),
  ...auditFields,
  isAutoApplyEnabled: lenient(z.boolean()),
  siteExpression: optionalString,
  driveExpression: optionalString,
  mailboxExpression: optionalString,
});
export type GraphRule = z.infer<typeof protectionRuleSchema>;

/**
 * Graph `protectionUnitsBulkJobBase` and its kinds (the read-only part: the names a job was given
 * are kept as asked, not read back, as for restore bulk requests).
 */
export const protectionUnitsBulkJobSchema = z.object({
  id: z.string(),
  displayName: optionalString,
  status: optionalString,
  error: lenient(publicErrorSchema),
  ...auditFields,
});
export type GraphBulkJob = z.infer<typeof protectionUnitsBulkJobSchema>;

/**
 * One element of a PATCH `<units>@delta` 200 response: the protection unit added or marked for
 * removal, or a per-item failure carrying `@Core.DataModificationException`.
 */
export const unitDeltaResultSchema = protectionUnitSchema.partial({ id: true }).extend(dataModificationFields);
export type UnitDeltaResult = z.infer<typeof unitDeltaResultSchema>;
