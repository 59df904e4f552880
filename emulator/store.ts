/**
 * The mutable part of the tenant: restore sessions (with their artifacts and bulk addition
 * requests), protection policies (with their inclusion rules and bulk jobs), protection units,
 * remembered artifact searches, the service status, and the outcomes tests chose for artifacts.
 * Plain JSON-able records, so persistence is a dump; statuses are derived from the clock on read.
 */
import type { WorkloadName } from "../provider/workloads";

/** The calling application, as recorded in createdBy / lastModifiedBy. */
export interface AppIdentity {
  id: string;
  displayName: string;
}

/** One thing a rule, a bulk job or a bulk request could not do, as a `publicErrorDetail`. */
export interface StoredIssue {
  code: string;
  message: string;
  target: string;
}

/** A Graph `publicError` as the emulator records it. */
export interface StoredError {
  code: string;
  message: string;
  details?: StoredIssue[];
}

/** An artifact as stored; its status is derived from the clock (see progress.ts). */
export interface StoredArtifact {
  id: string;
  restorePointId: string;
  protectionMs: number;
  /** The protection unit the restore point belongs to. */
  protectionUnitId: string;
  /** The protected object's key: the site id, or the directoryObjectId of a OneDrive's user or of a mailbox. */
  key: string;
  /** SharePoint artifacts only: the site id (the same as `key`), kept for callers of the first release. */
  siteId?: string;
  destinationType: "new" | "inPlace";
  /** Granular (item-level) mailbox artifacts: the artifact search they restore. */
  searchResponseId?: string;
  createdDateTime: string;
  /** Position in activation order; drives the staggered schedule. */
  ordinal?: number;
  /** For `new` destinations: the n in `<name>-restored-<n>`, fixed at activation. */
  restoredNumber?: number;
  /** Frozen the first time the artifact is seen finished. */
  outcome?: "succeeded" | "failed";
}

/** A restore bulk addition request as stored. */
export interface StoredBulkRequest {
  id: string;
  displayName?: string;
  destinationType: "new" | "inPlace";
  /** The site URLs or emails asked for, as sent. */
  names: string[];
  protectionTimePeriod?: { startDateTime?: string | null; endDateTime?: string | null } | null;
  restorePointPreference: "latest" | "oldest";
  tags?: string | null;
  createdDateTime: string;
  createdBy: AppIdentity;
  lastModifiedDateTime: string;
  /** Set at activation, when the names are resolved to artifacts. */
  resolution?: { status: "completed" | "completedWithErrors"; unresolved: string[]; at: string };
}

/** A restore session as stored. */
export interface StoredSession {
  id: string;
  workload: WorkloadName;
  restoreJobType: "standard" | "bulk";
  /** True for a session of granular (item-level) artifacts. */
  granular?: boolean;
  createdDateTime: string;
  createdBy: AppIdentity;
  lastModifiedDateTime: string;
  lastModifiedBy: AppIdentity;
  activatedDateTime?: string;
  artifacts: StoredArtifact[];
  bulkRequests: StoredBulkRequest[];
}

/** A protection policy as stored; its status is derived from its activations and units (see tenant/protection.ts). */
export interface StoredPolicy {
  id: string;
  workload: WorkloadName;
  displayName: string;
  createdDateTime: string;
  createdBy: AppIdentity;
  lastModifiedDateTime: string;
  lastModifiedBy: AppIdentity;
  /** Periods the policy was switched on: activated at `fromMs`, deactivated at `untilMs`. */
  activations: { fromMs: number; untilMs?: number }[];
  /** Last activate or deactivate: the policy reports `updating` for a while after it. */
  lastActionMs?: number;
  rules: StoredRule[];
  bulkJobs: StoredBulkJob[];
  /** Set when the policy was deleted; kept so restore points of its units stay attributable until they expire. */
  deletedDateTime?: string;
}

/** A protection unit as stored; its status is derived from the clock and its policy. */
export interface StoredUnit {
  id: string;
  workload: WorkloadName;
  policyId: string;
  /** The protected object's key: site id or directoryObjectId. */
  key: string;
  /** How it came in: by hand (create, PATCH, bulk job, static rule run) or through a dynamic rule. */
  source: "manual" | "dynamicRule";
  ruleId?: string;
  /** When the unit joined the policy. */
  addedMs: number;
  createdDateTime: string;
  createdBy: AppIdentity;
  lastModifiedDateTime: string;
  lastModifiedBy: AppIdentity;
  /** When its removal was asked for (PATCH `@removed`, a rule's deleteAndUnprotect, or the policy's deletion). */
  removeRequestedMs?: number;
  error?: StoredError;
}

/** An inclusion rule as stored. */
export interface StoredRule {
  id: string;
  workload: WorkloadName;
  policyId: string;
  expression: string;
  isAutoApplyEnabled: boolean;
  createdDateTime: string;
  createdBy: AppIdentity;
  lastModifiedDateTime: string;
  lastModifiedBy: AppIdentity;
  /** Last time the rule was applied (at creation, run, PATCH); it reports `active` (`updateRequested` after a PATCH) for a while after. */
  appliedMs: number;
  appliedBy: "create" | "run" | "update";
  /** What the last application could not do. */
  issues: StoredIssue[];
  /** deleteAndUnprotect was called: the rule reports `deleteRequested`, then is gone. */
  deleteRequestedMs?: number;
}

/** A protection-unit bulk addition job as stored. */
export interface StoredBulkJob {
  id: string;
  workload: WorkloadName;
  policyId: string;
  displayName?: string;
  /** Site URLs or emails, as sent. */
  names: string[];
  /** Site ids or directoryObjectIds, as sent. */
  ids: string[];
  createdDateTime: string;
  createdBy: AppIdentity;
  createdMs: number;
  /** Names (and ids) the job could not add. */
  issues: StoredIssue[];
}

/** A restore-point search with an `artifactQuery`, remembered so granular artifacts can refer to it. */
export interface StoredSearch {
  id: string;
  protectionUnitId: string;
  queryExpression: string;
  artifactType: string;
  createdDateTime: string;
  /** Matching items per restore point id. */
  hits: Record<string, number>;
}

/** The tenant-level Backup Storage status (`GET /solutions/backupRestore`). */
export interface ServiceStatus {
  status: "disabled" | "enabled" | "protectionChangeLocked" | "restoreLocked";
  disableReason: "none" | "invalidBillingProfile" | "userRequested" | null;
  gracePeriodDateTime: string | null;
  restoreAllowedTillDateTime: string | null;
  lastModifiedBy: AppIdentity;
  lastModifiedDateTime: string;
}

/** Everything persisted between runs. */
export interface StoreSnapshot {
  sessions: StoredSession[];
  policies: StoredPolicy[];
  units: StoredUnit[];
  searches: StoredSearch[];
  serviceStatus: ServiceStatus;
  outcomes: Record<string, "succeeded" | "failed">;
  restoredCounters: Record<string, number>;
}

/** In-memory store of the tenant's mutable records, with the lookups the handlers need. */
export class TenantStore {
  private sessions = new Map<string, StoredSession>();
  private policies = new Map<string, StoredPolicy>();
  private units = new Map<string, StoredUnit>();
  private unitsByPolicy = new Map<string, StoredUnit[]>();
  private unitsByKey = new Map<string, StoredUnit[]>();
  private searches = new Map<string, StoredSearch>();
  /** Outcome per restore-point id or object key/name (lower case), chosen by tests; default is success. */
  outcomes: Record<string, "succeeded" | "failed"> = {};
  /** Per original object key: how many `new` restores were numbered so far. */
  restoredCounters: Record<string, number> = {};

  constructor(public serviceStatus: ServiceStatus) {}

  /** All sessions in creation order. */
  listSessions(): StoredSession[] {
    return [...this.sessions.values()];
  }

  /** One session by id (case-insensitive, as Graph ids are). */
  getSession(id: string): StoredSession | undefined {
    return this.sessions.get(id.toLowerCase());
  }

  /** Adds a new session. */
  addSession(session: StoredSession): void {
    this.sessions.set(session.id.toLowerCase(), session);
  }

  /** Removes a session; true when it existed. */
  deleteSession(id: string): boolean {
    return this.sessions.delete(id.toLowerCase());
  }

  /** Next restored number for an object (`<name>-restored-<n>`). */
  nextRestoredNumber(key: string): number {
    const next = (this.restoredCounters[key] ?? 0) + 1;
    this.restoredCounters[key] = next;
    return next;
  }

  /** All policies in creation order, deleted ones included. */
  listPolicies(): StoredPolicy[] {
    return [...this.policies.values()];
  }

  /** One policy by id, deleted ones included. */
  getPolicy(id: string): StoredPolicy | undefined {
    return this.policies.get(id.toLowerCase());
  }

  /** Adds a policy. */
  addPolicy(policy: StoredPolicy): void {
    this.policies.set(policy.id.toLowerCase(), policy);
    if (!this.unitsByPolicy.has(policy.id)) this.unitsByPolicy.set(policy.id, []);
  }

  /** Every unit ever created, removed ones included. */
  listUnits(): StoredUnit[] {
    return [...this.units.values()];
  }

  /** One unit by id. */
  getUnit(id: string): StoredUnit | undefined {
    return this.units.get(id.toLowerCase());
  }

  /** The units of a policy, removed ones included, in the order they joined. */
  unitsOfPolicy(policyId: string): readonly StoredUnit[] {
    return this.unitsByPolicy.get(policyId) ?? [];
  }

  /** Every unit that ever protected this object, oldest first. */
  unitsForKey(workload: WorkloadName, key: string): readonly StoredUnit[] {
    return this.unitsByKey.get(unitKey(workload, key)) ?? [];
  }

  /** Adds a unit. */
  addUnit(unit: StoredUnit): void {
    this.units.set(unit.id.toLowerCase(), unit);
    const ofPolicy = this.unitsByPolicy.get(unit.policyId) ?? [];
    ofPolicy.push(unit);
    this.unitsByPolicy.set(unit.policyId, ofPolicy);
    const forKey = this.unitsByKey.get(unitKey(unit.workload, unit.key)) ?? [];
    forKey.push(unit);
    this.unitsByKey.set(unitKey(unit.workload, unit.key), forKey);
  }

  /** Remembers an artifact search. */
  addSearch(search: StoredSearch): void {
    this.searches.set(search.id, search);
  }

  /** A remembered artifact search. */
  getSearch(id: string): StoredSearch | undefined {
    return this.searches.get(id);
  }

  /** All remembered artifact searches. */
  listSearches(): StoredSearch[] {
    return [...this.searches.values()];
  }

  /** A JSON-able copy of the whole store. */
  snapshot(): StoreSnapshot {
    return structuredClone({
      sessions: this.listSessions(),
      policies: this.listPolicies(),
      units: this.listUnits(),
      searches: this.listSearches(),
      serviceStatus: this.serviceStatus,
      outcomes: this.outcomes,
      restoredCounters: this.restoredCounters,
    });
  }

  /** Replaces the whole store with a snapshot. */
  restore(snapshot: StoreSnapshot): void {
    this.sessions = new Map(snapshot.sessions.map((s) => [s.id.toLowerCase(), s]));
    this.policies = new Map();
    this.units = new Map();
    this.unitsByPolicy = new Map();
    this.unitsByKey = new Map();
    for (const policy of snapshot.policies) this.addPolicy(policy);
    for (const unit of snapshot.units) this.addUnit(unit);
    this.searches = new Map(snapshot.searches.map((s) => [s.id, s]));
    this.serviceStatus = snapshot.serviceStatus;
    this.outcomes = { ...snapshot.outcomes };
    this.restoredCounters = { ...snapshot.restoredCounters };
  }
}

function unitKey(workload: WorkloadName, key: string): string {
  return `${workload}|${key.toLowerCase()}`;
}
