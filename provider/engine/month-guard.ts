/**
 * Microsoft's guidance: at most two test restores of a site per calendar month. A drill is a test
 * restore, so before creating one the provider counts this month's restores per site from the
 * tenant's existing sessions and warns (it never blocks: the limit is guidance, not enforced).
 */
import type { GraphClient } from "../graph";
import type { ListedRestoreSession } from "../graph/client";
import type { ResolvedSite } from "./resolve";
import type { Log } from "./wait";

/** Test restores per site per calendar month that Microsoft recommends not to exceed. */
export const TEST_RESTORES_PER_MONTH = 2;

/** Logs a warning for each site that has already been restored twice this calendar month (UTC). */
export async function warnAboutMonthlyTestRestores(graph: GraphClient, sites: readonly ResolvedSite[], now: Date, log: Log): Promise<void> {
  if (sites.length === 0) return;
  let counts: Map<string, number>;
  try {
    counts = await restoresThisMonth(graph, now);
  } catch (error) {
    // A guardrail that cannot look must not stop the drill; say so instead.
    log(`warning: could not count this month's restores per site (${error instanceof Error ? error.message : String(error)})`);
    return;
  }
  for (const site of sites) {
    const count = Math.max(
      counts.get(`unit:${site.protectionUnitId}`) ?? 0,
      site.siteId ? (counts.get(`site:${site.siteId.toLowerCase()}`) ?? 0) : 0,
    );
    if (count >= TEST_RESTORES_PER_MONTH) {
      log(
        `warning: site ${site.label} has already been restored ${count} times this calendar month; ` +
          `Microsoft recommends at most ${TEST_RESTORES_PER_MONTH} test restores per site per month`,
      );
    }
  }
}

/** Restores per protection unit and per site id, over SharePoint sessions activated this month. */
async function restoresThisMonth(graph: GraphClient, now: Date): Promise<Map<string, number>> {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const sessions = (await graph.listRestoreSessions()).filter(
    (s) => isSharePoint(s) && s.status !== "draft" && startedSince(s, monthStart),
  );
  const counts = new Map<string, number>();
  for (const session of sessions) {
    const keys = new Set<string>();
    for (const artifact of await graph.listArtifacts(session.id)) {
      const unit = artifact.restorePoint?.protectionUnit;
      if (unit?.id) keys.add(`unit:${unit.id}`);
      if (unit?.siteId) keys.add(`site:${unit.siteId.toLowerCase()}`);
    }
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function isSharePoint(session: ListedRestoreSession): boolean {
  return session["@odata.type"] === undefined || session["@odata.type"].toLowerCase().includes("sharepointrestoresession");
}

/** Graph does not record activation; the last change of an activated session is at or after it. */
function startedSince(session: ListedRestoreSession, monthStart: number): boolean {
  const when = session.lastModifiedDateTime ?? session.createdDateTime;
  return when !== undefined && Date.parse(when) >= monthStart;
}
