/**
 * The sites, users and mailboxes a command names (`--site`, `--user`, `--mailbox`), matched to their
 * protection units by the same rules as a restore session's entries named by site or user.
 */
import type { GraphClient } from "../provider/graph";
import { labelOf, matchUnit } from "../provider/engine/restore-session/resolve";
import type { ProtectionUnit } from "../provider/schemas/wire";
import { EXCHANGE, ONEDRIVE, SHAREPOINT, type Workload } from "../provider/workloads";

/** One object as the command line names it. */
export interface Target {
  workload: Workload;
  /** The URL, email or id as given. */
  given: string;
}

/** A target and its protection unit. */
export interface ResolvedTarget extends Target {
  unitId: string;
  /** How messages name it: `site https://...`, `OneDrive adele@contoso.com`. */
  label: string;
}

/** The options that name objects, and the workload each names. */
export const TARGET_OPTIONS = [
  { flag: "site", placeholder: "url|id", workload: SHAREPOINT },
  { flag: "user", placeholder: "email|id", workload: ONEDRIVE },
  { flag: "mailbox", placeholder: "email|id", workload: EXCHANGE },
] as const;

/** The targets in the options, in option order then command-line order. */
export function targetsOf(options: Record<string, unknown>): Target[] {
  return TARGET_OPTIONS.flatMap(({ flag, workload }) =>
    ((options[flag] as string[] | undefined) ?? []).map((given) => ({ workload, given })),
  );
}

/**
 * Matches each target to a protected unit, listing each workload's units once. A value is a
 * protection unit id (taken as it is, whatever its status), the workload's key (site id, directory
 * object id) or its name (URL, email), matched as a restore session's entry is.
 */
export async function resolveTargets(graph: GraphClient, targets: readonly Target[]): Promise<ResolvedTarget[]> {
  const workloads = [...new Set(targets.map((t) => t.workload))];
  const catalogs = new Map<Workload, ProtectionUnit[]>(
    await Promise.all(workloads.map(async (w) => [w, await graph.listProtectionUnits(w)] as const)),
  );
  return targets.map(({ workload, given }) => {
    const units = catalogs.get(workload)!;
    const entry = entryFor(workload, given);
    const byUnitId = units.find((unit) => unit.id.toLowerCase() === given.toLowerCase());
    if (byUnitId !== undefined) return { workload, given, unitId: byUnitId.id, label: `${workload.noun.one} protection unit ${given}` };
    return { workload, given, unitId: matchUnit(workload, units, entry).id, label: labelOf(workload, entry) };
  });
}

/** A value as a restore-session entry: by name when it looks like a URL or an email, else by key. */
function entryFor(workload: Workload, given: string): Record<string, string> {
  const { key, name, nameKind } = workload.protectionUnit;
  const isName = nameKind === "url" ? /^https?:\/\//i.test(given) : given.includes("@");
  return { [isName ? name : key]: given };
}
