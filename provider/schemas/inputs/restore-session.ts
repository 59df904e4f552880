/**
 * The strict schema of a restore session's inputs, for any workload, and `check`'s validation.
 *
 * The three workloads differ only in names: the artifact property (`siteRestoreArtifacts`,
 * `driveRestoreArtifacts`, `mailboxRestoreArtifacts`), the keys that name a protected object
 * (`siteId`/`siteWebUrl`, `directoryObjectId`/`email`) and the bulk names (`siteWebUrls`, `drives`,
 * `mailboxes`), all taken from the workload descriptor. Exchange adds item-level artifacts.
 */
import { z } from "zod";
import { LIMITS, perWorkload, type Workload } from "../../workloads";
import { DESTINATION_TYPES } from "../wire";
import {
  containsUnknown,
  waitBoundsSchema,
  email,
  failuresFromZod,
  httpsUrl,
  idString,
  MAX_ID_LENGTH,
  normalizeEmail,
  normalizeSiteUrl,
  pastInstant,
  propertyPath,
  restorePointPreference,
  setOwn,
  UNKNOWN,
  type CheckFailure,
} from "./common";

const restorePointId = idString("a restore point id", " returned by restorePoints/search");

/** One object to restore, identified by its restore point. */
export const restorePointArtifactSchema = z.strictObject(
  { restorePointId },
  { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : 'must be an object like { restorePointId: "..." }') },
);
export type RestorePointArtifactInput = z.infer<typeof restorePointArtifactSchema>;

/** How the provider picks a restore point for an object named by id or name. */
const choiceFields = {
  pointInTime: pastInstant.optional(),
  restorePointPreference: restorePointPreference.optional(),
  fastRestoreOnly: z.boolean({ error: "must be true or false" }).optional(),
};

/** The four ways to name a protected object; each workload allows two of them (its unit key and name). */
const unitFields = {
  siteId: idString("the site id", " (as listed by siteProtectionUnits)").optional(),
  siteWebUrl: httpsUrl.optional(),
  directoryObjectId: idString("the user's directory object id", " (as listed by the protection units)").optional(),
  email: email.optional(),
};
export type UnitKey = keyof typeof unitFields;

/** One object to restore, named by id or name; the provider picks its restore point when it creates the session. */
const unitArtifactSchema = z.strictObject({ ...unitFields, ...choiceFields });
export type UnitArtifactInput = z.infer<typeof unitArtifactSchema>;

/** One standard artifact as the user lists it. */
export type ArtifactInput = RestorePointArtifactInput | UnitArtifactInput;

/** True for entries that name a protected object instead of a restore point. */
export function isUnitArtifact(artifact: ArtifactInput): artifact is UnitArtifactInput {
  return !("restorePointId" in artifact);
}

/**
 * The documented item query of a granular mailbox restore. The v1.0 `artifactQuery` takes a
 * `queryExpression` string, built from these fields in the documented syntax; `itemKinds` exists
 * only in beta's structured expression.
 */
export const mailboxQuerySchema = z
  .strictObject({
    subjects: z.array(z.string().min(1).max(255), { error: "must be a list of subject words" }).min(1).max(20).optional(),
    senders: z.array(email, { error: "must be a list of email addresses" }).min(1).max(20).optional(),
    recipients: z.array(email, { error: "must be a list of email addresses" }).min(1).max(20).optional(),
    hasAttachment: z.boolean({ error: "must be true or false" }).optional(),
    itemKinds: z
      .array(
        z.enum(["email", "calendar", "contact", "task", "note"], {
          error: 'each must be "email", "calendar", "contact", "task" or "note"',
        }),
      )
      .min(1)
      .optional(),
  })
  .refine((q) => Object.values(q).some((v) => v !== undefined), {
    error: "give at least one of subjects, senders, recipients, hasAttachment, itemKinds",
  });
export type MailboxQuery = z.infer<typeof mailboxQuerySchema>;

/** One item-level mailbox restore: the mailbox (or a restore point of it), how to pick the point, and which items. */
const granularArtifactSchema = z.strictObject({
  restorePointId: restorePointId.optional(),
  directoryObjectId: unitFields.directoryObjectId,
  email: unitFields.email,
  ...choiceFields,
  query: mailboxQuerySchema,
});
export type GranularArtifactInput = z.infer<typeof granularArtifactSchema>;

/** A bulk restore: names the service resolves, and how it picks restore points. */
const bulkRestoreSchema = z.strictObject({
  siteWebUrls: z.array(httpsUrl).optional(),
  drives: z.array(email).optional(),
  mailboxes: z.array(email).optional(),
  protectionTimePeriod: z
    .strictObject({ startDateTime: pastInstant.optional(), endDateTime: pastInstant.optional() })
    .refine(
      (p) => p.startDateTime === undefined || p.endDateTime === undefined || Date.parse(p.startDateTime) < Date.parse(p.endDateTime),
      {
        error: "startDateTime must be before endDateTime",
      },
    )
    .optional(),
  restorePointPreference: restorePointPreference.optional(),
  fastRestoreOnly: z.boolean({ error: "must be true or false" }).optional(),
  displayName: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).max(MAX_ID_LENGTH).optional(),
});
export type BulkRestoreInput = z.infer<typeof bulkRestoreSchema>;

/** How long create and update wait for the restore to end, and how often they look. */
export const waitForCompletionSchema = z.union([z.boolean(), waitBoundsSchema], {
  error: "must be true, false, or { timeoutMinutes?, pollIntervalSeconds? }",
});
export type WaitForCompletion = z.infer<typeof waitForCompletionSchema>;

/** Which ends of a restore fail the update. */
export const FAIL_ON = ["failed", "completedWithError", "never"] as const;

/** The settings every restore session takes besides what it restores. */
const settingsShape = {
  destinationType: z
    .enum(DESTINATION_TYPES, { error: 'must be "new" (restore to a new location) or "inPlace" (roll back in place)' })
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
};
const settingsSchema = z.object(settingsShape);
export type SessionSettings = z.infer<typeof settingsSchema>;

/** A restore session's inputs after check, in workload-neutral names. */
export interface RestoreSessionInputs extends SessionSettings {
  /** Standard artifacts (the workload's artifact property); empty when the session is granular or bulk. */
  artifacts: ArtifactInput[];
  /** Item-level mailbox artifacts (Exchange only). */
  granularArtifacts: GranularArtifactInput[];
  bulkRestore?: BulkRestoreInput;
}

/** Graph properties the service sets; users who give them get a hint instead of a bare "unknown key". */
function readOnlyHints(workload: Workload): Record<string, string> {
  return {
    id: `id is assigned by the service; to manage an existing session use ${workload.restoreSession.resourceType}.get(name, id)`,
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
}

/** Stand-ins validated in place of top-level values that are unknown during preview. */
const PREVIEW_PLACEHOLDERS: Record<string, unknown> = {
  destinationType: "new",
  activate: false,
  allowInPlaceRestore: true,
  waitForCompletion: false,
  failOn: "never",
  drillId: "unknown-during-preview",
};

/** The input validation of one workload's restore sessions. */
export interface RestoreSessionInputRules {
  workload: Workload;
  /** Input keys in the order they are documented. */
  inputKeys: readonly string[];
  /**
   * Validates the user's inputs. Never throws: bad input comes back as failures, and values that
   * are unknown during preview pass through unvalidated. `apiVersion` gates beta-only fields.
   */
  validate(news: Record<string, unknown>, apiVersion?: "v1.0" | "beta"): { inputs: Record<string, unknown>; failures: CheckFailure[] };
  /** Parses checked inputs (as stored by the engine) into workload-neutral names. */
  parse(inputs: Record<string, unknown>): RestoreSessionInputs;
}

/** The input rules of one workload's restore sessions (built once per workload). */
export const restoreSessionInputRules: (workload: Workload) => RestoreSessionInputRules = perWorkload((workload) => buildRules(workload));

function buildRules(workload: Workload): RestoreSessionInputRules {
  const { artifacts: artifactsKey, granularArtifacts: granularKey, bulkNames } = workload.restoreSession;
  const { key: unitKey, name: unitName } = workload.protectionUnit;
  const unitSchema = unitArtifactSchema
    .pick({
      [unitKey]: true,
      [unitName]: true,
      pointInTime: true,
      restorePointPreference: true,
      fastRestoreOnly: true,
    } as unknown as Record<UnitKey, true>)
    .refine((a: Record<string, unknown>) => (a[unitKey] === undefined) !== (a[unitName] === undefined), {
      error: `give exactly one of ${unitName} or ${unitKey} (or a restorePointId instead)`,
    });
  const bulkKeys = [bulkNames, "protectionTimePeriod", "restorePointPreference", "fastRestoreOnly", "displayName"];
  const bulkSchema = bulkRestoreSchema.pick(Object.fromEntries(bulkKeys.map((k) => [k, true])) as Record<keyof BulkRestoreInput, true>);
  const listOf = (what: string) =>
    z
      .array(z.unknown(), { error: `must be an array of ${what}` })
      .min(1, { error: `must list at least one ${workload.noun.one} to restore` })
      .max(LIMITS.artifactsPerSession, {
        error: `a session holds at most ${LIMITS.artifactsPerSession} ${workload.noun.many}; split them over several sessions, or use bulkRestore`,
      });
  const topShape: Record<string, z.ZodTypeAny> = {
    [artifactsKey]: listOf(`{ restorePointId } or { ${unitName} | ${unitKey}, pointInTime? } objects`).optional(),
    ...(granularKey !== undefined
      ? {
          // Graph documents no @delta for item-level artifacts: they all go in the create, which takes 50.
          [granularKey]: listOf(`{ ${unitName} | ${unitKey} | restorePointId, query } objects`)
            .max(LIMITS.artifactsPerRequest, {
              error: `a session takes at most ${LIMITS.artifactsPerRequest} item-level restores (all are sent when it is created); split them over several sessions`,
            })
            .optional(),
        }
      : {}),
    bulkRestore: z.unknown().optional(),
    ...settingsShape,
  };
  const topSchema = z.strictObject(topShape);
  const inputKeys = Object.keys(topShape);
  const hints = readOnlyHints(workload);
  const contentKeys = [artifactsKey, ...(granularKey !== undefined ? [granularKey] : []), "bulkRestore"];

  function artifactFailures(artifact: unknown, index: number): CheckFailure[] {
    const prefix = [artifactsKey, index];
    if (!isObject(artifact)) {
      return [{ property: propertyPath(prefix), reason: `must be an object like { restorePointId: "..." } or { ${unitKey}: "..." }` }];
    }
    const byRestorePoint = "restorePointId" in artifact;
    const parsed = (byRestorePoint ? restorePointArtifactSchema : unitSchema).safeParse(artifact);
    return parsed.success ? [] : failuresFromZod(parsed.error, prefix, byRestorePoint ? restorePointArtifactSchema : unitSchema);
  }

  function granularFailures(artifact: unknown, index: number, apiVersion: "v1.0" | "beta"): CheckFailure[] {
    const prefix = [granularKey!, index];
    if (!isObject(artifact))
      return [{ property: propertyPath(prefix), reason: 'must be an object like { email: "...", query: { subjects: ["..."] } }' }];
    const parsed = granularArtifactSchema.safeParse(artifact);
    if (!parsed.success) return failuresFromZod(parsed.error, prefix, granularArtifactSchema);
    const given = ["restorePointId", unitKey, unitName].filter((k) => (artifact as Record<string, unknown>)[k] !== undefined);
    if (given.length !== 1)
      return [{ property: propertyPath(prefix), reason: `give exactly one of ${unitName}, ${unitKey} or restorePointId` }];
    if (parsed.data.query.itemKinds !== undefined && apiVersion !== "beta") {
      return [
        {
          property: propertyPath([...prefix, "query", "itemKinds"]),
          reason:
            "item kinds exist only in Graph beta's structured query; set `pulumi config set m365-backup:apiVersion beta`, or leave itemKinds out",
        },
      ];
    }
    return [];
  }

  function bulkFailures(value: unknown): CheckFailure[] {
    if (!isObject(value)) return [{ property: "bulkRestore", reason: `must be an object like { ${bulkNames}: [...] }` }];
    const parsed = bulkSchema.safeParse(value);
    const failures = parsed.success ? [] : failuresFromZod(parsed.error, ["bulkRestore"], bulkSchema);
    const names = (value as Record<string, unknown>)[bulkNames];
    if (names === undefined)
      failures.push({
        property: `bulkRestore.${bulkNames}`,
        reason: `must list the ${workload.noun.many} to restore by ${workload.restoreSession.bulkNameKind}`,
      });
    else if (Array.isArray(names)) {
      if (names.length === 0)
        failures.push({ property: `bulkRestore.${bulkNames}`, reason: `must list at least one ${workload.restoreSession.bulkNameKind}` });
      if (names.length > LIMITS.namesPerBulkRequest) {
        failures.push({
          property: `bulkRestore.${bulkNames}`,
          reason: `a bulk restore names at most ${LIMITS.namesPerBulkRequest.toLocaleString("en-US")} ${workload.noun.many}; split them over several sessions`,
        });
      }
      if (failures.length === 0)
        failures.push(...duplicateNames(names as string[], `bulkRestore.${bulkNames}`, workload.restoreSession.bulkNameKind));
    }
    return failures;
  }

  function validate(news: Record<string, unknown>, apiVersion: "v1.0" | "beta" = "v1.0") {
    const { __provider, ...given } = news;
    const toValidate: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(given)) {
      if (value === undefined || value === null) continue;
      // A whole list unknown during preview is checked once it is known.
      if (value === UNKNOWN && contentKeys.includes(key)) continue;
      if (value === UNKNOWN && Object.hasOwn(PREVIEW_PLACEHOLDERS, key)) setOwn(toValidate, key, PREVIEW_PLACEHOLDERS[key]);
      // A setting with an unknown part (waitForCompletion: { timeoutMinutes: <unknown> }) is checked once known.
      else if (!contentKeys.includes(key) && containsUnknown(value)) continue;
      else setOwn(toValidate, key, value);
    }
    const failures: CheckFailure[] = [];
    const present = contentKeys.filter((k) => given[k] !== undefined && given[k] !== null);
    // A list unknown at preview counts as given, but cannot be said to clash with another yet.
    const contents = present.filter((k) => given[k] !== UNKNOWN);
    if (present.length === 0) {
      failures.push({
        property: artifactsKey,
        reason: `must list at least one ${workload.noun.one} to restore, e.g. [{ ${unitKey}: "..." }] (or use bulkRestore)`,
      });
    } else if (contents.length > 1) {
      failures.push({
        property: contents[1]!,
        reason: `cannot be combined with ${contents[0]} in one session (Graph does not mix ${contents.map(describeContent).join(" and ")}); use one session for each`,
      });
    }
    const listed = Array.isArray(given[artifactsKey]) ? (given[artifactsKey] as unknown[]) : [];
    failures.push(...listed.flatMap((a, i) => (containsUnknown(a) ? [] : artifactFailures(a, i))));
    const granular = granularKey !== undefined && Array.isArray(given[granularKey]) ? (given[granularKey] as unknown[]) : [];
    failures.push(...granular.flatMap((a, i) => (containsUnknown(a) ? [] : granularFailures(a, i, apiVersion))));
    if (given.bulkRestore !== undefined && given.bulkRestore !== null && !containsUnknown(given.bulkRestore))
      failures.push(...bulkFailures(given.bulkRestore));
    const parsed = topSchema.safeParse(toValidate);
    if (!parsed.success) failures.push(...failuresFromZod(parsed.error, [], topSchema, hints));
    failures.push(...inPlaceFailures(given));
    if (failures.length === 0) failures.push(...duplicateFailures(listed, artifactsKey, unitKey, unitName, workload));
    if (!parsed.success || failures.length > 0) return { inputs: news, failures };

    // Defaults filled in; values not known yet are handed on untouched.
    const inputs: Record<string, unknown> = { ...parsed.data };
    for (const [key, value] of Object.entries(given)) if (containsUnknown(value) && !contentKeys.includes(key)) setOwn(inputs, key, value);
    for (const [key, value] of Object.entries(given)) if (value === UNKNOWN) setOwn(inputs, key, value);
    if (__provider !== undefined) inputs.__provider = __provider;
    return { inputs, failures: [] };
  }

  function parse(inputs: Record<string, unknown>): RestoreSessionInputs {
    const { __provider: _provider, ...rest } = inputs;
    const settings = settingsSchema.parse(rest);
    const artifacts = ((rest[artifactsKey] as unknown[] | undefined) ?? []).map((a) =>
      isObject(a) && "restorePointId" in a ? restorePointArtifactSchema.parse(a) : (unitSchema.parse(a) as UnitArtifactInput),
    );
    const granularArtifacts =
      granularKey === undefined ? [] : ((rest[granularKey] as unknown[] | undefined) ?? []).map((a) => granularArtifactSchema.parse(a));
    const bulkRestore = rest.bulkRestore === undefined ? undefined : (bulkSchema.parse(rest.bulkRestore) as BulkRestoreInput);
    return { ...settings, artifacts, granularArtifacts, ...(bulkRestore !== undefined ? { bulkRestore } : {}) };
  }

  return { workload, inputKeys, validate, parse };
}

function describeContent(key: string): string {
  if (key === "bulkRestore") return "bulk artifacts";
  return key.startsWith("granular") ? "item-level artifacts" : "manual artifacts";
}

/** Rolling production data back is never a default: it takes an explicit second switch. */
function inPlaceFailures(given: Record<string, unknown>): CheckFailure[] {
  if (given.destinationType !== "inPlace" || given.allowInPlaceRestore === true || given.allowInPlaceRestore === UNKNOWN) return [];
  return [
    {
      property: "destinationType",
      reason:
        'an in-place restore rolls production data back to the restore point and cannot be undone; set allowInPlaceRestore: true to confirm, or use destinationType: "new"',
    },
  ];
}

/** What makes two entries the same object: the restore point id, or the normalized id, URL or email. */
export function artifactKey(artifact: ArtifactInput): string {
  if (!isUnitArtifact(artifact)) return `restorePoint:${artifact.restorePointId}`;
  if (artifact.siteWebUrl !== undefined) return `url:${normalizeSiteUrl(artifact.siteWebUrl)}`;
  if (artifact.siteId !== undefined) return `siteId:${artifact.siteId.toLowerCase()}`;
  if (artifact.email !== undefined) return `email:${normalizeEmail(artifact.email)}`;
  return `directoryObjectId:${(artifact.directoryObjectId ?? "").toLowerCase()}`;
}

function duplicateFailures(artifacts: unknown[], property: string, unitKey: string, unitName: string, workload: Workload): CheckFailure[] {
  const firstIndex = new Map<string, number>();
  const failures: CheckFailure[] = [];
  artifacts.forEach((artifact, index) => {
    if (containsUnknown(artifact)) return;
    const entry = artifact as ArtifactInput;
    const key = artifactKey(entry);
    const first = firstIndex.get(key);
    if (first === undefined) return firstIndex.set(key, index);
    const unit = isUnitArtifact(entry);
    failures.push({
      property: `${property}[${index}].${unit ? ((entry as Record<string, unknown>)[unitName] !== undefined ? unitName : unitKey) : "restorePointId"}`,
      reason: unit
        ? `names the same ${workload.noun.one} as ${property}[${first}]; a session restores each ${workload.noun.one} once`
        : `duplicates ${property}[${first}]; list each restore point once (the service rejects duplicates)`,
    });
  });
  return failures;
}

function duplicateNames(names: string[], property: string, kind: "url" | "email"): CheckFailure[] {
  const firstIndex = new Map<string, number>();
  const failures: CheckFailure[] = [];
  names.forEach((name, index) => {
    if (typeof name !== "string" || name === UNKNOWN) return;
    let key: string;
    try {
      key = kind === "url" ? normalizeSiteUrl(name) : normalizeEmail(name);
    } catch {
      return;
    }
    const first = firstIndex.get(key);
    if (first === undefined) return firstIndex.set(key, index);
    failures.push({
      property: `${property}[${index}]`,
      reason: `names the same ${kind === "url" ? "site as" : "mailbox or user as"} ${property}[${first}]${kind === "url" ? " (SharePoint compares URLs case-insensitively, path included)" : ""}`,
    });
  });
  return failures;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
