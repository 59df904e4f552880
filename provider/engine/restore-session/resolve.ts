/**
 * Resolves entries that name a protected object (`{ siteId | siteWebUrl | directoryObjectId |
 * email, pointInTime?, ... }`) to restore points, on the engine side and before any session
 * exists, so that a bad name fails create with nothing to clean up.
 *
 * The searches themselves (five units per call, since a search returns at most five restore points
 * in all) are `graph/restore-point-search.ts`, shared with the program-side `getRestorePoints`.
 */
import type { GraphClient, RestorePointSearchRequest } from "../../graph";
import { searchEachUnit, type SearchCriteria } from "../../graph/restore-point-search";
import { DEFAULT_RESTORE_POINT_PREFERENCE, normalizeEmail, normalizeSiteUrl } from "../../schemas/inputs/common";
import { isUnitArtifact, type ArtifactInput, type UnitArtifactInput } from "../../schemas/inputs/restore-session";
import type { ProtectionUnit, RestorePoint } from "../../schemas/wire";
import type { Workload } from "../../workloads";
import { UnitResolutionError } from "../unit-resolution-error";
import type { ArtifactRequest } from "./state";

/** An entry matched to its protection unit, for the guardrails that count restores per object. */
export interface ResolvedUnit {
  label: string;
  protectionUnitId: string;
}

/** The stored requests in input order, and the units that were looked up. */
export interface Resolution {
  requests: ArtifactRequest[];
  units: ResolvedUnit[];
}

/** How to pick one restore point for one unit. */
export interface PointChoice {
  pointInTime?: string;
  restorePointPreference?: string;
  fastRestoreOnly?: boolean;
}

/**
 * Turns every entry into a stored request with its restore point id, keeping the input order.
 * Entries that already give a restore point id pass through without a Graph call.
 */
export async function resolveArtifacts(
  graph: GraphClient,
  workload: Workload,
  entries: readonly ArtifactInput[],
  now: () => Date,
): Promise<Resolution> {
  const named = entries.flatMap((entry, index) => (isUnitArtifact(entry) ? [{ entry, index }] : []));
  const resolved = new Map<number, ArtifactRequest>();
  const units: ResolvedUnit[] = [];
  if (named.length > 0) {
    const catalog = await graph.listProtectionUnits(workload);
    const matched = named.map(({ entry, index }) => ({ entry, index, unit: matchUnit(workload, catalog, entry) }));
    const points = await searchPoints(
      graph,
      matched.map(({ entry, unit }) => ({ choice: choiceOf(entry), unitId: unit.id, label: labelOf(workload, entry) })),
      now,
    );
    matched.forEach(({ entry, index, unit }, i) => {
      const point = points[i]!;
      resolved.set(index, { ...requestFields(entry), restorePointId: point.id, protectionDateTime: point.protectionDateTime });
      units.push({ label: labelOf(workload, entry), protectionUnitId: unit.id });
    });
  }
  const requests = entries.map((entry, index) => (isUnitArtifact(entry) ? resolved.get(index)! : { restorePointId: entry.restorePointId }));
  assertDistinct(workload, requests);
  return { requests, units };
}

/**
 * One restore point per `(unit, choice)`, in the order asked (searched as `searchEachUnit` does).
 * Throws `UnitResolutionError` naming the first unit without a point in its window.
 */
export async function searchPoints(
  graph: GraphClient,
  wanted: readonly { unitId: string; choice: PointChoice; label: string }[],
  now: () => Date,
): Promise<RestorePoint[]> {
  const searchedAt = now().toISOString();
  const found = await searchEachUnit(
    graph,
    wanted.map(({ unitId, choice }) => ({ unitId, criteria: searchCriteria(choice, searchedAt) })),
  );
  return wanted.map(({ choice, label }, index) => {
    const point = found[index];
    if (!point) throw new UnitResolutionError(label, `has no restore point ${windowText(choice)}`);
    return point;
  });
}

/** The request fields a named entry stores, so diff can compare requests rather than resolutions. */
function requestFields(entry: UnitArtifactInput): Omit<ArtifactRequest, "restorePointId"> {
  return {
    siteWebUrl: entry.siteWebUrl,
    siteId: entry.siteId,
    directoryObjectId: entry.directoryObjectId,
    email: entry.email,
    requestedPointInTime: entry.pointInTime,
    restorePointPreference: entry.restorePointPreference,
    fastRestoreOnly: entry.fastRestoreOnly,
  };
}

function choiceOf(entry: UnitArtifactInput): PointChoice {
  return { pointInTime: entry.pointInTime, restorePointPreference: entry.restorePointPreference, fastRestoreOnly: entry.fastRestoreOnly };
}

/** Finds the protected unit an entry names, by the workload's key (site id, directory object id) or name (URL, email). */
export function matchUnit(
  workload: Workload,
  units: readonly ProtectionUnit[],
  entry: Pick<UnitArtifactInput, "siteId" | "siteWebUrl" | "directoryObjectId" | "email">,
): ProtectionUnit {
  const { key, name, nameKind } = workload.protectionUnit;
  const label = labelOf(workload, entry);
  const byKey = entry[key];
  const byName = entry[name];
  const unit =
    byKey !== undefined
      ? units.find((u) => u[key]?.toLowerCase() === byKey.toLowerCase())
      : units.find((u) => u[name] !== undefined && sameName(nameKind, u[name]!, byName!));
  if (!unit) {
    // Graph returns site URLs to delegated callers only, and may not return emails to applications.
    if (byName !== undefined && units.length > 0 && units.every((u) => u[name] === undefined)) {
      const why =
        workload.protectionUnit.nameForApplications === "never"
          ? `Microsoft Graph returns ${name} on ${unitWords(workload, true)} only with delegated permissions`
          : `Microsoft Graph did not return ${name} on ${unitWords(workload, true)} to this caller (it may withhold it from applications)`;
      throw new UnitResolutionError(
        label,
        `cannot be matched by ${nameKind === "url" ? "URL" : "email"}: ${why}; name it by ${key} instead, use bulkRestore (the service resolves names), or sign in as a user`,
      );
    }
    throw new UnitResolutionError(
      label,
      `is not protected: no ${unitWords(workload)} covers it; add it to the tenant's ${workload.title} protection policy first`,
    );
  }
  if (unit.status !== undefined && unit.status !== "protected") {
    throw new UnitResolutionError(label, `is not protected: its protection unit ${unit.id} has status ${unit.status}`);
  }
  return unit;
}

function sameName(kind: "url" | "email", a: string, b: string): boolean {
  try {
    return kind === "url" ? normalizeSiteUrl(a) === normalizeSiteUrl(b) : normalizeEmail(a) === normalizeEmail(b);
  } catch {
    return false;
  }
}

/** The search of one batch of units for a choice (item-level restores search one mailbox each). */
export function searchRequest(choice: PointChoice, now: string, protectionUnitIds: string[]): RestorePointSearchRequest {
  return { protectionUnitIds, ...searchCriteria(choice, now) };
}

/**
 * `latest`: the newest point at or before pointInTime (default now). `oldest`: the oldest point at
 * or after pointInTime; without one, the oldest point the service still keeps.
 */
function searchCriteria(choice: PointChoice, now: string): SearchCriteria {
  const preference = (choice.restorePointPreference ?? DEFAULT_RESTORE_POINT_PREFERENCE) as "latest" | "oldest";
  const window =
    preference === "latest"
      ? { end: choice.pointInTime ?? now }
      : choice.pointInTime !== undefined
        ? { start: choice.pointInTime, end: now }
        : { end: now };
  return { ...window, preference, ...(choice.fastRestoreOnly ? { fastRestoreOnly: true } : {}) };
}

function windowText(choice: PointChoice): string {
  const preference = choice.restorePointPreference ?? DEFAULT_RESTORE_POINT_PREFERENCE;
  const tag = choice.fastRestoreOnly ? "fast-restore " : "";
  if (choice.pointInTime === undefined)
    return preference === "latest" ? `(no ${tag}restore point before now)` : `(no ${tag}restore point at all)`;
  return preference === "latest"
    ? `at or before ${choice.pointInTime}${tag ? " tagged fastRestore" : ""}`
    : `at or after ${choice.pointInTime}${tag ? " tagged fastRestore" : ""}`;
}

/** How an entry is named in messages: `site https://...`, `OneDrive adele@contoso.com`, `mailbox <id>`. */
export function labelOf(
  workload: Workload,
  entry: Partial<Pick<ArtifactRequest, "siteId" | "siteWebUrl" | "directoryObjectId" | "email" | "restorePointId">>,
): string {
  const { key, name } = workload.protectionUnit;
  if (entry[name] !== undefined) return `${workload.noun.one} ${entry[name]}`;
  if (entry[key] !== undefined) return `${workload.noun.one} ${key} ${entry[key]}`;
  return `restore point ${entry.restorePointId}`;
}

/** "site protection unit", from the collection name `siteProtectionUnits`. */
function unitWords(workload: Workload, plural = false): string {
  const words = workload.protectionUnit.collection.replace(/([A-Z])/g, " $1").toLowerCase();
  return plural ? words : words.replace(/s$/, "");
}

/** Two entries on the same restore point would make Graph reject the whole request; say which. */
export function assertDistinct(workload: Workload, requests: readonly ArtifactRequest[]): void {
  const seen = new Map<string, ArtifactRequest>();
  for (const request of requests) {
    const first = seen.get(request.restorePointId);
    if (first) {
      throw new UnitResolutionError(
        labelOf(workload, request),
        `resolves to restore point ${request.restorePointId}, which ${labelOf(workload, first)} already uses; a session restores each ${workload.noun.one} once`,
      );
    }
    seen.set(request.restorePointId, request);
  }
}
