/** Building blocks of wire views: identities, evolvable enums, OData context URLs, timestamps. */
import type { RouteContext } from "../context";
import type { AppIdentity, StoredError } from "../store";

/** Graph's `identitySet` for an application caller. */
export function identitySet(app: AppIdentity): Record<string, unknown> {
  return { application: { id: app.id, displayName: app.displayName } };
}

/** Hides evolvable members (`failed`) from callers that did not opt in. */
export function evolvable(value: string, context: RouteContext): string {
  return value === "failed" && !context.includeUnknownEnumMembers ? "unknownFutureValue" : value;
}

/** The OData context URL for a path inside the version's metadata document. */
export function odataContext(context: RouteContext, fragment: string): string {
  return `${context.tenant.baseUrl()}/${context.version}/$metadata#${fragment}`;
}

/** An ISO timestamp for epoch milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A Graph `publicError`. */
export function publicError(error: StoredError): Record<string, unknown> {
  return error.details
    ? { code: error.code, message: error.message, details: error.details }
    : { code: error.code, message: error.message };
}

/** The service itself, as the last modifier of objects that changed on their own (finished restores). */
export const SERVICE_IDENTITY: AppIdentity = { id: "0000000c-0000-0000-c000-000000000000", displayName: "Microsoft 365 Backup Storage" };
