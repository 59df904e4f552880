/**
 * Resolving a session's bulk addition requests when it is activated: each name (site URL, user or
 * mailbox email) is looked up in the directory by an index, then its restore point is chosen in
 * the request's period with its preference and tag. Unresolved names go into the request's `error`.
 */
import type { RouteContext } from "../context";
import { GraphHttpError } from "../errors";
import { newGuid } from "../ids";
import type { StoredArtifact, StoredBulkRequest, StoredSession } from "../store";
import { restorePointsOfObject } from "../tenant/units";

/** What activation would do with the bulk requests; nothing changes until `apply()`. */
export interface BulkResolution {
  artifacts: StoredArtifact[];
  outcomes: { request: StoredBulkRequest; unresolved: string[] }[];
  /** Adds the artifacts to the session and records each request's outcome. */
  apply(): void;
}

/** Resolves a draft session's bulk requests against the tenant now. */
export function resolveBulkRequests(session: StoredSession, context: RouteContext): BulkResolution {
  const artifacts: StoredArtifact[] = [];
  const taken = new Set(session.artifacts.map((a) => a.key.toLowerCase()));
  const now = new Date(context.nowMs).toISOString();
  const outcomes = session.bulkRequests.map((request) => {
    const unresolved: string[] = [];
    for (const name of request.names) {
      const object = context.tenant.directory.byObjectName(session.workload, name);
      const point = object
        ? restorePointsOfObject(context.tenant, session.workload, object.key, {
            nowMs: context.nowMs,
            order: request.restorePointPreference,
            limit: 1,
            fromMs: parseTime(request.protectionTimePeriod?.startDateTime),
            toMs: parseTime(request.protectionTimePeriod?.endDateTime),
            fastOnly: request.tags === "fastRestore",
          })[0]
        : undefined;
      if (!object || !point) {
        unresolved.push(name);
        continue;
      }
      // A name given twice is restored once.
      if (taken.has(object.key.toLowerCase())) continue;
      taken.add(object.key.toLowerCase());
      artifacts.push({
        id: newGuid(),
        restorePointId: point.id,
        protectionMs: point.protectionMs,
        protectionUnitId: point.unit.id,
        key: object.key,
        ...(session.workload === "sharePoint" ? { siteId: object.key } : {}),
        destinationType: request.destinationType,
        createdDateTime: now,
      });
    }
    return { request, unresolved };
  });
  return {
    artifacts,
    outcomes,
    apply() {
      session.artifacts.push(...artifacts);
      for (const { request, unresolved } of outcomes) {
        request.resolution = { status: unresolved.length === 0 ? "completed" : "completedWithErrors", unresolved, at: now };
      }
    },
  };
}

function parseTime(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new GraphHttpError(400, "BulkRestoreInvalidCreateRequest", `'${value}' is not a valid date and time.`);
  return ms;
}
