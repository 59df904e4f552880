/**
 * The route table, built from the workload descriptors: method + path template (after `/v1.0` or
 * `/beta`) -> handler, the roles that may call it, the workload it serves, and what it writes (for
 * the service-status rule). The same handlers serve the three workloads.
 */
import { WORKLOADS, type Workload } from "../provider/workloads";
import type { RouteHandler } from "./context";
import { listArtifacts, listGranularArtifacts } from "./handlers/artifacts";
import { createBulkRequest, deleteBulkRequest, getBulkRequest, listBulkRequests } from "./handlers/bulk-requests";
import { createBulkJob, getBulkJob, listBulkJobs } from "./handlers/bulk-jobs";
import { getPolicy, listPolicies } from "./handlers/policies";
import { activatePolicy, createPolicy, deactivatePolicy, deletePolicy, patchPolicy } from "./handlers/policy-writes";
import { getUnit, listPolicyUnits, listUnits } from "./handlers/protection-units";
import { getRestorePoint } from "./handlers/restore-points";
import { createRule, deleteAndUnprotectRule, deleteRule, getRule, listRules, patchRule, runRule } from "./handlers/rules";
import { searchRestorePoints } from "./handlers/search";
import { getServiceRoot, type WriteKind } from "./handlers/service";
import { patchSession } from "./handlers/session-delta";
import { activateSession, createSession, deleteSession, getSession, listSessions } from "./handlers/sessions";

const RESTORE_WRITE = ["BackupRestore-Restore.ReadWrite.All"];
const RESTORE_READ = ["BackupRestore-Restore.Read.All", "BackupRestore-Restore.ReadWrite.All"];
const SEARCH = ["BackupRestore-Search.Read.All"];
const CONFIG_READ = ["BackupRestore-Configuration.Read.All", "BackupRestore-Configuration.ReadWrite.All"];
const CONFIG_WRITE = ["BackupRestore-Configuration.ReadWrite.All"];
const CONTROL_READ = ["BackupRestore-Control.Read.All", "BackupRestore-Control.ReadWrite.All"];

/** One entry of the route table. */
export interface Route {
  method: string;
  template: string;
  /** The caller needs at least one of these application roles. */
  roles: string[];
  handler: RouteHandler;
  /** The workload whose collection the route serves; none for the shared routes. */
  workload?: Workload;
  /** What the route writes; a service status other than `enabled` may forbid it. */
  writes?: WriteKind;
}

const ROOT = "/solutions/backupRestore";
const RS = `${ROOT}/restoreSessions`;

function workloadRoutes(workload: Workload): Route[] {
  const { restoreSession, protectionUnit, protectionPolicy } = workload;
  const sessions = `${ROOT}/${restoreSession.collection}`;
  const bulk = `${sessions}/{id}/${restoreSession.bulkRequests}`;
  const policies = `${ROOT}/${protectionPolicy.collection}`;
  const type = protectionUnit.odataType.replace(/^#microsoft\.graph\./, "");
  const policyRules = `${policies}/{policyId}/${protectionPolicy.rules}`;
  const rootRules = `${ROOT}/${protectionPolicy.rules}`;
  const jobs = `${policies}/{policyId}/${protectionPolicy.bulkJobs}`;
  const routes: Omit<Route, "workload">[] = [
    { method: "POST", template: sessions, roles: RESTORE_WRITE, handler: createSession, writes: "restore" },
    { method: "GET", template: sessions, roles: RESTORE_READ, handler: listSessions },
    { method: "GET", template: `${sessions}/{id}`, roles: RESTORE_READ, handler: getSession },
    { method: "PATCH", template: `${sessions}/{id}`, roles: RESTORE_WRITE, handler: patchSession, writes: "restore" },
    { method: "DELETE", template: `${sessions}/{id}`, roles: RESTORE_WRITE, handler: deleteSession, writes: "restore" },
    { method: "GET", template: `${sessions}/{id}/${restoreSession.artifacts}`, roles: RESTORE_READ, handler: listArtifacts },
    { method: "POST", template: bulk, roles: RESTORE_WRITE, handler: createBulkRequest, writes: "restore" },
    { method: "GET", template: bulk, roles: RESTORE_READ, handler: listBulkRequests },
    { method: "GET", template: `${bulk}/{requestId}`, roles: RESTORE_READ, handler: getBulkRequest },
    { method: "DELETE", template: `${bulk}/{requestId}`, roles: RESTORE_WRITE, handler: deleteBulkRequest, writes: "restore" },
    { method: "GET", template: `${ROOT}/${protectionUnit.collection}`, roles: CONFIG_READ, handler: listUnits },
    { method: "GET", template: `${ROOT}/${protectionUnit.collection}/{unitId}`, roles: CONFIG_READ, handler: getUnit },
    { method: "GET", template: `${ROOT}/protectionUnits/microsoft.graph.${type}`, roles: CONFIG_READ, handler: listUnits },
    { method: "POST", template: policies, roles: CONFIG_WRITE, handler: createPolicy, writes: "protection" },
    { method: "GET", template: policies, roles: CONFIG_READ, handler: listPolicies },
    { method: "GET", template: `${policies}/{policyId}`, roles: CONFIG_READ, handler: getPolicy },
    { method: "PATCH", template: `${policies}/{policyId}`, roles: CONFIG_WRITE, handler: patchPolicy, writes: "protection" },
    { method: "POST", template: policyRules, roles: CONFIG_WRITE, handler: createRule, writes: "protection" },
    ...[policyRules, rootRules].flatMap((rules): Omit<Route, "workload">[] => [
      { method: "GET", template: rules, roles: CONFIG_READ, handler: listRules },
      { method: "GET", template: `${rules}/{ruleId}`, roles: CONFIG_READ, handler: getRule },
      { method: "DELETE", template: `${rules}/{ruleId}`, roles: CONFIG_WRITE, handler: deleteRule, writes: "protection" },
      { method: "POST", template: `${rules}/{ruleId}/run`, roles: CONFIG_WRITE, handler: runRule, writes: "protection" },
      // Only dynamic rules can be changed or deleted with their units: the docs list both for drives and mailboxes only.
      ...(protectionPolicy.dynamicRules ? dynamicRuleRoutes(rules) : []),
    ]),
    { method: "POST", template: jobs, roles: CONFIG_WRITE, handler: createBulkJob, writes: "protection" },
    { method: "GET", template: jobs, roles: CONFIG_READ, handler: listBulkJobs },
    { method: "GET", template: `${jobs}/{jobId}`, roles: CONFIG_READ, handler: getBulkJob },
    { method: "GET", template: `${policies}/{policyId}/${protectionUnit.collection}`, roles: CONFIG_READ, handler: listPolicyUnits },
    { method: "GET", template: `${policies}/{policyId}/${protectionUnit.collection}/{unitId}`, roles: CONFIG_READ, handler: getUnit },
  ];
  if (restoreSession.granularArtifacts) {
    routes.push({
      method: "GET",
      template: `${sessions}/{id}/${restoreSession.granularArtifacts}`,
      roles: RESTORE_READ,
      handler: listGranularArtifacts,
    });
  }
  return routes.map((route) => ({ ...route, workload }));
}

function dynamicRuleRoutes(rules: string): Omit<Route, "workload">[] {
  return [
    { method: "PATCH", template: `${rules}/{ruleId}`, roles: CONFIG_WRITE, handler: patchRule, writes: "protection" },
    {
      method: "POST",
      template: `${rules}/{ruleId}/deleteAndUnprotect`,
      roles: CONFIG_WRITE,
      handler: deleteAndUnprotectRule,
      writes: "protection",
    },
  ];
}

/** Routes shared by all workloads. */
const SHARED_ROUTES: Route[] = [
  { method: "GET", template: ROOT, roles: CONTROL_READ, handler: getServiceRoot },
  { method: "GET", template: RS, roles: RESTORE_READ, handler: listSessions },
  { method: "GET", template: `${RS}/{id}`, roles: RESTORE_READ, handler: getSession },
  { method: "DELETE", template: `${RS}/{id}`, roles: RESTORE_WRITE, handler: deleteSession, writes: "restore" },
  { method: "POST", template: `${RS}/{id}/activate`, roles: RESTORE_WRITE, handler: activateSession, writes: "restore" },
  { method: "POST", template: `${RS}/{id}/microsoft.graph.activate`, roles: RESTORE_WRITE, handler: activateSession, writes: "restore" },
  { method: "POST", template: `${ROOT}/restorePoints/search`, roles: SEARCH, handler: searchRestorePoints },
  { method: "POST", template: `${ROOT}/restorePoints/microsoft.graph.search`, roles: SEARCH, handler: searchRestorePoints },
  { method: "GET", template: `${ROOT}/restorePoints/{restorePointId}`, roles: SEARCH, handler: getRestorePoint },
  { method: "GET", template: `${ROOT}/protectionUnits/{unitId}`, roles: CONFIG_READ, handler: getUnit },
  { method: "GET", template: `${ROOT}/protectionPolicies`, roles: CONFIG_READ, handler: listPolicies },
  { method: "GET", template: `${ROOT}/protectionPolicies/{policyId}`, roles: CONFIG_READ, handler: getPolicy },
  { method: "DELETE", template: `${ROOT}/protectionPolicies/{policyId}`, roles: CONFIG_WRITE, handler: deletePolicy, writes: "protection" },
  {
    method: "POST",
    template: `${ROOT}/protectionPolicies/{policyId}/activate`,
    roles: CONFIG_WRITE,
    handler: activatePolicy,
    writes: "protection",
  },
  {
    method: "POST",
    template: `${ROOT}/protectionPolicies/{policyId}/deactivate`,
    roles: CONFIG_WRITE,
    handler: deactivatePolicy,
    writes: "protection",
  },
];

/** Every Graph route the emulator serves. */
export const ROUTES: Route[] = [...WORKLOADS.flatMap(workloadRoutes), ...SHARED_ROUTES];

/** A matched route with its path parameters. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  /** The concrete path (the validator finds the spec's template for it). */
  specPath: string;
}

/** Finds the route for a method and a path after the version prefix; literal segments beat parameters. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const segments = splitPath(path);
  let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = matchTemplate(route.template, segments);
    if (match && (!best || match.literals > best.literals)) best = { route, ...match };
  }
  return best && { route: best.route, params: best.params, specPath: fillTemplate(best.route.template, best.params) };
}

/** The template of a route any method serves for this path (to tell 405 from 400). */
export function templateFor(path: string): string | undefined {
  const segments = splitPath(path);
  let best: { template: string; literals: number } | undefined;
  for (const route of ROUTES) {
    const match = matchTemplate(route.template, segments);
    if (match && (!best || match.literals > best.literals)) best = { template: route.template, literals: match.literals };
  }
  return best?.template;
}

function splitPath(path: string): string[] {
  return path
    .split("/")
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s));
}

function matchTemplate(template: string, segments: string[]): { params: Record<string, string>; literals: number } | undefined {
  const parts = splitPath(template);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  let literals = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith("{")) params[part.slice(1, -1)] = segment;
    // Graph matches path segments case-insensitively.
    else if (part.toLowerCase() !== segment.toLowerCase()) return undefined;
    else literals += 1;
  }
  return { params, literals };
}

function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
}
