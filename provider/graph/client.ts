/**
 * The typed backupRestore operations the engine uses, for every workload: each names the workload
 * descriptor it acts on, and each write that is not safe to repeat goes through `writeOnce`.
 */
import type { Workload } from "../workloads";
import { LIMITS } from "../workloads";
import {
  backupRestoreRootSchema,
  bulkRequestSchema,
  deltaResultSchema,
  listedRestoreSessionSchema,
  protectionPolicySchema,
  protectionRuleSchema,
  protectionUnitsBulkJobSchema,
  protectionUnitSchema,
  restoreArtifactSchema,
  restorePointSchema,
  restorePointSearchResponseSchema,
  restoreSessionSchema,
  unitDeltaResultSchema,
  type DeltaResult,
  type GraphArtifact,
  type GraphBulkJob,
  type GraphBulkRequest,
  type GraphPolicy,
  type GraphRule,
  type GraphSession,
  type ListedRestoreSession,
  type ProtectionUnit,
  type RestorePoint,
  type RestorePointSearchResponse,
  type ServiceStatus,
  type UnitDeltaResult,
} from "../schemas/wire";
import { GraphCallState } from "./call-state";
import { DeltaItemsFailedError, type DeltaItemFailure } from "./delta-items-failed-error";
import { GraphRequestError } from "./graph-request-error";
import * as paths from "./paths";
import { createdByAttempt, restorePointIdOf, sameArtifacts, writeOnce, type Settlement } from "./reconcile";
import type { Answer, GraphRequester } from "./requester";
import type { RetryPolicy } from "./retry-policy";

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

/** One element of a policy's units delta PATCH: add a unit by its key (site id, directory object id), or remove one by its unit id. */
export type UnitDelta = { add: string } | { remove: string };

/** A new protection policy: its name and its first units (at most 50), by key. */
export interface PolicyBody {
  displayName: string;
  unitKeys: string[];
}

/** A change to a policy: a new name, and a units delta of at most 50 items. */
export interface PolicyChange {
  displayName?: string;
  units?: UnitDelta[];
}

/** A new inclusion rule: its expression (in the workload's expression property), and whether it is dynamic. */
export interface RuleBody {
  expression: string;
  autoApply?: boolean;
}

/** A new protection-unit bulk addition job: its name, and the names (URLs or emails) the service resolves. */
export interface BulkJobBody {
  displayName: string;
  names: string[];
}

/** The backupRestore calls the provider makes, each retried and parsed. */
export interface GraphClient {
  createSession(workload: Workload, contents: SessionContents): Promise<GraphSession>;
  getSession(id: string): Promise<GraphSession | undefined>;
  /** Every restore session of the tenant, all workloads (GET .../restoreSessions, all pages). */
  listRestoreSessions(): Promise<ListedRestoreSession[]>;
  listArtifacts(workload: Workload, sessionId: string, options?: { granular?: boolean }): Promise<GraphArtifact[]>;
  patchArtifacts(workload: Workload, sessionId: string, delta: ArtifactDelta[]): Promise<DeltaResult[]>;
  activateSession(id: string): Promise<GraphSession>;
  deleteSession(id: string): Promise<"deleted" | "notFound">;
  createBulkRequest(workload: Workload, sessionId: string, body: BulkRequestBody): Promise<GraphBulkRequest>;
  listBulkRequests(workload: Workload, sessionId: string): Promise<GraphBulkRequest[]>;
  deleteBulkRequest(workload: Workload, sessionId: string, requestId: string): Promise<"deleted" | "notFound">;
  /** The workload's protection units (all pages): the tenant's, or those of one policy. */
  listProtectionUnits(workload: Workload, options?: { policyId?: string }): Promise<ProtectionUnit[]>;
  searchRestorePoints(request: RestorePointSearchRequest): Promise<RestorePointSearchResponse>;
  /** One restore point with its protection unit; undefined when Graph no longer has it. */
  getRestorePoint(id: string): Promise<RestorePoint | undefined>;
  /** The tenant's backup service status. */
  getServiceStatus(): Promise<ServiceStatus | undefined>;
  /** Creates a policy (status `inactive`) with at most 50 units. */
  createPolicy(workload: Workload, body: PolicyBody): Promise<GraphPolicy>;
  /** One policy of the workload; undefined when Graph no longer has it. */
  getPolicy(workload: Workload, id: string): Promise<GraphPolicy | undefined>;
  /** Every policy of the workload (all pages). */
  listPolicies(workload: Workload): Promise<GraphPolicy[]>;
  /** Renames a policy and applies a units delta of at most 50 items; answers the units the delta touched. */
  updatePolicy(workload: Workload, id: string, change: PolicyChange): Promise<UnitDeltaResult[]>;
  activatePolicy(workload: Workload, id: string): Promise<GraphPolicy>;
  deactivatePolicy(workload: Workload, id: string): Promise<GraphPolicy>;
  deletePolicy(workload: Workload, id: string): Promise<"deleted" | "notFound">;
  /** The policy's protection units (all pages). */
  listPolicyUnits(workload: Workload, policyId: string): Promise<ProtectionUnit[]>;
  /** The policy's inclusion rules (all pages). */
  listRules(workload: Workload, policyId: string): Promise<GraphRule[]>;
  createRule(workload: Workload, policyId: string, rule: RuleBody): Promise<GraphRule>;
  /** Changes a dynamic rule's expression; undefined when Graph answers without a body. */
  updateRule(workload: Workload, policyId: string, ruleId: string, expression: string): Promise<GraphRule | undefined>;
  /** Runs a static rule that Graph left in `draft`. */
  runRule(workload: Workload, policyId: string, ruleId: string): Promise<GraphRule>;
  deleteRule(workload: Workload, policyId: string, ruleId: string): Promise<"deleted" | "notFound">;
  createBulkJob(workload: Workload, policyId: string, body: BulkJobBody): Promise<GraphBulkJob>;
  /** The policy's protection-unit bulk addition jobs (all pages). */
  listBulkJobs(workload: Workload, policyId: string): Promise<GraphBulkJob[]>;
  /** The application id the last token sent names (to recognise what this application created); undefined before any request. */
  applicationId(): string | undefined;
}

/** Graph's refusal to change, activate or delete a session that is no longer a draft. */
export const NO_LONGER_DRAFT = "RestoreSessionActionNotAllowed";

/** Graph's per-request limits that the caller must batch for. */
export const MAX_DELTA_ITEMS_PER_PATCH = LIMITS.artifactsPerRequest;
export const MAX_PROTECTION_UNITS_PER_SEARCH = LIMITS.unitsPerSearch;

/** Wires the requester to typed backupRestore operations. */
export class BackupRestoreClient implements GraphClient {
  constructor(
    private readonly requester: GraphRequester,
    private readonly retryPolicy: RetryPolicy,
  ) {}

  /** Sessions this client created or adopted; never adopted again for another create. */
  private readonly ownSessionIds = new Set<string>();
  /** Policies this client created or adopted after an ambiguous create; never adopted again for another. */
  private readonly ownPolicyIds = new Set<string>();

  private get log(): (line: string) => void {
    return this.requester.log;
  }

  /**
   * Creates a session exactly once. After an ambiguous failure it looks for the session the
   * attempt may have created (this application, the attempt's time window, still a draft, the same
   * artifacts) and adopts it; only when there is none does it post again.
   */
  async createSession(workload: Workload, contents: SessionContents): Promise<GraphSession> {
    const body = sessionBody(workload, contents);
    let state = new GraphCallState();
    const session = await writeOnce<GraphSession>(
      {
        what: `create of a ${workload.title} restore session`,
        send: async () => {
          state = new GraphCallState();
          return this.requester.parse(
            restoreSessionSchema,
            await this.requester.call("POST", { path: paths.sessionCollection(workload) }, body, { state }),
          );
        },
        settle: async (_failure, attempt) => {
          if (state.callerAppId === undefined)
            return {
              kind: "unknown",
              note: "the session may have been created; the token names no application, so it cannot be looked up",
            };
          const listed = await this.requester.list(restoreSessionSchema, paths.sessionCollection(workload));
          const drafts = createdByAttempt(listed, state.callerAppId, attempt, this.requester.serviceClockOffsetMs()).filter(
            (s) => s.status === "draft" && !this.ownSessionIds.has(s.id),
          );
          const matches: GraphSession[] = [];
          for (const candidate of drafts) if (await this.holdsExactly(workload, candidate.id, contents)) matches.push(candidate);
          if (matches.length > 1) {
            return {
              kind: "unknown",
              note: `the session may have been created, and ${matches.length} sessions match it (${matches.map((m) => m.id).join(", ")}); adopting none`,
            };
          }
          return matches.length === 1 ? { kind: "applied", result: matches[0]! } : { kind: "notApplied" };
        },
      },
      this.log,
      this.retryPolicy.totalBudgetMs,
    );
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
    if (delta.length > MAX_DELTA_ITEMS_PER_PATCH) {
      throw new RangeError(
        `patchArtifacts takes at most ${MAX_DELTA_ITEMS_PER_PATCH} delta items per call (Graph's limit), got ${delta.length}; send them in batches`,
      );
    }
    if (delta.length === 0) return [];
    const property = `${workload.restoreSession.artifacts}@delta`;
    const body = { [property]: delta.map(deltaToWire) };
    return writeOnce<DeltaResult[]>(
      {
        what: `update of restore session ${sessionId}`,
        send: async () =>
          this.deltaResults(await this.requester.call("PATCH", { path: paths.sessionPath(workload, sessionId) }, body), delta, property),
        settle: async () => deltaSettlement(delta, await this.listArtifacts(workload, sessionId)),
      },
      this.log,
      this.retryPolicy.totalBudgetMs,
    );
  }

  /**
   * Activates a draft. After an ambiguous failure it reads the session: activated means done, draft
   * means try again. A refusal because the session is no longer a draft is read the same way: an
   * earlier activation whose answer was lost (a killed host) did it, and that is what was asked.
   */
  async activateSession(id: string): Promise<GraphSession> {
    const activated = async (): Promise<GraphSession | undefined> => {
      const session = await this.getSession(id);
      return session !== undefined && session.status !== "draft" ? session : undefined;
    };
    try {
      return await writeOnce<GraphSession>(
        {
          what: `activation of restore session ${id}`,
          send: async () => this.requester.parse(restoreSessionSchema, await this.requester.call("POST", { path: paths.activatePath(id) })),
          settle: async () => {
            const session = await this.getSession(id);
            if (session === undefined) return { kind: "unknown", note: "the session is gone" };
            return session.status !== "draft" ? { kind: "applied", result: session } : { kind: "notApplied" };
          },
        },
        this.log,
        this.retryPolicy.totalBudgetMs,
      );
    } catch (error) {
      if (!(error instanceof GraphRequestError && error.code === NO_LONGER_DRAFT)) throw error;
      const session = await activated().catch(() => undefined);
      if (session === undefined) throw error;
      this.log(`restore session ${id} was already activated (status ${session.status}); taking that as the activation asked for`);
      return session;
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
    return writeOnce<GraphBulkRequest>(
      {
        what: `bulk request of restore session ${sessionId}`,
        send: async () => this.requester.parse(bulkRequestSchema, await this.requester.call("POST", { path }, bulkBody(workload, body))),
        settle: async () => {
          const listed = await this.listBulkRequests(workload, sessionId);
          return listed.length === 0 ? { kind: "notApplied" } : { kind: "applied", result: listed[0]! };
        },
      },
      this.log,
      this.retryPolicy.totalBudgetMs,
    );
  }

  listBulkRequests(workload: Workload, sessionId: string): Promise<GraphBulkRequest[]> {
    return this.requester.list(bulkRequestSchema, paths.bulkRequestsPath(workload, sessionId));
  }

  deleteBulkRequest(workload: Workload, sessionId: string, requestId: string): Promise<"deleted" | "notFound"> {
    return this.remove(paths.bulkRequestPath(workload, sessionId, requestId));
  }

  listProtectionUnits(workload: Workload, options: { policyId?: string } = {}): Promise<ProtectionUnit[]> {
    const path = options.policyId === undefined ? paths.protectionUnitsPath(workload) : paths.policyUnitsPath(workload, options.policyId);
    return this.requester.list(protectionUnitSchema, path);
  }

  async searchRestorePoints(request: RestorePointSearchRequest): Promise<RestorePointSearchResponse> {
    const count = request.protectionUnitIds.length;
    if (count === 0 || count > MAX_PROTECTION_UNITS_PER_SEARCH) {
      throw new RangeError(
        `searchRestorePoints takes 1 to ${MAX_PROTECTION_UNITS_PER_SEARCH} protection unit ids per call (Graph's limit), got ${count}; send them in batches`,
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

  /**
   * Creates a policy exactly once. After an ambiguous failure it looks for the policy the attempt
   * may have created (this application, the attempt's time window, the same displayName, exactly the
   * same units) and adopts it; only when there is none does it post again.
   */
  async createPolicy(workload: Workload, body: PolicyBody): Promise<GraphPolicy> {
    if (body.unitKeys.length > LIMITS.unitsPerPolicyRequest) {
      throw new RangeError(
        `createPolicy takes at most ${LIMITS.unitsPerPolicyRequest} units (Graph's limit), got ${body.unitKeys.length}; add the rest with updatePolicy`,
      );
    }
    const { collection, key } = workload.protectionUnit;
    const wire = { displayName: body.displayName, [collection]: body.unitKeys.map((unitKey) => ({ [key]: unitKey })) };
    let state = new GraphCallState();
    const policy = await writeOnce<GraphPolicy>(
      {
        what: `create of a ${workload.title} protection policy`,
        send: async () => {
          state = new GraphCallState();
          return this.requester.parse(
            protectionPolicySchema,
            await this.requester.call("POST", { path: paths.policyCollection(workload) }, wire, { state }),
          );
        },
        settle: async (_failure, attempt) => {
          if (state.callerAppId === undefined)
            return { kind: "unknown", note: "the policy may have been created; the token names no application, so it cannot be looked up" };
          const candidates = createdByAttempt(
            await this.listPolicies(workload),
            state.callerAppId,
            attempt,
            this.requester.serviceClockOffsetMs(),
          ).filter((p) => p.displayName === body.displayName && !this.ownPolicyIds.has(p.id));
          const matches: GraphPolicy[] = [];
          for (const candidate of candidates) {
            const units = await this.listPolicyUnits(workload, candidate.id);
            if (
              sameKeys(
                units.map((u) => u[key] ?? ""),
                body.unitKeys,
              )
            )
              matches.push(candidate);
          }
          if (matches.length > 1) {
            return {
              kind: "unknown",
              note: `the policy may have been created, and ${matches.length} policies match it (${matches.map((m) => m.id).join(", ")}); adopting none`,
            };
          }
          return matches.length === 1 ? { kind: "applied", result: matches[0]! } : { kind: "notApplied" };
        },
      },
      this.log,
      this.retryPolicy.totalBudgetMs,
    );
    this.ownPolicyIds.add(policy.id);
    return policy;
  }

  getPolicy(workload: Workload, id: string): Promise<GraphPolicy | undefined> {
    return this.requester.get(protectionPolicySchema, paths.policyPath(workload, id));
  }

  listPolicies(workload: Workload): Promise<GraphPolicy[]> {
    return this.requester.list(protectionPolicySchema, paths.policyCollection(workload));
  }

  /**
   * Renames a policy and applies a units delta of at most 50 items. After an ambiguous failure it
   * looks at the policy: every change present means done, none means send again, part of it is
   * reported as such.
   */
  async updatePolicy(workload: Workload, id: string, change: PolicyChange): Promise<UnitDeltaResult[]> {
    const units = change.units ?? [];
    if (units.length > LIMITS.unitsPerPolicyRequest) {
      throw new RangeError(
        `updatePolicy takes at most ${LIMITS.unitsPerPolicyRequest} unit changes per call (Graph's limit), got ${units.length}; send them in batches`,
      );
    }
    if (units.length === 0 && change.displayName === undefined) return [];
    const property = `${workload.protectionUnit.collection}@delta`;
    const body: Record<string, unknown> = {};
    if (change.displayName !== undefined) body.displayName = change.displayName;
    if (units.length > 0) body[property] = units.map((item) => unitDeltaToWire(workload, item));
    return writeOnce<UnitDeltaResult[]>(
      {
        what: `update of protection policy ${id}`,
        send: async () =>
          this.unitDeltaResults(
            workload,
            await this.requester.call("PATCH", { path: paths.policyPath(workload, id) }, body),
            units,
            property,
          ),
        settle: async () =>
          policyChangeSettlement(
            workload,
            change,
            units.length > 0 ? await this.listPolicyUnits(workload, id) : [],
            change.displayName !== undefined ? await this.getPolicy(workload, id) : undefined,
          ),
      },
      this.log,
      this.retryPolicy.totalBudgetMs,
    );
  }

  /** Activates a policy. After an ambiguous failure it reads the policy: no longer inactive means done. */
  activatePolicy(workload: Workload, id: string): Promise<GraphPolicy> {
    return this.policyAction(workload, id, "activate", (status) => status !== "inactive");
  }

  /** Deactivates a policy. After an ambiguous failure it reads the policy: inactive or on its way there means done. */
  deactivatePolicy(workload: Workload, id: string): Promise<GraphPolicy> {
    return this.policyAction(workload, id, "deactivate", (status) => status === "inactive" || status === "updating");
  }

  deletePolicy(_workload: Workload, id: string): Promise<"deleted" | "notFound"> {
    return this.remove(paths.protectionPolicyPath(id));
  }

  listPolicyUnits(workload: Workload, policyId: string): Promise<ProtectionUnit[]> {
    return this.requester.list(protectionUnitSchema, paths.policyUnitsPath(workload, policyId));
  }

  listRules(workload: Workload, policyId: string): Promise<GraphRule[]> {
    return this.requester.list(protectionRuleSchema, paths.rulesPath(workload, policyId));
  }

  /**
   * Creates an inclusion rule exactly once. After an ambiguous failure it lists the policy's rules:
   * one this application created in the attempt's window with the same expression is the one.
   */
  async createRule(workload: Workload, policyId: string, rule: RuleBody): Promise<GraphRule> {
    const expression = workload.protectionPolicy.ruleExpression;
    const body = { [expression]: rule.expression, ...(rule.autoApply === true ? { isAutoApplyEnabled: true } : {}) };
    const path = paths.rulesPath(workload, policyId);
    let state = new GraphCallState();
    return writeOnce<GraphRule>(
      {
        what: `inclusion rule of protection policy ${policyId}`,
        send: async () => {
          state = new GraphCallState();
          return this.requester.parse(protectionRuleSchema, await this.requester.call("POST", { path }, body, { state }));
        },
        settle: async (_failure, attempt) => {
          if (state.callerAppId === undefined)
            return { kind: "unknown", note: "the rule may have been created; the token names no application, so it cannot be looked up" };
          const matches = createdByAttempt(
            await this.listRules(workload, policyId),
            state.callerAppId,
            attempt,
            this.requester.serviceClockOffsetMs(),
          ).filter((r) => sameExpression(r[expression], rule.expression) && (r.isAutoApplyEnabled ?? false) === (rule.autoApply ?? false));
          if (matches.length > 1)
            return { kind: "unknown", note: `the rule may have been created, and ${matches.length} rules match it; adopting none` };
          return matches.length === 1 ? { kind: "applied", result: matches[0]! } : { kind: "notApplied" };
        },
      },
      this.log,
      this.retryPolicy.totalBudgetMs,
    );
  }

  /** Changes a dynamic rule's expression. After an ambiguous failure it lists the rules: the new expression in place means done. */
  async updateRule(workload: Workload, policyId: string, ruleId: string, expression: string): Promise<GraphRule | undefined> {
    const property = workload.protectionPolicy.ruleExpression;
    return writeOnce<GraphRule | undefined>(
      {
        what: `update of inclusion rule ${ruleId}`,
        send: async () => {
          const answer = await this.requester.call(
            "PATCH",
            { path: paths.rulePath(workload, policyId, ruleId) },
            { [property]: expression },
          );
          return answer.body === undefined ? undefined : this.requester.parse(protectionRuleSchema, answer);
        },
        settle: async () => {
          const rule = (await this.listRules(workload, policyId)).find((r) => r.id === ruleId);
          if (rule === undefined) return { kind: "unknown", note: "the rule is gone" };
          return sameExpression(rule[property], expression) ? { kind: "applied", result: rule } : { kind: "notApplied" };
        },
      },
      this.log,
      this.retryPolicy.totalBudgetMs,
    );
  }

  /** Runs a static rule. After an ambiguous failure it lists the rules: no longer `draft` means done. */
  async runRule(workload: Workload, policyId: string, ruleId: string): Promise<GraphRule> {
    return writeOnce<GraphRule>(
      {
        what: `run of inclusion rule ${ruleId}`,
        send: async () =>
          this.requester.parse(
            protectionRuleSchema,
            await this.requester.call("POST", { path: `${paths.rulePath(workload, policyId, ruleId)}/run` }),
          ),
        settle: async () => {
          const rule = (await this.listRules(workload, policyId)).find((r) => r.id === ruleId);
          if (rule === undefined) return { kind: "unknown", note: "the rule is gone" };
          return rule.status !== "draft" ? { kind: "applied", result: rule } : { kind: "notApplied" };
        },
      },
      this.log,
      this.retryPolicy.totalBudgetMs,
    );
  }

  deleteRule(workload: Workload, policyId: string, ruleId: string): Promise<"deleted" | "notFound"> {
    return this.remove(paths.rulePath(workload, policyId, ruleId));
  }

  /**
   * Posts a bulk addition job exactly once. After an ambiguous failure it lists the policy's jobs:
   * one this application created in the attempt's window with the same displayName is the one.
   */
  async createBulkJob(workload: Workload, policyId: string, body: BulkJobBody): Promise<GraphBulkJob> {
    if (body.names.length > LIMITS.namesPerBulkJob) {
      throw new RangeError(
        `createBulkJob takes at most ${LIMITS.namesPerBulkJob} names per job (Graph's limit), got ${body.names.length}; send several jobs`,
      );
    }
    const path = paths.bulkJobsPath(workload, policyId);
    const wire = { displayName: body.displayName, [workload.protectionPolicy.bulkJobNames]: body.names };
    let state = new GraphCallState();
    return writeOnce<GraphBulkJob>(
      {
        what: `bulk addition job of protection policy ${policyId}`,
        send: async () => {
          state = new GraphCallState();
          return this.requester.parse(protectionUnitsBulkJobSchema, await this.requester.call("POST", { path }, wire, { state }));
        },
        settle: async (_failure, attempt) => {
          if (state.callerAppId === undefined)
            return { kind: "unknown", note: "the job may have been created; the token names no application, so it cannot be looked up" };
          const matches = createdByAttempt(
            await this.listBulkJobs(workload, policyId),
            state.callerAppId,
            attempt,
            this.requester.serviceClockOffsetMs(),
          ).filter((job) => job.displayName === body.displayName);
          if (matches.length > 1)
            return { kind: "unknown", note: `the job may have been created, and ${matches.length} jobs match it; adopting none` };
          return matches.length === 1 ? { kind: "applied", result: matches[0]! } : { kind: "notApplied" };
        },
      },
      this.log,
      this.retryPolicy.totalBudgetMs,
    );
  }

  listBulkJobs(workload: Workload, policyId: string): Promise<GraphBulkJob[]> {
    return this.requester.list(protectionUnitsBulkJobSchema, paths.bulkJobsPath(workload, policyId));
  }

  applicationId(): string | undefined {
    return this.requester.applicationId();
  }

  /** Sends activate or deactivate once; after an ambiguous failure, `done` judges the policy's status. */
  private policyAction(
    workload: Workload,
    id: string,
    action: "activate" | "deactivate",
    done: (status: string | undefined) => boolean,
  ): Promise<GraphPolicy> {
    return writeOnce<GraphPolicy>(
      {
        what: `${action === "activate" ? "activation" : "deactivation"} of protection policy ${id}`,
        send: async () =>
          this.requester.parse(protectionPolicySchema, await this.requester.call("POST", { path: paths.policyActionPath(id, action) })),
        settle: async () => {
          const policy = await this.getPolicy(workload, id);
          if (policy === undefined) return { kind: "unknown", note: "the policy is gone" };
          return done(policy.status) ? { kind: "applied", result: policy } : { kind: "notApplied" };
        },
      },
      this.log,
      this.retryPolicy.totalBudgetMs,
    );
  }

  /** Splits a units delta answer into applied units and per-item failures; throws `DeltaItemsFailedError` for the latter. */
  private unitDeltaResults(workload: Workload, answer: Answer, delta: UnitDelta[], property: string): UnitDeltaResult[] {
    // A PATCH that only renames may answer the policy without any delta list.
    const results = this.requester.parse(unitDeltaResultSchema.array(), { ...answer, body: deltaList(answer, property) ?? [] });
    const failures: DeltaItemFailure[] = [];
    const succeeded: UnitDeltaResult[] = [];
    results.forEach((result, position) => {
      const exception = result["@Core.DataModificationException"];
      if (exception === undefined) return succeeded.push(result);
      const item = requestedItem(delta, result["@contentId"], position);
      const failure: DeltaItemFailure = {};
      if (result["@contentId"] !== undefined) failure.contentId = result["@contentId"];
      const unitKey = result[workload.protectionUnit.key] ?? (item !== undefined && "add" in item ? item.add : undefined);
      if (unitKey !== undefined) failure.unitKey = unitKey;
      const unitId = result.id ?? (item !== undefined && "remove" in item ? item.remove : undefined);
      if (unitId !== undefined && unitKey === undefined) failure.unitId = unitId;
      if (exception.info?.code !== undefined) failure.code = exception.info.code;
      if (exception.info?.message !== undefined) failure.message = exception.info.message;
      if (exception.responseCode !== undefined) failure.responseCode = exception.responseCode;
      failures.push(failure);
    });
    if (failures.length > 0) throw new DeltaItemsFailedError({ path: answer.path, requestId: answer.requestId, failures, succeeded });
    return succeeded;
  }

  private async remove(path: string): Promise<"deleted" | "notFound"> {
    try {
      await this.requester.call("DELETE", { path });
      return "deleted";
    } catch (error) {
      if (error instanceof GraphRequestError && error.status === 404) return "notFound";
      throw error;
    }
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

/** The elements of a delta answer: listed as `value`, under the delta property, or bare; a 204 lists none. */
function deltaList(answer: Answer, property: string): unknown {
  const body = answer.body as Record<string, unknown> | unknown[] | undefined;
  return body === undefined ? [] : Array.isArray(body) ? body : (body.value ?? body[property]);
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

/** The request item a result answers: by numeric `@contentId` (1-based) when given, else by position. */
function requestedItem<T>(delta: readonly T[], contentId: string | undefined, position: number): T | undefined {
  const index = contentId !== undefined && /^\d+$/.test(contentId) ? Number(contentId) - 1 : position;
  return delta[index];
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

/** Graph's shape of one units delta element: a new unit by its key, or the removal of a unit by its id. */
function unitDeltaToWire(workload: Workload, delta: UnitDelta): Record<string, unknown> {
  return "add" in delta ? { [workload.protectionUnit.key]: delta.add } : { "@removed": { reason: "changed" }, id: delta.remove };
}

/** Whether a listed unit still counts as part of the policy (a removal under way does not). */
function isLiveUnit(unit: ProtectionUnit): boolean {
  return unit.status !== "removeRequested";
}

/** Judges an ambiguous policy change from the units and the policy Graph shows now. */
function policyChangeSettlement(
  workload: Workload,
  change: PolicyChange,
  listed: readonly ProtectionUnit[],
  policy: GraphPolicy | undefined,
): Settlement<UnitDeltaResult[]> {
  const key = workload.protectionUnit.key;
  const live = listed.filter(isLiveUnit);
  const byKey = new Map(live.map((unit) => [(unit[key] ?? "").toLowerCase(), unit]));
  const liveIds = new Set(live.map((unit) => unit.id));
  const units = change.units ?? [];
  const done = units.map((item) => ("add" in item ? byKey.has(item.add.toLowerCase()) : !liveIds.has(item.remove)));
  if (change.displayName !== undefined) done.push(policy?.displayName === change.displayName);
  if (done.every(Boolean)) {
    const results = units.map((item): UnitDeltaResult =>
      "add" in item
        ? byKey.get(item.add.toLowerCase())!
        : (listed.find((unit) => unit.id === item.remove) ?? { id: item.remove, status: "removeRequested" }),
    );
    return { kind: "applied", result: results };
  }
  return done.some(Boolean)
    ? { kind: "unknown", note: "the change was partly applied; refresh to see the policy as it is" }
    : { kind: "notApplied" };
}

/** Same multiset of unit keys, compared case-insensitively (ids are GUID-based). */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (keys: readonly string[]) => keys.map((k) => k.toLowerCase()).sort();
  const [x, y] = [sorted(a), sorted(b)];
  return x.length === y.length && x.every((value, index) => value === y[index]);
}

/** Expressions compare with runs of whitespace collapsed: Graph may echo them re-spaced. */
function sameExpression(a: string | undefined, b: string): boolean {
  const squeeze = (e: string) => e.replace(/\s+/g, " ").trim();
  return a !== undefined && squeeze(a) === squeeze(b);
}
