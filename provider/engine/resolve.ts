/**
 * Resolves site entries (`{ siteWebUrl | siteId, pointInTime?, ... }`) to restore points, on the
 * engine side and before any session exists, so that a bad site fails create with nothing to clean up.
 *
 * The search returns at most five restore points per call in total, so units are searched five at a
 * time to get one result per unit; entries that ask for a different window or tag go in different calls.
 */
import type { GraphClient, RestorePointSearchRequest } from "../graph";
import type { RestorePoint, SiteProtectionUnit } from "../schemas/graph";
import {
  DEFAULT_RESTORE_POINT_PREFERENCE,
  isSiteArtifact,
  normalizeSiteUrl,
  type ArtifactInput,
  type SiteArtifactInput,
} from "../schemas/inputs";
import { chunks } from "./chunks";
import { SiteResolutionError } from "./site-resolution-error";
import type { ArtifactRequest } from "./state";

/** Restore points one search returns in total (documented), hence units per call for one result each. */
export const UNITS_PER_SEARCH = 5;

/** A site entry matched to its protection unit, for the guardrails that count restores per site. */
export interface ResolvedSite {
  label: string;
  protectionUnitId: string;
  siteId?: string;
}

/** The stored requests in input order, and the sites that were looked up. */
export interface Resolution {
  requests: ArtifactRequest[];
  sites: ResolvedSite[];
}

/**
 * Turns every entry into a stored request with its restore point id, keeping the input order.
 * Entries that already give a restore point id pass through without a Graph call.
 */
export async function resolveArtifacts(graph: GraphClient, entries: readonly ArtifactInput[], now: () => Date): Promise<Resolution> {
  const sites = entries.flatMap((entry, index) => (isSiteArtifact(entry) ? [{ entry, index }] : []));
  const resolved = new Map<number, ArtifactRequest>();
  const resolvedSites: ResolvedSite[] = [];
  if (sites.length > 0) {
    const units = await graph.listSiteProtectionUnits();
    const matched = sites.map(({ entry, index }) => ({ entry, index, unit: matchUnit(units, entry) }));
    const searchedAt = now().toISOString();
    for (const group of groupBySearch(matched).values()) {
      for (const batch of chunks(group, UNITS_PER_SEARCH)) {
        const request = searchRequest(
          batch[0]!.entry,
          searchedAt,
          batch.map((m) => m.unit.id),
        );
        const response = await graph.searchRestorePoints(request);
        for (const { entry, index, unit } of batch) {
          const point = pick(
            response.searchResults.map((r) => r.restorePoint).filter((p) => p.protectionUnit?.id === unit.id),
            entry,
          );
          if (!point) throw new SiteResolutionError(siteName(entry), `has no restore point ${windowText(entry)}`);
          resolved.set(index, { ...requestFields(entry), restorePointId: point.id, protectionDateTime: point.protectionDateTime });
          resolvedSites.push({ label: siteName(entry), protectionUnitId: unit.id, siteId: unit.siteId ?? point.protectionUnit?.siteId });
        }
      }
    }
  }
  const requests = entries.map((entry, index) => (isSiteArtifact(entry) ? resolved.get(index)! : { restorePointId: entry.restorePointId }));
  assertDistinct(requests);
  return { requests, sites: resolvedSites };
}

/**
 * A unit given fewer than five per call may get several points back: take the newest for `latest`,
 * the oldest for `oldest`, whatever order they come in.
 */
function pick(points: readonly RestorePoint[], entry: SiteArtifactInput): RestorePoint | undefined {
  const time = (p: RestorePoint) => Date.parse(p.protectionDateTime ?? "");
  const oldest = entry.restorePointPreference === "oldest";
  return [...points].filter((p) => !Number.isNaN(time(p))).sort((a, b) => (oldest ? time(a) - time(b) : time(b) - time(a)))[0] ?? points[0];
}

/** The request fields a site entry stores, so diff can compare requests rather than resolutions. */
function requestFields(entry: SiteArtifactInput): Omit<ArtifactRequest, "restorePointId"> {
  return {
    siteWebUrl: entry.siteWebUrl,
    siteId: entry.siteId,
    requestedPointInTime: entry.pointInTime,
    restorePointPreference: entry.restorePointPreference,
    fastRestoreOnly: entry.fastRestoreOnly,
  };
}

function matchUnit(units: readonly SiteProtectionUnit[], entry: SiteArtifactInput): SiteProtectionUnit {
  const unit =
    entry.siteId !== undefined
      ? units.find((u) => u.siteId?.toLowerCase() === entry.siteId!.toLowerCase())
      : units.find((u) => u.siteWebUrl !== undefined && normalizeSiteUrl(u.siteWebUrl) === normalizeSiteUrl(entry.siteWebUrl!));
  if (!unit) {
    // Graph returns siteWebUrl on protection units only to delegated callers; an app cannot match URLs.
    if (entry.siteWebUrl !== undefined && units.length > 0 && units.every((u) => u.siteWebUrl === undefined)) {
      throw new SiteResolutionError(
        siteName(entry),
        "cannot be matched by URL: Microsoft Graph returns siteWebUrl on site protection units only with delegated permissions; name the site by siteId instead (or sign in as a user)",
      );
    }
    throw new SiteResolutionError(
      siteName(entry),
      "is not protected: no site protection unit covers it; add it to a SharePoint protection policy first",
    );
  }
  if (unit.status !== undefined && unit.status !== "protected") {
    throw new SiteResolutionError(siteName(entry), `is not protected: its protection unit ${unit.id} has status ${unit.status}`);
  }
  return unit;
}

/** Entries that can share a search call: same window, preference and tag. */
function groupBySearch<T extends { entry: SiteArtifactInput }>(matched: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const m of matched) {
    const key = `${m.entry.pointInTime ?? ""}|${m.entry.restorePointPreference ?? DEFAULT_RESTORE_POINT_PREFERENCE}|${m.entry.fastRestoreOnly === true}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return groups;
}

/**
 * `latest`: the newest point at or before pointInTime (default now). `oldest`: the oldest point at
 * or after pointInTime; without one, the oldest point the service still keeps.
 */
function searchRequest(entry: SiteArtifactInput, now: string, protectionUnitIds: string[]): RestorePointSearchRequest {
  const preference = entry.restorePointPreference ?? DEFAULT_RESTORE_POINT_PREFERENCE;
  const window =
    preference === "latest"
      ? { end: entry.pointInTime ?? now }
      : entry.pointInTime !== undefined
        ? { start: entry.pointInTime, end: now }
        : { end: now };
  return { protectionUnitIds, ...window, preference, ...(entry.fastRestoreOnly ? { fastRestoreOnly: true } : {}) };
}

function windowText(entry: SiteArtifactInput): string {
  const preference = entry.restorePointPreference ?? DEFAULT_RESTORE_POINT_PREFERENCE;
  const tag = entry.fastRestoreOnly ? "fast-restore " : "";
  if (entry.pointInTime === undefined)
    return preference === "latest" ? `(no ${tag}restore point before now)` : `(no ${tag}restore point at all)`;
  return preference === "latest"
    ? `at or before ${entry.pointInTime}${tag ? " tagged fastRestore" : ""}`
    : `at or after ${entry.pointInTime}${tag ? " tagged fastRestore" : ""}`;
}

function siteName(entry: SiteArtifactInput): string {
  return entry.siteWebUrl ?? `siteId ${entry.siteId}`;
}

/** Two entries on the same restore point would make Graph reject the whole request; say which. */
export function assertDistinct(requests: readonly ArtifactRequest[]): void {
  const seen = new Map<string, ArtifactRequest>();
  for (const request of requests) {
    const first = seen.get(request.restorePointId);
    if (first) {
      const name = (r: ArtifactRequest) =>
        r.siteWebUrl ?? (r.siteId !== undefined ? `siteId ${r.siteId}` : `restore point ${r.restorePointId}`);
      throw new SiteResolutionError(
        name(request),
        `resolves to restore point ${request.restorePointId}, which ${name(first)} already uses; a session restores each site once`,
      );
    }
    seen.set(request.restorePointId, request);
  }
}
