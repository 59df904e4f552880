/** Graph paths (relative to the version segment) of the backupRestore calls this client makes. */

const ROOT = "/solutions/backupRestore";

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

export const SHAREPOINT_RESTORE_SESSIONS = `${ROOT}/sharePointRestoreSessions`;
export const SITE_PROTECTION_UNITS = `${ROOT}/siteProtectionUnits`;
export const RESTORE_POINTS_SEARCH = `${ROOT}/restorePoints/search`;

/** `GET`/`DELETE` path of a restore session (the documented base-type path). */
export function restoreSessionPath(id: string): string {
  return `${ROOT}/restoreSessions/${pathSegment(id, "restore session id")}`;
}

/** `POST` path that activates a restore session. */
export function activatePath(id: string): string {
  return `${restoreSessionPath(id)}/activate`;
}

/** `PATCH` path of a SharePoint restore session. */
export function sharePointSessionPath(id: string): string {
  return `${SHAREPOINT_RESTORE_SESSIONS}/${pathSegment(id, "restore session id")}`;
}

/** `GET` path of a session's site restore artifacts. */
export function siteArtifactsPath(id: string): string {
  return `${sharePointSessionPath(id)}/siteRestoreArtifacts`;
}
