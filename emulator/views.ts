/**
 * Wire views: how stored objects look in Graph responses. `failed` is an evolvable enum member, so
 * it is reported as `unknownFutureValue` unless the caller sent `Prefer: include-unknown-enum-members`.
 */
import type { RouteContext } from "./context";
import type { DerivedRestorePoint, SeedPolicy, TenantSite } from "./seed";
import { RETENTION_MS } from "./seed";
import type { AppIdentity, StoredArtifact, StoredBulkRequest, StoredSession } from "./store";
import { restoredSite, sessionProgress, type ArtifactProgress } from "./progress";

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

const iso = (ms: number) => new Date(ms).toISOString();

/** A `sharePointRestoreSession` as GET, POST and activate return it (no artifacts inlined). */
export function sessionView(session: StoredSession, context: RouteContext): Record<string, unknown> {
  const progress = sessionProgress(session, context.tenant.store, context.nowMs);
  const lastModifiedMs = Math.max(Date.parse(session.lastModifiedDateTime), progress.completedMs ?? 0);
  const view: Record<string, unknown> = {
    "@odata.type": "#microsoft.graph.sharePointRestoreSession",
    id: session.id,
    status: evolvable(progress.status, context),
    restoreJobType: session.restoreJobType,
    restoreSessionArtifactCount: progress.counts,
    createdDateTime: session.createdDateTime,
    createdBy: identitySet(session.createdBy),
    lastModifiedDateTime: iso(lastModifiedMs),
    lastModifiedBy: identitySet(progress.completedMs === undefined ? session.lastModifiedBy : SERVICE_IDENTITY),
    completedDateTime: progress.completedMs === undefined ? null : iso(progress.completedMs),
  };
  if (progress.status === "failed") view.error = { code: "UnknownError", message: "All artifacts failed to restore." };
  if (progress.status === "completedWithError") view.error = { code: "UnknownError", message: "One or more artifacts failed to restore." };
  return view;
}

/** The service itself, as the last modifier of sessions that finished on their own. */
const SERVICE_IDENTITY: AppIdentity = { id: "0000000c-0000-0000-c000-000000000000", displayName: "Microsoft 365 Backup Storage" };

/** A `siteRestoreArtifact` with its restore point inlined, as the artifacts list returns it. */
export function artifactView(artifact: StoredArtifact, progress: ArtifactProgress, context: RouteContext): Record<string, unknown> {
  const started = progress.startMs !== undefined;
  // The new site's URL appears once restoring has started (it is not known while scheduling).
  const target = started ? restoredSite(artifact, context.tenant.seed) : undefined;
  const unit = context.tenant.seed.siteByIdOrUrl(artifact.siteId);
  const view: Record<string, unknown> = {
    id: artifact.id,
    destinationType: artifact.destinationType,
    status: evolvable(progress.status, context),
    startDateTime: progress.startMs === undefined ? null : iso(progress.startMs),
    completionDateTime: progress.endMs === undefined ? null : iso(progress.endMs),
    restoredSiteId: target?.id ?? null,
    restoredSiteName: target?.name ?? null,
    restoredSiteWebUrl: target?.webUrl ?? null,
    restorePoint: {
      id: artifact.restorePointId,
      protectionDateTime: iso(artifact.protectionMs),
      expirationDateTime: iso(artifact.protectionMs + RETENTION_MS),
      // The restore point names its site's protection unit, so a client can count restores per site.
      ...(unit
        ? { protectionUnit: { "@odata.type": "#microsoft.graph.siteProtectionUnit", id: unit.protectionUnitId, siteId: unit.siteId } }
        : {}),
    },
  };
  if (progress.status === "failed")
    view.error = { code: "ArtifactCannotBeRestored", message: "The site could not be restored from this restore point." };
  return view;
}

/** A `restorePoint` with its protection unit, as search returns it. */
export function restorePointView(point: DerivedRestorePoint, policy: SeedPolicy): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.restorePoint",
    id: point.id,
    protectionDateTime: iso(point.protectionMs),
    expirationDateTime: iso(point.protectionMs + RETENTION_MS),
    tags: point.tags,
    protectionUnit: {
      "@odata.type": "#microsoft.graph.siteProtectionUnit",
      id: point.site.protectionUnitId,
      siteId: point.site.siteId,
      policyId: policy.id,
    },
  };
}

/** A site protection unit; `siteName` and `siteWebUrl` only for delegated callers, as Graph documents. */
export function protectionUnitView(site: TenantSite, policy: SeedPolicy, delegated: boolean): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.siteProtectionUnit",
    id: site.protectionUnitId,
    policyId: policy.id,
    status: "protected",
    createdDateTime: policy.createdDateTime,
    createdBy: identitySet(SEED_ADMIN),
    lastModifiedDateTime: policy.createdDateTime,
    lastModifiedBy: identitySet(SEED_ADMIN),
    siteId: site.siteId,
    ...(delegated ? { siteName: site.siteName, siteWebUrl: site.siteWebUrl } : {}),
  };
}

/** The admin app that set up the seeded policy. */
const SEED_ADMIN: AppIdentity = { id: "5b4c3d2e-1f0a-4b9c-8d7e-6f5a4b3c2d1e", displayName: "Contoso backup admin" };

/** A `sharePointProtectionPolicy`. */
export function policyView(policy: SeedPolicy, protectedUnits: number): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.sharePointProtectionPolicy",
    id: policy.id,
    displayName: policy.displayName,
    status: "active",
    isEnabled: true,
    retentionSettings: [{ period: "P365D" }],
    createdDateTime: policy.createdDateTime,
    createdBy: identitySet(SEED_ADMIN),
    lastModifiedDateTime: policy.createdDateTime,
    lastModifiedBy: identitySet(SEED_ADMIN),
    "siteProtectionUnits@odata.count": protectedUnits,
  };
}

/** A `siteRestoreArtifactsBulkAdditionRequest`; lists omit `siteWebUrls`, as documented. */
export function bulkRequestView(request: StoredBulkRequest, inList: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    "@odata.type": "#microsoft.graph.siteRestoreArtifactsBulkAdditionRequest",
    id: request.id,
    displayName: request.displayName ?? null,
    destinationType: request.destinationType,
    restorePointPreference: request.restorePointPreference,
    tags: request.tags ?? null,
    protectionTimePeriod: request.protectionTimePeriod ?? null,
    status: request.resolution?.status ?? "active",
    siteIds: request.siteIds,
    createdDateTime: request.createdDateTime,
    createdBy: identitySet(request.createdBy),
    lastModifiedDateTime: request.resolution?.at ?? request.lastModifiedDateTime,
    lastModifiedBy: identitySet(request.createdBy),
  };
  if (!inList) view.siteWebUrls = request.siteWebUrls;
  if (request.resolution && request.resolution.unresolved.length > 0) {
    view.error = {
      code: "BulkRestoreInvalidCreateRequestSiteUrl",
      message: `These sites could not be resolved to a restore point: ${request.resolution.unresolved.join(", ")}`,
    };
  }
  return view;
}
