/**
 * What every resource's input validation shares: Pulumi's check-failure shape, the preview's
 * unknown sentinel, property paths as users write them, and the field schemas several inputs use.
 *
 * check() is the only place Pulumi validates at preview time, so every failure names the full
 * property path (`siteRestoreArtifacts[2].restorePointId`) and says how to fix it.
 */
import { z } from "zod";

/** The string the engine puts in any field whose value is not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Ids and names longer than this are not Graph ids. */
export const MAX_ID_LENGTH = 1024;

/** One `{ property, reason }` pair, exactly Pulumi's CheckFailure. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** Renders a zod path the way Pulumi users write it: `siteRestoreArtifacts[2].restorePointId`. */
export function propertyPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join("");
}

/**
 * Zod issues of `schema` as check failures under `prefix`. An unknown key gets the hint from
 * `hints` when one exists (say, a read-only Graph property), else the keys allowed where it stands.
 */
export function failuresFromZod(
  error: z.ZodError,
  prefix: readonly PropertyKey[],
  schema: z.ZodType,
  hints: Readonly<Record<string, string>> = {},
): CheckFailure[] {
  return error.issues.flatMap((issue): CheckFailure[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      const allowed = keysAt(schema, issue.path) ?? [];
      return issue.keys.map((key) => ({
        property: propertyPath([...path, key]),
        reason:
          (path.length === 0 && Object.hasOwn(hints, key) ? hints[key] : undefined) ??
          `unknown property; allowed here: ${allowed.join(", ")}`,
      }));
    }
    return [{ property: propertyPath(path) || "(inputs)", reason: issue.message }];
  });
}

/** The keys an object schema allows at `path` inside `schema` (through optionals, arrays and unions). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      return keysAt(def.innerType as z.ZodType, path);
    case "pipe":
      return keysAt(def.in as z.ZodType, path);
    case "object": {
      const shape = def.shape as Record<string, z.ZodType>;
      if (path.length === 0) return Object.keys(shape);
      const child = typeof path[0] === "string" && Object.hasOwn(shape, path[0]) ? shape[path[0]] : undefined;
      return child === undefined ? undefined : keysAt(child, path.slice(1));
    }
    case "array":
      return typeof path[0] === "number" ? keysAt(def.element as z.ZodType, path.slice(1)) : undefined;
    case "union":
      for (const option of def.options as z.ZodType[]) {
        const keys = keysAt(option, path);
        if (keys !== undefined) return keys;
      }
      return undefined;
    default:
      return undefined;
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
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A non-empty id string without control characters; `what` names it in messages, `hint` says where to find one. */
export function idString(what: string, hint: string) {
  return (
    z
      .string({ error: `must be ${what} string${hint}` })
      .min(1, { error: `must not be empty${hint ? `; use ${what}${hint}` : ""}` })
      .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters; is this really ${what}?` })
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]*$/, { error: "must not contain control characters" })
  );
}

/** An https URL without credentials, like a SharePoint site's. */
export const httpsUrl = z
  .string({ error: "must be the site's URL, like https://contoso.sharepoint.com/sites/finance" })
  .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters` })
  .refine(isHttpsUrl, { error: "must be an https URL without credentials, like https://contoso.sharepoint.com/sites/finance" });

/** A mailbox or user email address (user principal name). */
export const email = z
  .string({ error: "must be an email address, like adele@contoso.com" })
  .max(320, { error: "must be at most 320 characters" })
  .refine((value) => /^[^\s@"<>()[\],;:\\]+@[^\s@"<>()[\],;:\\]+\.[^\s@"<>()[\],;:\\]+$/.test(value), {
    error: "must be an email address, like adele@contoso.com",
  });

/** A past instant with a zone, like 2026-03-01T00:00:00Z. */
export const pastInstant = z.iso
  .datetime({ offset: true, error: "must be an ISO 8601 date and time with a zone, like 2026-03-01T00:00:00Z" })
  // Only dates that parse are judged here; the format check above reports the rest.
  .refine((value) => Number.isNaN(Date.parse(value)) || Date.parse(value) <= Date.now(), {
    error: "must not be in the future; restore points exist only for the past",
  });

/** How long an operation waits for Graph to finish something, and how often it looks (a drill's restore, a policy's status). */
export const waitBoundsSchema = z.strictObject({
  timeoutMinutes: z
    .number({ error: "must be a number of minutes (fractions allowed)" })
    .positive({ error: "must be more than 0" })
    .optional(),
  pollIntervalSeconds: z
    .number({ error: "must be a number of seconds (fractions allowed)" })
    .positive({ error: "must be more than 0" })
    .optional(),
});

/** `latest`: the newest point at or before the time; `oldest`: the oldest at or after it. */
export const restorePointPreference = z.enum(["latest", "oldest"], {
  error: 'must be "latest" (newest at or before pointInTime) or "oldest" (oldest at or after pointInTime)',
});

/** The default choice of restore point: the newest one at or before the point in time. */
export const DEFAULT_RESTORE_POINT_PREFERENCE = "latest";

/** Lowercase scheme, host and path, no trailing slash: SharePoint compares site URLs case-insensitively, path included. */
export function normalizeSiteUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`.toLowerCase();
}

/** Emails compare case-insensitively. */
export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.username === "" && url.password === "" && url.host !== "";
  } catch {
    return false;
  }
}
