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
export const artifactInputSchema = z.strictObject(
  { restorePointId },
  { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "must be an object like { restorePointId: \"...\" }") },
);
export type ArtifactInput = z.infer<typeof artifactInputSchema>;

/** The resource's inputs after check: defaults applied. */
export const sessionInputsSchema = z.strictObject({
  siteRestoreArtifacts: z
    .array(artifactInputSchema, { error: "must be an array of { restorePointId } objects" })
    .min(1, { error: "must list at least one site to restore, e.g. [{ restorePointId: \"...\" }]" })
    .max(MAX_ARTIFACTS_PER_SESSION, {
      error: `a session holds at most ${MAX_ARTIFACTS_PER_SESSION} sites; split the sites over several sessions`,
    }),
  destinationType: z
    .enum(DESTINATION_TYPES, { error: 'must be "new" (restore to new URLs) or "inPlace" (roll the sites back)' })
    .default("new"),
  activate: z.boolean({ error: "must be true or false" }).default(false),
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

/** Renders a zod path the way Pulumi users write it: `siteRestoreArtifacts[2].restorePointId`. */
export function propertyPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join("");
}

function failuresFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): CheckFailure[] {
  return error.issues.flatMap((issue): CheckFailure[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        property: propertyPath([...path, key]),
        reason:
          (path.length === 0 ? READ_ONLY_HINTS[key] : undefined) ??
          `unknown property; allowed here: ${(path.length === 0 ? INPUT_KEYS : ["restorePointId"]).join(", ")}`,
      }));
    }
    return [{ property: propertyPath(path) || "(inputs)", reason: issue.message }];
  });
}

/** Stand-ins validated in place of values that are unknown during preview. */
const PREVIEW_PLACEHOLDERS: Record<string, unknown> = {
  siteRestoreArtifacts: [{ restorePointId: "unknown-during-preview" }],
  destinationType: "new",
  activate: false,
};
const ARTIFACT_PLACEHOLDER = { restorePointId: "unknown-during-preview" };

/**
 * Validates the user's inputs. Never throws: bad input comes back as failures, and values that are
 * unknown during preview are passed through unvalidated.
 */
export function validateInputs(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const { __provider, ...given } = news;
  const toValidate: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    if (value === UNKNOWN && key in PREVIEW_PLACEHOLDERS) toValidate[key] = PREVIEW_PLACEHOLDERS[key];
    else if (key === "siteRestoreArtifacts" && Array.isArray(value))
      toValidate[key] = value.map((a) => (containsUnknown(a) ? ARTIFACT_PLACEHOLDER : a));
    else toValidate[key] = value;
  }
  const parsed = sessionInputsSchema.safeParse(toValidate);
  if (!parsed.success) return { inputs: news, failures: failuresFromZod(parsed.error) };

  const givenArtifacts = Array.isArray(given.siteRestoreArtifacts) ? given.siteRestoreArtifacts : [];
  const failures = duplicateFailures(givenArtifacts);
  if (failures.length > 0) return { inputs: news, failures };

  // Defaults filled in; values not known yet are handed on untouched.
  const inputs: Record<string, unknown> = { ...parsed.data };
  for (const [key, value] of Object.entries(given)) if (value === UNKNOWN) inputs[key] = value;
  if (givenArtifacts.length > 0)
    inputs.siteRestoreArtifacts = givenArtifacts.map((a, i) => (containsUnknown(a) ? a : parsed.data.siteRestoreArtifacts[i]));
  if (__provider !== undefined) inputs.__provider = __provider;
  return { inputs, failures: [] };
}

function duplicateFailures(artifacts: unknown[]): CheckFailure[] {
  const firstIndex = new Map<string, number>();
  const failures: CheckFailure[] = [];
  artifacts.forEach((artifact, index) => {
    if (containsUnknown(artifact)) return;
    const id = (artifact as ArtifactInput).restorePointId;
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, index);
    else
      failures.push({
        property: `siteRestoreArtifacts[${index}].restorePointId`,
        reason: `duplicates siteRestoreArtifacts[${first}]; list each restore point once (the service rejects duplicates)`,
      });
  });
  return failures;
}

/** True when a value is, or holds, the preview's unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
