/** Graph paths (relative to the version segment) of the backupRestore calls, built from the workload descriptors. */
import type { Workload } from "../workloads";

/** The backupRestore root. */
export const ROOT = "/solutions/backupRestore";

/**
 * One id as one path segment. Encoded so `/`, `?`, `#` and `%` cannot change the path; `.` and
 * `..` are refused outright because URL parsers resolve them (also when percent-encoded).
 */
export function pathSegment(id: string, what: string): string {
  if (typeof id !== "string" || id.trim() === "" || id === "." || id === ".." || id.length > 1024) {
    throw new TypeError(`invalid ${what}: ${JSON.stringify(typeof id === "string" ? id.slice(0, 80) : id)}`);
  }
  return encodeURIComponent(id);
}

export const RESTORE_SESSIONS = `${ROOT}/restoreSessions`;
export const RESTORE_POINTS_SEARCH = `${ROOT}/restorePoints/search`;

/** POST (create) and GET (list) collection of a workload's restore sessions. */
export function sessionCollection(workload: Workload): string {
  return `${ROOT}/${workload.restoreSession.collection}`;
}

/** PATCH path of a restore session: its workload's collection. */
export function sessionPath(workload: Workload, id: string): string {
  return `${sessionCollection(workload)}/${pathSegment(id, "restore session id")}`;
}

/** GET/DELETE path of any restore session (the documented base-type path). */
export function restoreSessionPath(id: string): string {
  return `${RESTORE_SESSIONS}/${pathSegment(id, "restore session id")}`;
}

/** POST path that activates a restore session. */
export function activatePath(id: string): string {
  return `${restoreSessionPath(id)}/activate`;
}

/** GET path of a session's standard (or granular) artifacts. */
export function artifactsPath(workload: Workload, id: string, granular = false): string {
  const property = granular ? workload.restoreSession.granularArtifacts : workload.restoreSession.artifacts;
  if (property === undefined) throw new RangeError(`${workload.title} restore sessions have no granular artifacts`);
  return `${sessionPath(workload, id)}/${property}`;
}

/** Collection of a session's bulk addition requests. */
export function bulkRequestsPath(workload: Workload, sessionId: string): string {
  return `${sessionPath(workload, sessionId)}/${workload.restoreSession.bulkRequests}`;
}

/** One bulk addition request. */
export function bulkRequestPath(workload: Workload, sessionId: string, requestId: string): string {
  return `${bulkRequestsPath(workload, sessionId)}/${pathSegment(requestId, "bulk request id")}`;
}

/**
 * The tenant's protection units of a workload, in the form the docs list
 * (`protectionUnits/microsoft.graph.siteProtectionUnit`); the root navigation `/siteProtectionUnits`
 * is only in the OpenAPI, so a service that follows the docs need not serve it.
 */
export function protectionUnitsPath(workload: Workload): string {
  return `${ROOT}/protectionUnits/${workload.protectionUnit.odataType.slice(1)}`;
}

/** One restore point, with its protection unit expanded. */
export function restorePointPath(id: string): string {
  return `${ROOT}/restorePoints/${pathSegment(id, "restore point id")}?$expand=protectionUnit`;
}

/** POST (create), GET (list) collection of a workload's protection policies. */
export function policyCollection(workload: Workload): string {
  return `${ROOT}/${workload.protectionPolicy.collection}`;
}

/** GET and PATCH path of a protection policy: its workload's collection. */
export function policyPath(workload: Workload, id: string): string {
  return `${policyCollection(workload)}/${pathSegment(id, "protection policy id")}`;
}

/** DELETE path of any protection policy (the documented base-type path). */
export function protectionPolicyPath(id: string): string {
  return `${ROOT}/protectionPolicies/${pathSegment(id, "protection policy id")}`;
}

/** POST path that activates or deactivates a protection policy. */
export function policyActionPath(id: string, action: "activate" | "deactivate"): string {
  return `${protectionPolicyPath(id)}/${action}`;
}

/** GET path of a policy's protection units. */
export function policyUnitsPath(workload: Workload, policyId: string): string {
  return `${policyPath(workload, policyId)}/${workload.protectionUnit.collection}`;
}

/** Collection of a policy's inclusion rules (POST, GET). */
export function rulesPath(workload: Workload, policyId: string): string {
  return `${policyPath(workload, policyId)}/${workload.protectionPolicy.rules}`;
}

/** One inclusion rule (PATCH, DELETE). */
export function rulePath(workload: Workload, policyId: string, ruleId: string): string {
  return `${rulesPath(workload, policyId)}/${pathSegment(ruleId, "inclusion rule id")}`;
}

/** Collection of a policy's protection-unit bulk addition jobs (POST, GET). */
export function bulkJobsPath(workload: Workload, policyId: string): string {
  return `${policyPath(workload, policyId)}/${workload.protectionPolicy.bulkJobs}`;
}
