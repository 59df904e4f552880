/** Finding the session a path names, and the draft-only rule shared by every session write. */
import type { RouteContext } from "../context";
import { GraphHttpError } from "../errors";
import { isGuid } from "../ids";
import type { StoredSession } from "../store";

/**
 * The session named in the path: 400 InvalidRestoreSessionId when malformed, 404
 * RestoreSessionNotFound when absent, or when a workload's collection names another workload's
 * session (an Exchange session is not found under `sharePointRestoreSessions`).
 */
export function sessionFromPath(context: RouteContext): StoredSession {
  const id = context.params.id!;
  if (!isGuid(id)) throw new GraphHttpError(400, "InvalidRestoreSessionId", `'${id}' is not a valid restore session id.`);
  const session = context.tenant.store.getSession(id);
  if (!session || (context.workload && context.workload.name !== session.workload)) {
    throw new GraphHttpError(404, "RestoreSessionNotFound", `Restore session '${id}' was not found.`);
  }
  return session;
}

/** Throws 403 RestoreSessionActionNotAllowed unless the session is still a draft. */
export function requireDraft(session: StoredSession, action: string): void {
  if (session.activatedDateTime !== undefined) {
    throw new GraphHttpError(
      403,
      "RestoreSessionActionNotAllowed",
      `Cannot ${action} restore session '${session.id}': it is no longer in draft.`,
    );
  }
}

/** Records the caller and time of a change to a session. */
export function touch(session: StoredSession, context: RouteContext): void {
  session.lastModifiedDateTime = new Date(context.nowMs).toISOString();
  session.lastModifiedBy = context.caller;
}
