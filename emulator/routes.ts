/**
 * The route table: method + path template (after `/v1.0` or `/beta`) -> handler, the roles that
 * may call it, and the path under which the OpenAPI document describes it (docs use short action
 * names such as `/activate`, the spec namespace-qualified ones).
 */
import type { RouteHandler } from "./context";
import { activateSession, createSession, deleteSession, getSession, listSessions, patchSession } from "./handlers/sessions";
import { listArtifacts } from "./handlers/artifacts";
import { createBulkRequest, deleteBulkRequest, getBulkRequest, listBulkRequests } from "./handlers/bulk";
import { getPolicy, getProtectionUnit, listPolicies, listPolicyUnits, listProtectionUnits, searchRestorePoints } from "./handlers/catalog";

const WRITE = ["BackupRestore-Restore.ReadWrite.All"];
const READ = ["BackupRestore-Restore.Read.All", "BackupRestore-Restore.ReadWrite.All"];
const SEARCH = ["BackupRestore-Search.Read.All"];
const CONFIG = ["BackupRestore-Configuration.Read.All", "BackupRestore-Configuration.ReadWrite.All"];

/** One entry of the route table. */
export interface Route {
  method: string;
  template: string;
  /** The caller needs at least one of these application roles. */
  roles: string[];
  /** The spec's template for this operation, when it differs from `template`. */
  specTemplate?: string;
  handler: RouteHandler;
}

const ROOT = "/solutions/backupRestore";
const SP = `${ROOT}/sharePointRestoreSessions`;
const RS = `${ROOT}/restoreSessions`;

/** Every Graph route the emulator serves. */
export const ROUTES: Route[] = [
  { method: "POST", template: SP, roles: WRITE, handler: createSession },
  { method: "GET", template: SP, roles: READ, handler: listSessions },
  { method: "GET", template: RS, roles: READ, handler: listSessions },
  { method: "GET", template: `${SP}/{id}`, roles: READ, handler: getSession },
  { method: "GET", template: `${RS}/{id}`, roles: READ, handler: getSession },
  { method: "PATCH", template: `${SP}/{id}`, roles: WRITE, handler: patchSession },
  { method: "PATCH", template: `${RS}/{id}`, roles: WRITE, handler: patchSession },
  { method: "DELETE", template: `${SP}/{id}`, roles: WRITE, handler: deleteSession },
  { method: "DELETE", template: `${RS}/{id}`, roles: WRITE, handler: deleteSession },
  {
    method: "POST",
    template: `${RS}/{id}/activate`,
    roles: WRITE,
    specTemplate: `${RS}/{id}/microsoft.graph.activate`,
    handler: activateSession,
  },
  { method: "POST", template: `${RS}/{id}/microsoft.graph.activate`, roles: WRITE, handler: activateSession },
  { method: "GET", template: `${SP}/{id}/siteRestoreArtifacts`, roles: READ, handler: listArtifacts },
  { method: "POST", template: `${SP}/{id}/siteRestoreArtifactsBulkAdditionRequests`, roles: WRITE, handler: createBulkRequest },
  { method: "GET", template: `${SP}/{id}/siteRestoreArtifactsBulkAdditionRequests`, roles: READ, handler: listBulkRequests },
  { method: "GET", template: `${SP}/{id}/siteRestoreArtifactsBulkAdditionRequests/{requestId}`, roles: READ, handler: getBulkRequest },
  {
    method: "DELETE",
    template: `${SP}/{id}/siteRestoreArtifactsBulkAdditionRequests/{requestId}`,
    roles: WRITE,
    handler: deleteBulkRequest,
  },
  {
    method: "POST",
    template: `${ROOT}/restorePoints/search`,
    roles: SEARCH,
    specTemplate: `${ROOT}/restorePoints/microsoft.graph.search`,
    handler: searchRestorePoints,
  },
  { method: "POST", template: `${ROOT}/restorePoints/microsoft.graph.search`, roles: SEARCH, handler: searchRestorePoints },
  { method: "GET", template: `${ROOT}/siteProtectionUnits`, roles: CONFIG, handler: listProtectionUnits },
  { method: "GET", template: `${ROOT}/siteProtectionUnits/{unitId}`, roles: CONFIG, handler: getProtectionUnit },
  {
    method: "GET",
    template: `${ROOT}/protectionUnits/microsoft.graph.siteProtectionUnit`,
    roles: CONFIG,
    specTemplate: `${ROOT}/siteProtectionUnits`,
    handler: listProtectionUnits,
  },
  { method: "GET", template: `${ROOT}/sharePointProtectionPolicies`, roles: CONFIG, handler: listPolicies },
  { method: "GET", template: `${ROOT}/sharePointProtectionPolicies/{policyId}`, roles: CONFIG, handler: getPolicy },
  {
    method: "GET",
    template: `${ROOT}/sharePointProtectionPolicies/{policyId}/siteProtectionUnits`,
    roles: CONFIG,
    handler: listPolicyUnits,
  },
  {
    method: "GET",
    template: `${ROOT}/sharePointProtectionPolicies/{policyId}/siteProtectionUnits/{unitId}`,
    roles: CONFIG,
    handler: getProtectionUnit,
  },
];

/** A matched route with its path parameters. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  /** The concrete path as the spec names it (action names namespace-qualified). */
  specPath: string;
}

/** Finds the route for a method and a path after the version prefix. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const segments = splitPath(path);
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = matchTemplate(route.template, segments);
    if (params) return { route, params, specPath: fillTemplate(route.specTemplate ?? route.template, params) };
  }
  return undefined;
}

/** The route templates any method serves for this path (to tell 405 from 404), or the template of a match. */
export function templateFor(path: string): string | undefined {
  const segments = splitPath(path);
  return ROUTES.find((route) => matchTemplate(route.template, segments))?.template;
}

function splitPath(path: string): string[] {
  return path
    .split("/")
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s));
}

function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
  const parts = splitPath(template);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith("{")) params[part.slice(1, -1)] = segment;
    // Graph matches path segments case-insensitively.
    else if (part.toLowerCase() !== segment.toLowerCase()) return undefined;
  }
  return params;
}

function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
}
