/**
 * The Graph side of the lookups: protection units with filters, one restore point per unit, the
 * service status. No Pulumi here, and it loads the Graph client's modules: the program-side
 * functions require it on their first call, the finder CLI imports it.
 *
 * Each lookup checks its arguments before any request (programs in JavaScript pass anything), and
 * every message starts with the caller's name (`getRestorePoints`, `m365-backup restore-points`).
 */
import type { GraphClient } from "../graph";
import { isGraphRequestError } from "../graph/graph-request-error";
import { searchEachUnit } from "../graph/restore-point-search";
import type { ProtectionUnit } from "../schemas/wire";
import type { Workload } from "../workloads";
import { LookupArgumentError } from "./lookup-argument-error";
import type { BackupServiceStatus, GetRestorePointsArgs, GetRestorePointsResult, ProtectionUnitBase, ProtectionUnitFilters } from "./types";

/** A protection-unit lookup's arguments: the shared filters and the workload's name filter (`siteWebUrlContains`, `emailContains`). */
export type UnitLookupArgs = ProtectionUnitFilters & Record<string, unknown>;

/** The name filter's argument for a workload: `siteWebUrlContains`, `emailContains`. */
export function nameFilterOf(workload: Workload): string {
  return `${workload.protectionUnit.name}Contains`;
}

/**
 * Every protection unit of a workload (all pages; one policy's when `policyId` is given) that passes
 * the filters, as Graph sent it.
 */
export async function listProtectionUnits(
  graph: GraphClient,
  workload: Workload,
  args: UnitLookupArgs,
  caller: string,
): Promise<ProtectionUnitBase[]> {
  const nameFilter = nameFilterOf(workload);
  expectKnown(args, ["policyId", "status", nameFilter], caller);
  const policyId = optionalText(args, "policyId", caller);
  const status = optionalText(args, "status", caller);
  const contains = optionalText(args, nameFilter, caller);
  const units = await (policyId === undefined ? graph.listProtectionUnits(workload) : graph.listPolicyUnits(workload, policyId)).catch(
    (error: unknown) => {
      if (isGraphRequestError(error) && error.status === 404 && policyId !== undefined)
        throw error.withNote(`${caller}: no ${workload.title} protection policy has the id ${policyId}`);
      throw error;
    },
  );
  const { name } = workload.protectionUnit;
  if (contains !== undefined && units.length > 0 && units.every((unit) => unit[name] === undefined)) {
    throw new LookupArgumentError(nameFilter, `${caller}: cannot filter by ${nameFilter}: ${withheldNames(workload)}`);
  }
  return units
    .filter((unit) => status === undefined || unit.status?.toLowerCase() === status.toLowerCase())
    .filter((unit) => contains === undefined || (unit[name]?.toLowerCase().includes(contains.toLowerCase()) ?? false))
    .map(publicUnit);
}

/** Why a unit list carries no names, in words a person can act on. */
export function withheldNames(workload: Workload): string {
  const { name, key, nameForApplications } = workload.protectionUnit;
  const units = workload.protectionUnit.collection;
  return nameForApplications === "never"
    ? `Microsoft Graph returns ${name} on ${units} only with delegated permissions (a signed-in user), and this caller got none; use ${key} instead, or sign in as a user`
    : `Microsoft Graph returned no ${name} on ${units} to this caller (it may withhold it from applications); use ${key} instead, or sign in as a user`;
}

/**
 * One restore point per unit (the newest in the window, or the oldest), for any number of units:
 * five units per search, because a search returns at most five restore points in all.
 */
export async function findRestorePoints(
  graph: GraphClient,
  args: GetRestorePointsArgs,
  caller: string,
  now: () => Date = () => new Date(),
): Promise<GetRestorePointsResult> {
  expectKnown(args, ["protectionUnitIds", "startDateTime", "endDateTime", "restorePointPreference", "fastRestoreOnly"], caller);
  const unitIds = unitIdsOf(args, caller);
  const start = optionalTime(args, "startDateTime", caller);
  const end = optionalTime(args, "endDateTime", caller);
  if (start !== undefined && end !== undefined && Date.parse(start) > Date.parse(end)) {
    throw new LookupArgumentError("startDateTime", `${caller}: startDateTime ${start} is after endDateTime ${end}`);
  }
  const preference = args.restorePointPreference ?? "latest";
  if (preference !== "latest" && preference !== "oldest") {
    throw new LookupArgumentError(
      "restorePointPreference",
      `${caller}: restorePointPreference must be "latest" or "oldest", got ${JSON.stringify(preference)}`,
    );
  }
  if (args.fastRestoreOnly !== undefined && typeof args.fastRestoreOnly !== "boolean") {
    throw new LookupArgumentError(
      "fastRestoreOnly",
      `${caller}: fastRestoreOnly must be true or false, got ${JSON.stringify(args.fastRestoreOnly)}`,
    );
  }
  // The search documents its window as required: without an end, the window ends now.
  const criteria = {
    ...(start !== undefined ? { start } : {}),
    end: end ?? now().toISOString(),
    preference,
    ...(args.fastRestoreOnly === true ? { fastRestoreOnly: true } : {}),
  };
  const points = await searchEachUnit(
    graph,
    unitIds.map((unitId) => ({ unitId, criteria })),
  );
  const result: GetRestorePointsResult = { restorePoints: [], noResultProtectionUnitIds: [] };
  unitIds.forEach((unitId, index) => {
    const point = points[index];
    if (point === undefined) {
      result.noResultProtectionUnitIds.push(unitId);
      return;
    }
    const { protectionUnit: _unit, ...fields } = point;
    result.restorePoints.push(withoutUndefined({ ...fields, protectionUnitId: unitId }));
  });
  return result;
}

/** The tenant's Backup Storage status. */
export async function readServiceStatus(graph: GraphClient, caller: string): Promise<BackupServiceStatus> {
  const status = await graph.getServiceStatus();
  if (status === undefined) throw new Error(`${caller}: Microsoft Graph returned no serviceStatus (GET /solutions/backupRestore)`);
  return withoutUndefined(status);
}

function publicUnit(unit: ProtectionUnit): ProtectionUnitBase {
  const { "@odata.type": _type, ...fields } = unit;
  return withoutUndefined(fields);
}

/** Drops absent fields, so results compare and print as Graph sent them. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function expectKnown(args: object, known: string[], caller: string): void {
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new LookupArgumentError("args", `${caller}: arguments must be an object, got ${JSON.stringify(args)}`);
  }
  const unknown = Object.keys(args).filter((key) => !known.includes(key) && (args as Record<string, unknown>)[key] !== undefined);
  if (unknown.length > 0) {
    throw new LookupArgumentError(unknown[0]!, `${caller}: unknown argument ${unknown[0]} (it takes ${known.join(", ")})`);
  }
}

function optionalText(args: object, key: string, caller: string): string | undefined {
  const value = (args as Record<string, unknown>)[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new LookupArgumentError(key, `${caller}: ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalTime(args: object, key: string, caller: string): string | undefined {
  const value = optionalText(args, key, caller);
  if (value !== undefined && !isIsoTime(value)) {
    throw new LookupArgumentError(
      key,
      `${caller}: ${key} must be an ISO 8601 date and time such as 2026-11-20T08:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** An ISO 8601 date and time with a zone, as Graph's `DateTimeOffset` takes it. */
export function isIsoTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** The distinct unit ids, in the order given. */
function unitIdsOf(args: GetRestorePointsArgs, caller: string): string[] {
  const ids: unknown = args.protectionUnitIds;
  if (!Array.isArray(ids)) {
    throw new LookupArgumentError(
      "protectionUnitIds",
      `${caller}: protectionUnitIds must be a list of protection unit ids, got ${JSON.stringify(ids)}`,
    );
  }
  const seen = new Set<string>();
  const distinct: string[] = [];
  ids.forEach((id: unknown, index) => {
    if (typeof id !== "string" || id.trim() === "") {
      throw new LookupArgumentError(
        "protectionUnitIds",
        `${caller}: protectionUnitIds[${index}] must be a protection unit id, got ${JSON.stringify(id)}`,
      );
    }
    if (seen.has(id.toLowerCase())) return;
    seen.add(id.toLowerCase());
    distinct.push(id);
  });
  return distinct;
}
