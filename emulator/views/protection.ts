/** Wire views of protection policies and protection units, for every workload. */
import { workload as workloadNamed } from "../../provider/workloads";
import type { RouteContext } from "../context";
import type { StoredBulkJob, StoredError, StoredIssue, StoredPolicy, StoredRule, StoredUnit } from "../store";
import type { Directory } from "../tenant/directory";
import { PROTECTION_CHANGE_MS, type BulkJobStatus, type PolicyStatus, type UnitStatus } from "../tenant/protection";
import type { RuleStatus } from "../tenant/rules";
import { identitySet, publicError } from "./common";

/**
 * The retention the docs' policy examples show: 10-minute points for two weeks, weekly ones for a
 * year (our grid). The examples write the periods `P2W` and `P1Y`; the spec's duration pattern
 * takes days only, so the same durations are written in days, which both accept.
 */
const RETENTION_SETTINGS = [
  { interval: "R/PT10M", period: "P14D" },
  { interval: "R/P1W", period: "P365D" },
];
/** The "never" value Graph sends for `offboardRequestedDateTime`, as in every unit example of the docs. */
const NEVER = "0001-01-01T00:00:00.0000000Z";

/** The field that carries a unit's display name, by the field that carries its name. */
const DISPLAY_NAME_FIELD = { siteWebUrl: "siteName", email: "displayName" } as const;

/** A `<workload>ProtectionPolicy`. */
export function policyView(policy: StoredPolicy, status: PolicyStatus): Record<string, unknown> {
  return {
    "@odata.type": workloadNamed(policy.workload).protectionPolicy.odataType,
    id: policy.id,
    displayName: policy.displayName,
    status,
    createdBy: identitySet(policy.createdBy),
    createdDateTime: policy.createdDateTime,
    lastModifiedBy: identitySet(policy.lastModifiedBy),
    lastModifiedDateTime: policy.lastModifiedDateTime,
    retentionSettings: RETENTION_SETTINGS,
  };
}

/**
 * A `<site|drive|mailbox>ProtectionUnit`, named by the workload's key (`siteId`, `directoryObjectId`)
 * and its human names: `siteName` and `siteWebUrl` for delegated callers only (documented note on the
 * list page); `displayName` and `email` for OneDrives and mailboxes, as every example shows them.
 */
export function unitView(
  unit: StoredUnit,
  status: Exclude<UnitStatus, "removed">,
  directory: Directory,
  delegated: boolean,
): Record<string, unknown> {
  const { protectionUnit } = workloadNamed(unit.workload);
  const object = directory.byObjectKey(unit.workload, unit.key);
  const visible = object !== undefined && (protectionUnit.nameForApplications !== "never" || delegated);
  const names = visible ? { [DISPLAY_NAME_FIELD[protectionUnit.name]]: object.displayName, [protectionUnit.name]: object.name } : {};
  return {
    "@odata.type": protectionUnit.odataType,
    id: unit.id,
    [protectionUnit.key]: unit.key,
    ...names,
    policyId: unit.policyId,
    status,
    protectionSources: unit.source,
    createdBy: identitySet(unit.createdBy),
    createdDateTime: unit.createdDateTime,
    lastModifiedBy: identitySet(unit.lastModifiedBy),
    lastModifiedDateTime: unit.lastModifiedDateTime,
    error: unit.error ? publicError(unit.error) : null,
    offboardRequestedDateTime: NEVER,
  };
}

/** A `<site|drive|mailbox>ProtectionRule`, as the rule pages show it; `updateRequested` and `deleteRequested` are evolvable members. */
export function ruleView(rule: StoredRule, status: Exclude<RuleStatus, "deleted">, context: RouteContext): Record<string, unknown> {
  const { protectionPolicy } = workloadNamed(rule.workload);
  return {
    "@odata.type": RULE_TYPES[protectionPolicy.rules],
    id: rule.id,
    status: status === "updateRequested" || status === "deleteRequested" ? evolvableMember(status, context) : status,
    createdBy: identitySet(rule.createdBy),
    createdDateTime: rule.createdDateTime,
    lastModifiedBy: identitySet(rule.lastModifiedBy),
    lastModifiedDateTime: rule.lastModifiedDateTime,
    isAutoApplyEnabled: rule.isAutoApplyEnabled,
    [protectionPolicy.ruleExpression]: rule.expression,
    ...(status === "completedWithErrors" ? { error: publicError(resolutionError(rule.issues)) } : {}),
  };
}

/** A `<site|drive|mailbox>ProtectionUnitsBulkAdditionJob`; lists omit the names and ids, as the list page says. */
export function bulkJobView(job: StoredBulkJob, status: BulkJobStatus, inList: boolean): Record<string, unknown> {
  const { protectionPolicy } = workloadNamed(job.workload);
  return {
    "@odata.type": JOB_TYPES[protectionPolicy.bulkJobs],
    id: job.id,
    displayName: job.displayName ?? null,
    status,
    ...(inList ? {} : { [protectionPolicy.bulkJobNames]: job.names, [JOB_IDS[protectionPolicy.bulkJobNames]]: job.ids }),
    createdBy: identitySet(job.createdBy),
    createdDateTime: job.createdDateTime,
    lastModifiedBy: identitySet(job.createdBy),
    lastModifiedDateTime: new Date(status === "active" ? job.createdMs : job.createdMs + PROTECTION_CHANGE_MS).toISOString(),
    ...(status === "completedWithErrors" ? { error: publicError(resolutionError(job.issues)) } : {}),
  };
}

/** The error of a rule or job that could not protect everything, shaped as the job pages show it. */
function resolutionError(issues: StoredIssue[]): StoredError {
  return { code: "ProtectionResourcesNotFound", message: "Errors while resolving protection resources", details: issues };
}

/** Hides evolvable members of protectionRuleStatus from callers that did not opt in. */
function evolvableMember(value: string, context: RouteContext): string {
  return context.includeUnknownEnumMembers ? value : "unknownFutureValue";
}

const RULE_TYPES = {
  siteInclusionRules: "#microsoft.graph.siteProtectionRule",
  driveInclusionRules: "#microsoft.graph.driveProtectionRule",
  mailboxInclusionRules: "#microsoft.graph.mailboxProtectionRule",
} as const;
const JOB_TYPES = {
  siteProtectionUnitsBulkAdditionJobs: "#microsoft.graph.siteProtectionUnitsBulkAdditionJob",
  driveProtectionUnitsBulkAdditionJobs: "#microsoft.graph.driveProtectionUnitsBulkAdditionJob",
  mailboxProtectionUnitsBulkAdditionJobs: "#microsoft.graph.mailboxProtectionUnitsBulkAdditionJob",
} as const;
/** The property of a bulk job that holds ids, by the property that holds names. */
export const JOB_IDS = { siteWebUrls: "siteIds", drives: "directoryObjectIds", mailboxes: "directoryObjectIds" } as const;
