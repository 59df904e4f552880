/**
 * The typed backupRestore operations the engine and the lookups use, for every workload: each names
 * the workload descriptor it acts on, and each write that is not safe to repeat reconciles before
 * any retry (`writeOnce`). The calls live in groups, each a small module: `session-calls.ts`
 * (restore sessions, bulk requests, protection units, restore points, service status) and
 * `policy-calls.ts` (protection policies, units, rules, bulk jobs); this class is all of them.
 */
import type { Workload } from "../workloads";
import { LIMITS } from "../workloads";
import type {
  DeltaResult,
  GraphArtifact,
  GraphBulkJob,
  GraphBulkRequest,
  GraphPolicy,
  GraphRule,
  GraphSession,
  ListedRestoreSession,
  ProtectionUnit,
  RestorePoint,
  RestorePointSearchResponse,
  ServiceStatus,
  UnitDeltaResult,
} from "../schemas/wire";
import { PolicyCalls, type BulkJobBody, type PolicyBody, type PolicyChange, type RuleBody } from "./policy-calls";
import type { ArtifactDelta, BulkRequestBody, RestorePointSearchRequest, SessionContents } from "./session-calls";

export type {
  ArtifactDelta,
  ArtifactSpec,
  BulkRequestBody,
  GranularArtifactSpec,
  RestorePointSearchRequest,
  SessionContents,
} from "./session-calls";
export type { BulkJobBody, PolicyBody, PolicyChange, RuleBody, UnitDelta } from "./policy-calls";

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
  /** The tenant's protection units of the workload (all pages); a policy's are `listPolicyUnits`. */
  listProtectionUnits(workload: Workload): Promise<ProtectionUnit[]>;
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

export { NO_LONGER_DRAFT } from "./session-calls";

/** Graph's per-request limits that the caller must batch for (the calls refuse more). */
export const MAX_DELTA_ITEMS_PER_PATCH = LIMITS.artifactsPerRequest;
export const MAX_PROTECTION_UNITS_PER_SEARCH = LIMITS.unitsPerSearch;

/** Wires the requester to every typed backupRestore operation. */
export class BackupRestoreClient extends PolicyCalls implements GraphClient {}
