/**
 * `emulator.tenant`: direct access to the tenant for tests, drills and invariant checks ("no
 * orphans, no duplicates"). Reads return raw, complete copies of the stored records plus the
 * statuses derived at the current virtual time; writes are out-of-band changes, as if made in the
 * admin center or by the service itself.
 */
import { WORKLOADS, workload as workloadNamed, type WorkloadName } from "../provider/workloads";
import type { TenantState } from "./context";
import { newGuid } from "./ids";
import { sessionProgress, type SessionProgress } from "./progress";
import type {
  ServiceStatus,
  StoredBulkJob,
  StoredError,
  StoredPolicy,
  StoredRule,
  StoredSession as StoredSessionRecord,
  StoredUnit,
} from "./store";
import { normalize } from "./tenant/directory";
import { jobStatus, type BulkJobStatus, type PolicyStatus, type UnitStatus } from "./tenant/protection";
import { ruleStatus, type RuleStatus } from "./tenant/rules";
import { liveUnitFor, restorePointsOfObject, statusOfPolicy, statusOfUnit } from "./tenant/units";

/** A seeded SharePoint site and its current protection unit (`protectionUnitId` is "" when none protects it). */
export interface SeedSite {
  siteId: string;
  siteWebUrl: string;
  siteName: string;
  protectionUnitId: string;
}

/** A seeded user: the OneDrive's key is the user's `directoryObjectId`; `protectionUnitId` is its drive unit, or "". */
export interface SeedUser {
  directoryObjectId: string;
  email: string;
  displayName: string;
  oneDriveWebUrl: string;
  protectionUnitId: string;
}

/** A seeded mailbox (a user's own, with the user's `directoryObjectId`, or a shared one); `protectionUnitId` is its unit, or "". */
export interface SeedMailbox {
  directoryObjectId: string;
  email: string;
  displayName: string;
  kind: "user" | "shared";
  protectionUnitId: string;
}

/** A seeded group that drive and mailbox inclusion rules can name. */
export interface SeedGroup {
  id: string;
  displayName: string;
  memberIds: string[];
}

/** A stored session as `tenant.sessions()` shows it: the raw record plus its status at the current virtual time. */
export type StoredSession = StoredSessionRecord & { status: SessionProgress["status"] };

/** A stored protection unit with its status now (`removed` once its removal went through). */
export type TenantUnit = StoredUnit & { status: UnitStatus };

/** A stored policy with its status now, its rules and bulk jobs with theirs, and every unit it ever had (removed ones included). */
export type TenantPolicy = Omit<StoredPolicy, "rules" | "bulkJobs"> & {
  status: PolicyStatus | "deleted";
  rules: (StoredRule & { status: RuleStatus })[];
  bulkJobs: (StoredBulkJob & { status: BulkJobStatus })[];
  units: TenantUnit[];
};

/** The tenant API of a running emulator. */
export interface TenantApi {
  /** The seeded sites, protected first, then one unprotected site (empty `protectionUnitId`). */
  sites(): SeedSite[];
  /** The seeded users (each with a OneDrive), protected first, then one unprotected user. */
  users(): SeedUser[];
  /** The seeded mailboxes: user mailboxes, shared ones, then one unprotected user mailbox. */
  mailboxes(): SeedMailbox[];
  /** The seeded groups (members are users' directoryObjectIds). */
  groups(): SeedGroup[];
  /** The newest restore point of a site (id or URL) or, failing that, of a user's OneDrive (id or email). */
  latestRestorePointId(key: string): string;
  /** The newest restore point of a workload's object, by key (site id, directoryObjectId) or name (URL, email). */
  latestRestorePointIdFor(workload: WorkloadName, key: string): string;
  /** Every stored session with its status at the current virtual time. */
  sessions(): StoredSession[];
  /** Deletes a session as if it were removed outside Pulumi (or purged). */
  deleteSession(id: string): void;
  /** Decides how the restore of a restore point, or of every restore point of an object (key or name), ends. */
  setArtifactOutcome(restorePointIdOrKey: string, outcome: "succeeded" | "failed"): void;
  /** Every policy ever created (deleted ones with status `deleted`), with its rules, bulk jobs and units. */
  policies(): TenantPolicy[];
  /** Every protection unit ever created, of one workload or of all, with its status now. */
  protectionUnits(workload?: WorkloadName): TenantUnit[];
  /** Deletes a policy out of band (whatever its status); its units stop protecting at once. */
  deletePolicy(id: string): void;
  /** Adds an object (key or name) to a policy out of band, as if an admin did it elsewhere; returns the new unit. */
  addPolicyUnit(policyId: string, keyOrName: string): TenantUnit;
  /** Sets (or, with null, clears) the error of a protection unit: its active policy reports `activeWithErrors`. */
  setUnitError(unitId: string, error: StoredError | null): void;
  /** The tenant's Backup Storage status. */
  serviceStatus(): ServiceStatus;
  /** Changes the tenant's Backup Storage status; a status other than `enabled` forbids writes (see handlers/service.ts). */
  setServiceStatus(status: Partial<Omit<ServiceStatus, "lastModifiedBy" | "lastModifiedDateTime">> & Pick<ServiceStatus, "status">): void;
}

/** The admin center, as the modifier of out-of-band changes. */
const ADMIN_CENTER = { id: "00000006-0000-0ff1-ce00-000000000000", displayName: "Microsoft 365 admin center" };

/** Builds the tenant API over the shared state; `changed` persists after each write. */
export function createTenantApi(tenant: TenantState, changed: () => void): TenantApi {
  const { directory, store, clock } = tenant;
  const unitId = (workload: WorkloadName, key: string) => liveUnitFor(tenant, workload, key, clock.nowMs())?.id ?? "";
  const withStatus = (unit: StoredUnit): TenantUnit => ({ ...structuredClone(unit), status: statusOfUnit(tenant, unit, clock.nowMs()) });
  const latest = (workload: WorkloadName, keyOrName: string): string | undefined => {
    const object = directory.find(workload, keyOrName);
    if (!object) return undefined;
    return restorePointsOfObject(tenant, workload, object.key, { nowMs: clock.nowMs(), order: "latest", limit: 1 })[0]?.id;
  };
  const write = <T>(change: () => T): T => {
    const result = change();
    changed();
    return result;
  };

  return {
    sites: () =>
      directory.sites.map((s) => ({
        siteId: s.siteId,
        siteWebUrl: s.siteWebUrl,
        siteName: s.siteName,
        protectionUnitId: unitId("sharePoint", s.siteId),
      })),
    users: () =>
      directory.users.map((u) => ({
        directoryObjectId: u.directoryObjectId,
        email: u.email,
        displayName: u.displayName,
        oneDriveWebUrl: u.oneDrive.webUrl,
        protectionUnitId: unitId("oneDrive", u.directoryObjectId),
      })),
    mailboxes: () =>
      directory.mailboxes.map((m) => ({
        directoryObjectId: m.directoryObjectId,
        email: m.email,
        displayName: m.displayName,
        kind: m.kind,
        protectionUnitId: unitId("exchange", m.directoryObjectId),
      })),
    groups: () => structuredClone(directory.groups),
    latestRestorePointId: (key) => {
      const id = latest("sharePoint", key) ?? latest("oneDrive", key);
      if (!id) throw new Error(`No restore point exists for '${key}' (unknown, unprotected, or not backed up yet).`);
      return id;
    },
    latestRestorePointIdFor: (workload, key) => {
      const id = latest(workload, key);
      if (!id)
        throw new Error(
          `No restore point exists for ${workloadNamed(workload).noun.one} '${key}' (unknown, unprotected, or not backed up yet).`,
        );
      return id;
    },
    sessions: () => store.listSessions().map((s) => ({ ...structuredClone(s), status: sessionProgress(s, store, clock.nowMs()).status })),
    deleteSession: (id) => write(() => void store.deleteSession(id)),
    setArtifactOutcome: (key, outcome) =>
      write(() => {
        // A name (URL, email) stands for its object's key, which is what artifacts record.
        const object = WORKLOADS.map((w) => directory.byObjectName(w.name, key)).find((o) => o !== undefined);
        store.outcomes[normalize(object?.key ?? key)] = outcome;
      }),
    policies: () =>
      store.listPolicies().map((policy) => ({
        ...structuredClone(policy),
        status: policy.deletedDateTime !== undefined ? "deleted" : statusOfPolicy(tenant, policy, clock.nowMs()),
        rules: policy.rules.map((rule) => ({ ...structuredClone(rule), status: ruleStatus(rule, clock.nowMs()) })),
        bulkJobs: policy.bulkJobs.map((job) => ({ ...structuredClone(job), status: jobStatus(job, clock.nowMs()) })),
        units: store.unitsOfPolicy(policy.id).map(withStatus),
      })),
    protectionUnits: (workload) =>
      store
        .listUnits()
        .filter((u) => workload === undefined || u.workload === workload)
        .map(withStatus),
    deletePolicy: (id) =>
      write(() => {
        const policy = store.getPolicy(id);
        if (!policy) throw new Error(`No protection policy '${id}'.`);
        const now = new Date(clock.nowMs()).toISOString();
        policy.deletedDateTime = now;
        // The policy's end is the end of protection: no new restore points from now on.
        const open = policy.activations.find((a) => a.untilMs === undefined);
        if (open) open.untilMs = clock.nowMs();
      }),
    addPolicyUnit: (policyId, keyOrName) =>
      write(() => {
        const policy = store.getPolicy(policyId);
        if (!policy || policy.deletedDateTime !== undefined) throw new Error(`No protection policy '${policyId}'.`);
        const object = directory.find(policy.workload, keyOrName);
        if (!object) throw new Error(`No ${workloadNamed(policy.workload).noun.one} '${keyOrName}' in the directory.`);
        // Even out of band, the service keeps one unit per object.
        if (liveUnitFor(tenant, policy.workload, object.key, clock.nowMs())) throw new Error(`'${keyOrName}' is already protected.`);
        const now = new Date(clock.nowMs()).toISOString();
        const unit: StoredUnit = {
          id: newGuid(),
          workload: policy.workload,
          policyId: policy.id,
          key: object.key,
          source: "manual",
          addedMs: clock.nowMs(),
          createdDateTime: now,
          createdBy: ADMIN_CENTER,
          lastModifiedDateTime: now,
          lastModifiedBy: ADMIN_CENTER,
        };
        store.addUnit(unit);
        return withStatus(unit);
      }),
    setUnitError: (id, error) =>
      write(() => {
        const unit = store.getUnit(id);
        if (!unit) throw new Error(`No protection unit '${id}'.`);
        if (error === null) delete unit.error;
        else unit.error = structuredClone(error);
      }),
    serviceStatus: () => structuredClone(store.serviceStatus),
    setServiceStatus: (status) =>
      write(() => {
        store.serviceStatus = {
          ...store.serviceStatus,
          disableReason: "none",
          gracePeriodDateTime: null,
          restoreAllowedTillDateTime: null,
          ...status,
          lastModifiedBy: ADMIN_CENTER,
          lastModifiedDateTime: new Date(clock.nowMs()).toISOString(),
        };
      }),
  };
}
