/**
 * Microsoft's guidance: at most two test restores of a site (OneDrive, mailbox) per calendar month.
 * A drill is a test restore, so before creating one the provider counts this month's restores per
 * protection unit from the tenant's sessions and warns (it never blocks: the limit is guidance).
 *
 * Graph's documented artifacts list names each artifact's restore point but not its protection
 * unit, so each restore point is attributed with `GET restorePoints/{id}?$expand=protectionUnit`,
 * at most `MAX_LOOKUPS` per drill and cached for the host process. A restore that cannot be
 * attributed is reported, never silently ignored.
 */
import pLimit from "p-limit";
import type { GraphClient } from "../../graph";
import type { ListedRestoreSession } from "../../schemas/wire";
import { workloadOfODataType, type Workload } from "../../workloads";
import type { ResolvedUnit } from "./resolve";
import type { Log } from "./wait";

/** Test restores per object per calendar month that Microsoft recommends not to exceed. */
export const TEST_RESTORES_PER_MONTH = 2;

/** Restore-point lookups one drill may spend on attribution. */
export const MAX_LOOKUPS = 200;

const LOOKUP_CONCURRENCY = 8;

/** Restore point id -> protection unit id (or null when Graph could not say), for this host process. */
const attributed = new Map<string, string | null>();

/** Logs a warning for each unit restored twice this calendar month (UTC), and for restores it could not attribute. */
export async function warnAboutMonthlyTestRestores(
  graph: GraphClient,
  workload: Workload,
  units: readonly ResolvedUnit[],
  now: Date,
  log: Log,
): Promise<void> {
  if (units.length === 0) return;
  let counts: RestoreCounts;
  try {
    counts = await restoresThisMonth(graph, workload, new Set(units.map((u) => u.protectionUnitId.toLowerCase())), now);
  } catch (error) {
    // A guardrail that cannot look must not stop the drill; say so instead.
    log(
      `warning: could not count this month's restores per ${workload.noun.one} (${error instanceof Error ? error.message : String(error)})`,
    );
    return;
  }
  for (const unit of units) {
    const count = counts.perUnit.get(unit.protectionUnitId.toLowerCase()) ?? 0;
    if (count >= TEST_RESTORES_PER_MONTH) {
      log(
        `warning: ${unit.label} has already been restored ${count} times this calendar month; ` +
          `Microsoft recommends at most ${TEST_RESTORES_PER_MONTH} test restores per ${workload.noun.one} per month`,
      );
    }
  }
  if (counts.unattributed > 0) {
    log(
      `warning: could not tell which ${workload.noun.one} ${counts.unattributed} restore(s) of this month belong to ` +
        `(Graph did not name their protection unit${counts.overLimit ? `, or more than ${MAX_LOOKUPS} restore points would have to be looked up` : ""}); ` +
        `the monthly test-restore count may be low`,
    );
  }
}

interface RestoreCounts {
  /** Sessions activated this month that restored each unit (of the drill's units). */
  perUnit: Map<string, number>;
  /** Restored artifacts whose unit could not be told. */
  unattributed: number;
  overLimit: boolean;
}

async function restoresThisMonth(graph: GraphClient, workload: Workload, wanted: ReadonlySet<string>, now: Date): Promise<RestoreCounts> {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const sessions = (await graph.listRestoreSessions()).filter(
    (s) => sameWorkload(s, workload) && s.status !== "draft" && startedSince(s, monthStart),
  );
  const pointsBySession = new Map<string, string[]>();
  let withoutPoint = 0;
  for (const session of sessions) {
    const artifacts = await graph.listArtifacts(workload, session.id);
    // An artifact listed without its restore point cannot be attributed: it is counted as such.
    withoutPoint += artifacts.filter((a) => !a.restorePoint?.id).length;
    pointsBySession.set(
      session.id,
      artifacts.flatMap((a) => (a.restorePoint?.id ? [a.restorePoint.id] : [])),
    );
  }
  const unknown = [...new Set([...pointsBySession.values()].flat())].filter((id) => !attributed.has(id));
  const overLimit = unknown.length > MAX_LOOKUPS;
  const limit = pLimit(LOOKUP_CONCURRENCY);
  await Promise.all(
    unknown.slice(0, MAX_LOOKUPS).map((id) =>
      limit(async () => {
        const point = await graph.getRestorePoint(id);
        attributed.set(id, point?.protectionUnit?.id?.toLowerCase() ?? null);
      }),
    ),
  );
  const perUnit = new Map<string, number>();
  let unattributed = withoutPoint;
  for (const points of pointsBySession.values()) {
    const unitsOfSession = new Set<string>();
    for (const point of points) {
      const unit = attributed.get(point);
      if (unit === undefined || unit === null) unattributed++;
      else if (wanted.has(unit)) unitsOfSession.add(unit);
    }
    for (const unit of unitsOfSession) perUnit.set(unit, (perUnit.get(unit) ?? 0) + 1);
  }
  return { perUnit, unattributed, overLimit };
}

/** A session of this workload; one the list does not type is counted too (units never collide across workloads). */
function sameWorkload(session: ListedRestoreSession, workload: Workload): boolean {
  const of = workloadOfODataType(session["@odata.type"]);
  return of === undefined || of.name === workload.name;
}

/** Graph does not record activation; the last change of an activated session is at or after it. */
function startedSince(session: ListedRestoreSession, monthStart: number): boolean {
  const when = session.lastModifiedDateTime ?? session.createdDateTime;
  return when !== undefined && Date.parse(when) >= monthStart;
}
