/**
 * The restore-session calls, for every workload: sessions, their artifacts, bulk addition requests,
 * and what resolving objects to restore points reads (protection units, restore points, the
 * service status). Each write that is not safe to repeat reconciles before any retry.
 */
import type { Workload } from "../workloads";
import { LIMITS } from "../workloads";
import {
  backupRestoreRootSchema,
  bulkRequestSchema,
  deltaResultSchema,
  listedRestoreSessionSchema,
  protectionUnitSchema,
  restoreArtifactSchema,
  restorePointSchema,
  restorePointSearchResponseSchema,
  restoreSessionSchema,
  type DeltaResult,
  type GraphArtifact,
  type GraphBulkRequest,
  type GraphSession,
  type ListedRestoreSession,
  type ProtectionUnit,
  type RestorePoint,
  type RestorePointSearchResponse,
  type ServiceStatus,
} from "../schemas/wire";
import { GraphRequestError } from "./graph-request-error";
import { DeltaItemsFailedError, type DeltaItemFailure } from "./delta-items-failed-error";
import * as paths from "./paths";
import { restorePointIdOf, sameArtifacts, type Settlement } from "./reconcile";
import type { Answer } from "./requester";
import { deltaList, GraphCalls, requestedItem } from "./graph-calls";

/** One whole-object restore: which restore point, restored where. */
export type ArtifactSpec = { restorePointId: string; destinationType: "new" | "inPlace" };
/** One item-level mailbox restore: the restore point, and the search that picked the items. */
export type GranularArtifactSpec = ArtifactSpec & { searchResponseId: string };
/** One element of a delta PATCH: add an artifact, or remove one by its artifact id. */
export type ArtifactDelta = { add: ArtifactSpec } | { remove: string };
/** What a new session starts with: standard artifacts, granular ones, or nothing (the bulk flow). */
export type SessionContents = { artifacts: ArtifactSpec[] } | { granularArtifacts: GranularArtifactSpec[] } | { empty: true };

/** A restore-point search; at most 20 protection units per call. */
export interface RestorePointSearchRequest {
  protectionUnitIds: string[];
  start?: string;
  end?: string;
  preference?: "latest" | "oldest";
  fastRestoreOnly?: boolean;
  /** Item-level search in one mailbox: exactly one protection unit. */
  artifactQuery?: { queryExpression?: string; structuredQueryExpression?: Record<string, unknown>; artifactType: "message" };
}

/** A restore bulk addition request as sent (Graph's names for the fields). */
export interface BulkRequestBody {
  displayName: string;
  destinationType: "new" | "inPlace";
  /** The workload's names, under its `bulkNames` property. */
  names: string[];
  protectionTimePeriod?: { startDateTime?: string; endDateTime?: string };
  restorePointPreference?: "latest" | "oldest";
  fastRestoreOnly?: boolean;
}

/** Graph's refusal to change, activate or delete a session that is no longer a draft. */
export const NO_LONGER_DRAFT = "RestoreSessionActionNotAllowed";

/** Restore sessions, their artifacts and bulk requests; protection units, restore points and the service status. */
export abstract class SessionCalls extends GraphCalls {
  /** Sessions this client created or adopted; never adopted again for another create. */
  private readonly ownSessionIds = new Set<string>();

  /**
   * Creates a session exactly once. After an ambiguous failure it looks for the session the
   * attempt may have created (this application, the attempt's time window, still a draft, the same
   * artifacts) and adopts it; only when there is none does it post again.
   */
  async createSession(workload: Workload, contents: SessionContents): Promise<GraphSession> {
    const body = sessionBody(workload, contents);
    const collection = paths.sessionCollection(workload);
    const session = await this.createOnce<GraphSession>({
      what: `create of a ${workload.title} restore session`,
      noun: ["session", "sessions"],
      post: async (state) =>
        this.requester.parse(restoreSessionSchema, await this.requester.call("POST", { path: collection }, body, { state })),
      list: () => this.requester.list(restoreSessionSchema, collection),
      isThisOne: async (candidate) =>
        candidate.status === "draft" &&
        !this.ownSessionIds.has(candidate.id) &&
        (await this.holdsExactly(workload, candidate.id, contents)),
    });
    this.ownSessionIds.add(session.id);
    return session;
  }

  /** Whether a candidate session holds exactly what a create asked for (and, for the bulk flow, nothing yet). */
  private async holdsExactly(workload: Workload, id: string, contents: SessionContents): Promise<boolean> {
    if ("granularArtifacts" in contents)
      return sameArtifacts(await this.listArtifacts(workload, id, { granular: true }), contents.granularArtifacts);
    const listed = await this.listArtifacts(workload, id);
    if ("empty" in contents) return listed.length === 0 && (await this.listBulkRequests(workload, id)).length === 0;
    return sameArtifacts(listed, contents.artifacts);
  }

  getSession(id: string): Promise<GraphSession | undefined> {
    return this.requester.get(restoreSessionSchema, paths.restoreSessionPath(id));
  }

  listRestoreSessions(): Promise<ListedRestoreSession[]> {
    return this.requester.list(listedRestoreSessionSchema, paths.RESTORE_SESSIONS);
  }

  listArtifacts(workload: Workload, sessionId: string, options: { granular?: boolean } = {}): Promise<GraphArtifact[]> {
    return this.requester.list(restoreArtifactSchema, paths.artifactsPath(workload, sessionId, options.granular));
  }

  /**
   * Applies a delta of at most 50 items. After an ambiguous failure it lists the artifacts: all of
   * the delta present means done, none of it means send again, part of it is reported as such.
   */
  async patchArtifacts(workload: Workload, sessionId: string, delta: ArtifactDelta[]): Promise<DeltaResult[]> {
    if (delta.length > LIMITS.artifactsPerRequest) {
      throw new RangeError(
        `patchArtifacts takes at most ${LIMITS.artifactsPerRequest} delta items per call (Graph's limit), got ${delta.length}; send them in batches`,
      );
    }
    if (delta.length === 0) return [];
    const property = `${workload.restoreSession.artifacts}@delta`;
    const body = { [property]: delta.map(deltaToWire) };
    return this.once<DeltaResult[]>({
      what: `update of restore session ${sessionId}`,
      send: async () =>
        this.deltaResults(await this.requester.call("PATCH", { path: paths.sessionPath(workload, sessionId) }, body), delta, property),
      settle: async () => deltaSettlement(delta, await this.listArtifacts(workload, sessionId)),
    });
  }

  /**
   * Activates a draft. After an ambiguous failure it reads the session: activated means done, draft
   * means try again. A refusal because the session is no longer a draft is read the same way: an
   * earlier activation whose answer was lost (a killed host) did it, and that is what was asked.
   */
  async activateSession(id: string): Promise<GraphSession> {
    const judge = async (): Promise<Settlement<GraphSession>> => {
      const session = await this.getSession(id);
      if (session === undefined) return { kind: "unknown", note: "the session is gone" };
      return session.status !== "draft" ? { kind: "applied", result: session } : { kind: "notApplied" };
    };
    try {
      return await this.once<GraphSession>({
        what: `activation of restore session ${id}`,
        send: async () => this.requester.parse(restoreSessionSchema, await this.requester.call("POST", { path: paths.activatePath(id) })),
        settle: judge,
      });
    } catch (error) {
      if (!(error instanceof GraphRequestError && error.code === NO_LONGER_DRAFT)) throw error;
      const settled = await judge().catch(() => undefined);
      if (settled?.kind !== "applied") throw error;
      this.log(`restore session ${id} was already activated (status ${settled.result.status}); taking that as the activation asked for`);
      return settled.result;
    }
  }

  async deleteSession(id: string): Promise<"deleted" | "notFound"> {
    return this.remove(paths.restoreSessionPath(id));
  }

  /**
   * Posts the session's one bulk request. After an ambiguous failure it lists the session's
   * requests: Graph allows one per session, so any request there is this one.
   */
  async createBulkRequest(workload: Workload, sessionId: string, body: BulkRequestBody): Promise<GraphBulkRequest> {
    const path = paths.bulkRequestsPath(workload, sessionId);
    return this.once<GraphBulkRequest>({
      what: `bulk request of restore session ${sessionId}`,
      send: async () => this.requester.parse(bulkRequestSchema, await this.requester.call("POST", { path }, bulkBody(workload, body))),
      settle: async () => {
        const listed = await this.listBulkRequests(workload, sessionId);
        return listed.length === 0 ? { kind: "notApplied" } : { kind: "applied", result: listed[0]! };
      },
    });
  }

  listBulkRequests(workload: Workload, sessionId: string): Promise<GraphBulkRequest[]> {
    return this.requester.list(bulkRequestSchema, paths.bulkRequestsPath(workload, sessionId));
  }

  deleteBulkRequest(workload: Workload, sessionId: string, requestId: string): Promise<"deleted" | "notFound"> {
    return this.remove(paths.bulkRequestPath(workload, sessionId, requestId));
  }

  listProtectionUnits(workload: Workload): Promise<ProtectionUnit[]> {
    return this.requester.list(protectionUnitSchema, paths.protectionUnitsPath(workload));
  }

  async searchRestorePoints(request: RestorePointSearchRequest): Promise<RestorePointSearchResponse> {
    const count = request.protectionUnitIds.length;
    if (count === 0 || count > LIMITS.unitsPerSearch) {
      throw new RangeError(
        `searchRestorePoints takes 1 to ${LIMITS.unitsPerSearch} protection unit ids per call (Graph's limit), got ${count}; send them in batches`,
      );
    }
    // A search changes nothing, so it is repeated like a GET although it is a POST.
    return this.requester.parse(
      restorePointSearchResponseSchema,
      await this.requester.call("POST", { path: paths.RESTORE_POINTS_SEARCH }, searchBody(request), { readOnly: true }),
    );
  }

  getRestorePoint(id: string): Promise<RestorePoint | undefined> {
    return this.requester.get(restorePointSchema, paths.restorePointPath(id));
  }

  async getServiceStatus(): Promise<ServiceStatus | undefined> {
    return (await this.requester.get(backupRestoreRootSchema, paths.ROOT))?.serviceStatus;
  }

  /** Splits a delta answer into applied items and per-item failures; throws `DeltaItemsFailedError` for the latter. */
  private deltaResults(answer: Answer, delta: ArtifactDelta[], property: string): DeltaResult[] {
    const results = this.requester.parse(deltaResultSchema.array(), { ...answer, body: deltaList(answer, property) });
    const failures: DeltaItemFailure[] = [];
    const succeeded: DeltaResult[] = [];
    results.forEach((result, position) => {
      const exception = result["@Core.DataModificationException"];
      if (exception === undefined) succeeded.push(result);
      else failures.push(describeDeltaFailure(result, exception, requestedItem(delta, result["@contentId"], position)));
    });
    if (failures.length > 0) throw new DeltaItemsFailedError({ path: answer.path, requestId: answer.requestId, failures, succeeded });
    return succeeded;
  }
}

/** Judges an ambiguous delta from the artifacts Graph lists now. */
function deltaSettlement(delta: ArtifactDelta[], listed: GraphArtifact[]): Settlement<DeltaResult[]> {
  const present = new Set(listed.map((artifact) => artifact.id));
  const byRestorePoint = new Map(listed.map((artifact) => [restorePointIdOf(artifact), artifact]));
  const done = delta.map((item) => ("add" in item ? byRestorePoint.has(item.add.restorePointId) : !present.has(item.remove)));
  if (done.every(Boolean)) {
    const results = delta.flatMap((item) => {
      const artifact = "add" in item ? byRestorePoint.get(item.add.restorePointId) : undefined;
      return artifact === undefined ? [] : [{ id: artifact.id, status: artifact.status, restorePoint: { id: restorePointIdOf(artifact) } }];
    });
    return { kind: "applied", result: results };
  }
  return done.some(Boolean)
    ? { kind: "unknown", note: "the change was partly applied; refresh to see the session as it is" }
    : { kind: "notApplied" };
}

function sessionBody(workload: Workload, contents: SessionContents): Record<string, unknown> {
  // An empty session leaves the artifact property out: the docs list `[]` as an error.
  if ("empty" in contents) return {};
  if ("granularArtifacts" in contents) {
    const property = workload.restoreSession.granularArtifacts;
    if (property === undefined) throw new RangeError(`${workload.title} restore sessions take no granular artifacts`);
    return { [property]: contents.granularArtifacts.map((a) => ({ ...artifactToWire(a), searchResponseId: a.searchResponseId })) };
  }
  return { [workload.restoreSession.artifacts]: contents.artifacts.map(artifactToWire) };
}

function bulkBody(workload: Workload, body: BulkRequestBody): Record<string, unknown> {
  return {
    displayName: body.displayName,
    destinationType: body.destinationType,
    [workload.restoreSession.bulkNames]: body.names,
    ...(body.protectionTimePeriod !== undefined ? { protectionTimePeriod: body.protectionTimePeriod } : {}),
    ...(body.restorePointPreference !== undefined ? { restorePointPreference: body.restorePointPreference } : {}),
    ...(body.fastRestoreOnly ? { tags: "fastRestore" } : {}),
  };
}

function searchBody(request: RestorePointSearchRequest): Record<string, unknown> {
  return {
    protectionUnitIds: request.protectionUnitIds,
    ...(request.start !== undefined || request.end !== undefined
      ? {
          protectionTimePeriod: {
            ...(request.start !== undefined ? { startDateTime: request.start } : {}),
            ...(request.end !== undefined ? { endDateTime: request.end } : {}),
          },
        }
      : {}),
    ...(request.preference !== undefined ? { restorePointPreference: request.preference } : {}),
    ...(request.fastRestoreOnly ? { tags: "fastRestore" } : {}),
    ...(request.artifactQuery !== undefined ? { artifactQuery: request.artifactQuery } : {}),
  };
}

function artifactToWire(spec: ArtifactSpec): { restorePoint: { id: string }; destinationType: string } {
  return { restorePoint: { id: spec.restorePointId }, destinationType: spec.destinationType };
}

function deltaToWire(delta: ArtifactDelta): Record<string, unknown> {
  return "add" in delta ? artifactToWire(delta.add) : { "@removed": { reason: "changed" }, id: delta.remove };
}

function describeDeltaFailure(
  result: DeltaResult,
  exception: NonNullable<DeltaResult["@Core.DataModificationException"]>,
  item: ArtifactDelta | undefined,
): DeltaItemFailure {
  const failure: DeltaItemFailure = {};
  if (result["@contentId"] !== undefined) failure.contentId = result["@contentId"];
  const restorePointId = result.restorePoint?.id ?? (item !== undefined && "add" in item ? item.add.restorePointId : undefined);
  if (restorePointId !== undefined) failure.restorePointId = restorePointId;
  const artifactId = result.id ?? (item !== undefined && "remove" in item ? item.remove : undefined);
  if (artifactId !== undefined) failure.artifactId = artifactId;
  if (exception.info?.code !== undefined) failure.code = exception.info.code;
  if (exception.info?.message !== undefined) failure.message = exception.info.message;
  if (exception.responseCode !== undefined) failure.responseCode = exception.responseCode;
  return failure;
}
