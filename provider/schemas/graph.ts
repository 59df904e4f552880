/**
 * Lenient schemas for what Microsoft Graph sends back (the "wire").
 *
 * Why lenient: Graph adds properties and evolvable enum members over time. Unknown keys are
 * dropped, enums are plain strings (the known members are listed as constants below), and
 * absent and `null` are treated alike. Types come from `z.infer`, never written twice.
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

/** Graph may omit a property or send `null`: both read as `undefined`, and the key is optional. */
export function lenient<T extends z.ZodTypeAny>(schema: T) {
  return schema
    .nullish()
    .transform((v) => v ?? undefined)
    .optional();
}

const optionalString = lenient(z.string());
const optionalNumber = lenient(z.number());

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

/** Graph `publicError`, embedded in sessions and artifacts that failed (with HTTP 200). */
export const publicErrorSchema = z.object({
  code: optionalString,
  message: optionalString,
  target: optionalString,
  details: lenient(z.array(errorDetailSchema)),
});
export type PublicError = z.infer<typeof publicErrorSchema>;

/** Graph `restoreSessionArtifactCount` counters. */
export const artifactCountSchema = z.object({
  total: optionalNumber,
  inProgress: optionalNumber,
  completed: optionalNumber,
  failed: optionalNumber,
});
export type ArtifactCount = z.infer<typeof artifactCountSchema>;

/** Graph `restorePoint` (as returned by search, or nested in an artifact). */
export const restorePointSchema = z.object({
  id: z.string(),
  protectionDateTime: optionalString,
  expirationDateTime: optionalString,
  tags: optionalString,
  protectionUnit: lenient(z.object({ id: optionalString, siteId: optionalString, policyId: optionalString })),
});
export type RestorePoint = z.infer<typeof restorePointSchema>;

/** Graph `sharePointRestoreSession` as returned by POST, GET and activate (no artifacts inlined). */
export const sessionSchema = z.object({
  id: z.string(),
  status: z.string(),
  createdDateTime: optionalString,
  createdBy: lenient(identitySetSchema),
  completedDateTime: optionalString,
  lastModifiedDateTime: optionalString,
  lastModifiedBy: lenient(identitySetSchema),
  error: lenient(publicErrorSchema),
  restoreJobType: optionalString,
  restoreSessionArtifactCount: lenient(artifactCountSchema),
});
export type GraphSession = z.infer<typeof sessionSchema>;

/** Graph `siteRestoreArtifact` as returned by the artifacts list. */
export const artifactSchema = z.object({
  id: z.string(),
  destinationType: optionalString,
  status: optionalString,
  startDateTime: optionalString,
  completionDateTime: optionalString,
  restoredSiteId: optionalString,
  restoredSiteName: optionalString,
  restoredSiteWebUrl: optionalString,
  error: lenient(publicErrorSchema),
  restorePoint: lenient(restorePointSchema),
});
export type GraphArtifact = z.infer<typeof artifactSchema>;

/**
 * One element of a PATCH `siteRestoreArtifacts@delta` 200 response: either the artifact echoed
 * back with its new id, or a per-item failure carrying `@Core.DataModificationException`.
 */
export const deltaResultSchema = z.object({
  id: optionalString,
  status: optionalString,
  "@contentId": optionalString,
  restorePoint: lenient(z.object({ id: optionalString })),
  "@Core.DataModificationException": lenient(
    z.object({
      info: lenient(z.object({ code: optionalString, message: optionalString })),
      failedOperation: optionalString,
      responseCode: optionalNumber,
    }),
  ),
});
export type DeltaResult = z.infer<typeof deltaResultSchema>;

/** Graph `siteProtectionUnit`. */
export const siteProtectionUnitSchema = z.object({
  id: z.string(),
  policyId: optionalString,
  status: optionalString,
  siteId: optionalString,
  siteName: optionalString,
  siteWebUrl: optionalString,
});
export type SiteProtectionUnit = z.infer<typeof siteProtectionUnitSchema>;

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
