/**
 * The strict schema of what users write in their Pulumi programs, and its check failures.
 *
 * check() is the only place Pulumi validates at preview time, so every failure names the full
 * property path (`siteRestoreArtifacts[2].restorePointId`) and says how to fix it. Values that are
 * not known yet during preview arrive as a sentinel string in any field and are let through.
 */
import { z } from "zod";
import { DESTINATION_TYPES } from "./graph";

/** The string the engine puts in any field whose value is not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The service's limit on sites in one restore session. */
export const MAX_ARTIFACTS_PER_SESSION = 1000;
const MAX_ID_LENGTH = 1024;

/** One `{ property, reason }` pair, exactly Pulumi's CheckFailure. */
export interface CheckFailure {
  property: string;
  reason: string;
}

const restorePointId = z
  .string({ error: "must be a restore point id string, as returned by restorePoints/search" })
  .min(1, { error: "must not be empty; use a restore point id returned by restorePoints/search" })
  .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters; is this really a restore point id?` })
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, { error: "must not contain control characters" });

/** One site to restore, identified by its restore point. */
export const restorePointArtifactSchema = z.strictObject(
  { restorePointId },
  { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : 'must be an object like { restorePointId: "..." }') },
);

const siteWebUrl = z
  .string({ error: "must be the site's URL, like https://contoso.sharepoint.com/sites/finance" })
  .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters` })
  .refine(isHttpsUrl, { error: "must be an https URL without credentials, like https://contoso.sharepoint.com/sites/finance" });

const siteId = z
  .string({ error: "must be the site id string (as listed by siteProtectionUnits)" })
  .min(1, { error: "must not be empty" })
  .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters` })
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, { error: "must not contain control characters" });

const pointInTime = z.iso
  .datetime({ offset: true, error: "must be an ISO 8601 date and time with a zone, like 2026-03-01T00:00:00Z" })
  // Only dates that parse are judged here; the format check above reports the rest.
  .refine((value) => Number.isNaN(Date.parse(value)) || Date.parse(value) <= Date.now(), {
    error: "must not be in the future; restore points exist only for the past",
  });

/** The default choice of restore point: the newest one at or before the point in time. */
export const DEFAULT_RESTORE_POINT_PREFERENCE = "latest";

/** One site to restore, identified by its URL or id; the provider picks the restore point at create time. */
export const siteArtifactSchema = z
  .strictObject({
    siteWebUrl: siteWebUrl.optional(),
    siteId: siteId.optional(),
    pointInTime: pointInTime.optional(),
    restorePointPreference: z
      .enum(["latest", "oldest"], {
        error: 'must be "latest" (newest at or before pointInTime) or "oldest" (oldest at or after pointInTime)',
      })
      .optional(),
    fastRestoreOnly: z.boolean({ error: "must be true or false" }).optional(),
  })
  .refine((a) => (a.siteWebUrl === undefined) !== (a.siteId === undefined), {
    error: "give exactly one of siteWebUrl or siteId (or a restorePointId instead)",
  });
export type SiteArtifactInput = z.infer<typeof siteArtifactSchema>;

/** One site to restore: by restore point id, or by site with an optional point in time. */
export const artifactInputSchema = z.union([restorePointArtifactSchema, siteArtifactSchema]);
export type ArtifactInput = z.infer<typeof artifactInputSchema>;

/** True for entries that name a site instead of a restore point. */
export function isSiteArtifact(artifact: ArtifactInput): artifact is SiteArtifactInput {
  return !("restorePointId" in artifact);
}

/** How long create and update wait for the restore to end, and how often they look. */
export const waitForCompletionSchema = z.union(
  [
    z.boolean(),
    z.strictObject({
      timeoutMinutes: z
        .number({ error: "must be a number of minutes (fractions allowed)" })
        .positive({ error: "must be more than 0" })
        .optional(),
      pollIntervalSeconds: z
        .number({ error: "must be a number of seconds (fractions allowed)" })
        .positive({ error: "must be more than 0" })
        .optional(),
    }),
  ],
  { error: "must be true, false, or { timeoutMinutes?, pollIntervalSeconds? }" },
);
export type WaitForCompletion = z.infer<typeof waitForCompletionSchema>;

/** Which ends of a restore fail the update. */
export const FAIL_ON = ["failed", "completedWithError", "never"] as const;

/** The resource's inputs after check: defaults applied. */
export const sessionInputsSchema = z.strictObject({
  siteRestoreArtifacts: z
    .array(artifactInputSchema, { error: "must be an array of { restorePointId } or { siteWebUrl | siteId, pointInTime? } objects" })
    .min(1, { error: 'must list at least one site to restore, e.g. [{ restorePointId: "..." }]' })
    .max(MAX_ARTIFACTS_PER_SESSION, {
      error: `a session holds at most ${MAX_ARTIFACTS_PER_SESSION} sites; split the sites over several sessions`,
    }),
  destinationType: z
    .enum(DESTINATION_TYPES, { error: 'must be "new" (restore to new URLs) or "inPlace" (roll the sites back)' })
    .default("new"),
  activate: z.boolean({ error: "must be true or false" }).default(false),
  allowInPlaceRestore: z.boolean({ error: "must be true or false" }).optional(),
  waitForCompletion: waitForCompletionSchema.optional(),
  failOn: z.enum(FAIL_ON, { error: 'must be "failed", "completedWithError" (the default) or "never"' }).optional(),
  drillId: z
    .string({ error: "must be a string; change it to run the drill again" })
    .min(1, { error: "must not be empty" })
    .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters` })
    .optional(),
});
export type SessionInputs = z.infer<typeof sessionInputsSchema>;

/** Graph properties the service sets; users who give them get a hint instead of a bare "unknown key". */
const READ_ONLY_HINTS: Record<string, string> = {
  id: "id is assigned by the service; to manage an existing session use SharePointRestoreSession.get(name, id)",
  status: "status is set by the service; set activate: true to start the restore",
  createdBy: "createdBy is set by the service from the identity that creates the session",
  createdDateTime: "createdDateTime is set by the service when the session is created",
  completedDateTime: "completedDateTime is set by the service when the restore ends",
  lastModifiedBy: "lastModifiedBy is set by the service",
  lastModifiedDateTime: "lastModifiedDateTime is set by the service",
  error: "error is set by the service when a restore fails",
  restoreJobType: "restoreJobType is set by the service",
  restoreSessionArtifactCount: "restoreSessionArtifactCount is counted by the service",
};

const INPUT_KEYS = Object.keys(sessionInputsSchema.shape);
const SITE_KEYS = ["siteWebUrl", "siteId", "pointInTime", "restorePointPreference", "fastRestoreOnly"];

/** The top level as check sees it: each artifact is validated on its own, against the form it uses. */
const checkSchema = sessionInputsSchema.extend({
  siteRestoreArtifacts: z
    .array(z.unknown(), { error: "must be an array of { restorePointId } or { siteWebUrl | siteId, pointInTime? } objects" })
    .min(1, { error: 'must list at least one site to restore, e.g. [{ restorePointId: "..." }]' })
    .max(MAX_ARTIFACTS_PER_SESSION, {
      error: `a session holds at most ${MAX_ARTIFACTS_PER_SESSION} sites; split the sites over several sessions`,
    }),
});

/** Renders a zod path the way Pulumi users write it: `siteRestoreArtifacts[2].restorePointId`. */
export function propertyPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join("");
}

function failuresFromZod(error: z.ZodError, prefix: readonly PropertyKey[], allowedKeys: readonly string[]): CheckFailure[] {
  return error.issues.flatMap((issue): CheckFailure[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        property: propertyPath([...path, key]),
        reason:
          (path.length === 0 && Object.hasOwn(READ_ONLY_HINTS, key) ? READ_ONLY_HINTS[key] : undefined) ??
          `unknown property; allowed here: ${allowedKeys.join(", ")}`,
      }));
    }
    return [{ property: propertyPath(path) || "(inputs)", reason: issue.message }];
  });
}

/** Validates one artifact against the form it uses: a restore point id, or a site. */
function artifactFailures(artifact: unknown, index: number): CheckFailure[] {
  const prefix = ["siteRestoreArtifacts", index];
  if (!artifact || typeof artifact !== "object" || Array.isArray(artifact)) {
    return [
      {
        property: propertyPath(prefix),
        reason: 'must be an object like { restorePointId: "..." } or { siteId: "...", pointInTime: "..." }',
      },
    ];
  }
  const byRestorePoint = "restorePointId" in artifact;
  const schema = byRestorePoint ? restorePointArtifactSchema : siteArtifactSchema;
  const parsed = schema.safeParse(artifact);
  return parsed.success ? [] : failuresFromZod(parsed.error, prefix, byRestorePoint ? ["restorePointId"] : SITE_KEYS);
}

/** Stand-ins validated in place of values that are unknown during preview. */
const PREVIEW_PLACEHOLDERS: Record<string, unknown> = {
  siteRestoreArtifacts: [{ restorePointId: "unknown-during-preview" }],
  destinationType: "new",
  activate: false,
  allowInPlaceRestore: true,
  waitForCompletion: false,
  failOn: "never",
  drillId: "unknown-during-preview",
};

/**
 * Validates the user's inputs. Never throws: bad input comes back as failures, and values that are
 * unknown during preview are passed through unvalidated.
 */
export function validateInputs(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const { __provider, ...given } = news;
  const toValidate: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    setOwn(toValidate, key, value === UNKNOWN && Object.hasOwn(PREVIEW_PLACEHOLDERS, key) ? PREVIEW_PLACEHOLDERS[key] : value);
  }
  const parsed = checkSchema.safeParse(toValidate);
  const givenArtifacts = Array.isArray(given.siteRestoreArtifacts) ? given.siteRestoreArtifacts : [];
  // Artifacts come first, as siteRestoreArtifacts is the first property.
  const failures = givenArtifacts.flatMap((a, i) => (containsUnknown(a) ? [] : artifactFailures(a, i)));
  if (!parsed.success) failures.push(...failuresFromZod(parsed.error, [], INPUT_KEYS));
  failures.push(...inPlaceFailures(given));
  if (failures.length === 0) failures.push(...duplicateFailures(givenArtifacts));
  if (!parsed.success || failures.length > 0) return { inputs: news, failures };

  // Defaults filled in; values not known yet are handed on untouched.
  const inputs: Record<string, unknown> = { ...parsed.data };
  for (const [key, value] of Object.entries(given)) if (value === UNKNOWN) setOwn(inputs, key, value);
  if (__provider !== undefined) inputs.__provider = __provider;
  return { inputs, failures: [] };
}

/** Rolling production sites back is never a default: it takes an explicit second switch. */
function inPlaceFailures(given: Record<string, unknown>): CheckFailure[] {
  if (given.destinationType !== "inPlace" || given.allowInPlaceRestore === true || given.allowInPlaceRestore === UNKNOWN) return [];
  return [
    {
      property: "destinationType",
      reason:
        'an in-place restore rolls the production sites back to the restore point and cannot be undone; set allowInPlaceRestore: true to confirm, or use destinationType: "new"',
    },
  ];
}

/** What makes two entries the same site: the restore point id, the normalized URL, or the site id. */
export function siteKey(artifact: ArtifactInput): string {
  if (!isSiteArtifact(artifact)) return `restorePoint:${artifact.restorePointId}`;
  return artifact.siteWebUrl !== undefined ? `url:${normalizeSiteUrl(artifact.siteWebUrl)}` : `siteId:${artifact.siteId!.toLowerCase()}`;
}

/** Lowercase scheme and host, no trailing slash: how SharePoint treats site URLs. */
export function normalizeSiteUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host.toLowerCase()}${parsed.pathname.replace(/\/+$/, "")}`.toLowerCase();
}

function duplicateFailures(artifacts: unknown[]): CheckFailure[] {
  const firstIndex = new Map<string, number>();
  const failures: CheckFailure[] = [];
  artifacts.forEach((artifact, index) => {
    if (containsUnknown(artifact)) return;
    const entry = artifact as ArtifactInput;
    const key = siteKey(entry);
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, index);
    else
      failures.push({
        property: `siteRestoreArtifacts[${index}].${isSiteArtifact(entry) ? (entry.siteWebUrl !== undefined ? "siteWebUrl" : "siteId") : "restorePointId"}`,
        reason: isSiteArtifact(entry)
          ? `names the same site as siteRestoreArtifacts[${first}]; a session restores each site once`
          : `duplicates siteRestoreArtifacts[${first}]; list each restore point once (the service rejects duplicates)`,
      });
  });
  return failures;
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.username === "" && url.password === "" && url.host !== "";
  } catch {
    return false;
  }
}

/** True when a value is, or holds, the preview's unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Sets a key as an own property, so user keys like `__proto__` can never reach a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
