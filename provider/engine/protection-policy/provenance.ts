/**
 * Where a protection unit came from, and whether the program still asks for it.
 *
 * Graph v1.0 does not say why a unit is in a policy (`protectionSources` is beta), and a unit a
 * bulk job or a rule brought in looks like any other. The program is authoritative, so the engine
 * must tell those units apart from units added outside Pulumi. It infers it from Graph's own
 * clock (decision 0019): a rule or a bulk job works between its creation and the moment Graph
 * reports it done (`completed`/`completedWithErrors`, at its `lastModifiedDateTime`); a dynamic
 * rule never stops. A unit created inside such a window is that source's work. Where Graph shows a
 * unit's name (emails; site URLs for delegated callers), a bulk job claims only the units whose
 * names it was sent, and a declared name claims its unit outright.
 */
import { normalizeEmail, normalizeSiteUrl } from "../../schemas/inputs/common";
import type { ProtectionUnit } from "../../schemas/wire";
import type { Workload } from "../../workloads";
import { isDynamic, isHeldRule, unitKey, unitName, unitState, type BulkJobState, type RuleState, type UnitState } from "./state";

/** A rule or bulk job, and the window (Graph's clock) in which the units it brought in were created. */
export interface Source {
  id: string;
  fromMs: number;
  /** `Infinity` while the source still works (a dynamic rule always does). */
  toMs: number;
  /** A bulk job's names, normalized. */
  names?: ReadonlySet<string>;
}

/** What the program asks for, against which units are judged. */
export interface Claims {
  /** Unit keys (site ids, directory object ids), lower case. */
  ids: ReadonlySet<string>;
  /** Unit names (URLs, emails), normalized. */
  names: ReadonlySet<string>;
  /** Rules the program still asks for, by Graph id. */
  ruleIds: ReadonlySet<string>;
  /** This resource's bulk jobs: id → the names it was sent, normalized. */
  jobs: ReadonlyMap<string, ReadonlySet<string>>;
}

const DONE = ["completed", "completedWithErrors"];

/**
 * Whether a rule or bulk job was last seen still working, so that units it brought in since may be
 * missing from the state. One last seen done was seen (by a read) with what it had brought in.
 */
export function wasSeenWorking(source: { status?: string }): boolean {
  return !DONE.includes(source.status ?? "");
}

/** The windows of the held rules (any, also those added outside Pulumi) and of this resource's bulk jobs. */
export function sourcesOf(workload: Workload, rules: readonly RuleState[], jobs: readonly BulkJobState[]): Source[] {
  const window = (created: string | undefined, modified: string | undefined, open: boolean, status: string | undefined) => {
    const fromMs = Date.parse(created ?? "");
    if (Number.isNaN(fromMs)) return undefined;
    const toMs = open || !DONE.includes(status ?? "") ? Infinity : Date.parse(modified ?? "");
    return { fromMs, toMs: Number.isNaN(toMs) ? Infinity : toMs };
  };
  const sources: Source[] = [];
  for (const rule of rules.filter(isHeldRule)) {
    const w = window(rule.createdDateTime, rule.lastModifiedDateTime, isDynamic(rule), rule.status);
    if (w !== undefined) sources.push({ id: rule.id!, ...w });
  }
  for (const job of jobs) {
    const w = window(job.createdDateTime, job.lastModifiedDateTime, false, job.status);
    if (w !== undefined) sources.push({ id: job.id, ...w, names: new Set(job.names.map((n) => normalizeName(workload, n))) });
  }
  return sources;
}

/**
 * Listed units as stored, each with the sources that brought it in; with `claims`, units nothing
 * in the program asks for are marked `outOfBand`.
 */
export function attribute(workload: Workload, listed: readonly ProtectionUnit[], sources: readonly Source[], claims?: Claims): UnitState[] {
  return listed.map((unit) => {
    const created = Date.parse(unit.createdDateTime ?? "");
    const name = unitName(workload, unit);
    const addedBy = sources
      .filter((s) => created >= s.fromMs && created <= s.toMs)
      .filter((s) => s.names === undefined || name === undefined || s.names.has(normalizeName(workload, name)))
      .map((s) => s.id);
    const stored: UnitState = { ...unitState(unit), ...(addedBy.length > 0 ? { addedBy } : {}) };
    return claims !== undefined && unit.status !== "removeRequested" && !isClaimed(workload, stored, claims)
      ? { ...stored, outOfBand: true }
      : stored;
  });
}

/**
 * Whether the program asks for a unit: by its key, by its name (when Graph shows it), or through a
 * source it still asks for (a rule it keeps; a bulk job one of whose names it still lists).
 */
export function isClaimed(workload: Workload, unit: UnitState, claims: Claims): boolean {
  if (claims.ids.has(unitKey(workload, unit).toLowerCase())) return true;
  const name = unitName(workload, unit);
  const normalized = name === undefined ? undefined : normalizeName(workload, name);
  if (normalized !== undefined && claims.names.has(normalized)) return true;
  return (unit.addedBy ?? []).some((source) => {
    if (claims.ruleIds.has(source)) return true;
    const jobNames = claims.jobs.get(source);
    if (jobNames === undefined) return false;
    // A named unit is claimed by its own name (above); an unnamed one by any name its job still lists.
    return normalized === undefined && [...jobNames].some((n) => claims.names.has(n));
  });
}

/** A URL or email as compared: SharePoint URLs and emails are case-insensitive. */
export function normalizeName(workload: Workload, name: string): string {
  try {
    return workload.protectionUnit.nameKind === "url" ? normalizeSiteUrl(name) : normalizeEmail(name);
  } catch {
    return name.trim().toLowerCase();
  }
}
