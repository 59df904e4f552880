/**
 * Driving a policy to a status: activate, deactivate, or deactivate-then-delete, waiting while
 * Graph says `updating`.
 *
 * Graph allows activate only from `inactive`, deactivate only from `active` (or
 * `activeWithErrors`), and DELETE only from `inactive`; a policy is `updating` while any unit is
 * being added, removed or unprotected, and right after either action. So each step acts when the
 * status allows it and otherwise waits, polling the policy on an injected clock, until a deadline.
 * A refusal (403 `PolicyActionNotAllowed`, or the 400 a docs example shows) means the status
 * changed under us: wait, look again, go on. A look that fails for a moment (a plain 500, a broken
 * connection, an unreadable body) is repeated at the next poll; three in a row end the wait.
 */
import { FailedLooks, isGraphRequestError, type GraphClient } from "../../graph";
import type { StatusWait } from "../../schemas/inputs/protection-policy";
import type { GraphPolicy } from "../../schemas/wire";
import type { Workload } from "../../workloads";
import { PolicyWaitTimeoutError } from "../policy-wait-timeout-error";
import { realClock, type Clock, type Log } from "../restore-session/wait";

/** Default bound of one wait: an hour, looking every 30 seconds at first. */
export const DEFAULT_STATUS_WAIT_MINUTES = 60;
export const DEFAULT_STATUS_POLL_SECONDS = 30;
/** Polls slow down by this factor each time, up to this multiple of the poll interval. */
const BACKOFF_FACTOR = 1.5;
const MAX_BACKOFF_MULTIPLE = 4;

/** Where a policy should end up. */
export type PolicyGoal = "active" | "inactive" | "deleted";

/** What status driving works with. */
export interface StatusContext {
  graph: GraphClient;
  workload: Workload;
  log: Log;
  clock?: Clock;
}

/**
 * Brings the policy to `goal` and returns it as last seen (undefined once deleted, or found gone).
 * `known` is a status already in hand (from the state or the last answer), which saves a read.
 * Reaching `active` or `inactive` means the action was accepted; Graph finishes it on its own.
 */
export async function driveTo(
  context: StatusContext,
  id: string,
  goal: PolicyGoal,
  wait: StatusWait | undefined,
  known?: GraphPolicy,
): Promise<GraphPolicy | undefined> {
  const { graph, workload, log } = context;
  const clock = context.clock ?? realClock;
  const timeoutMinutes = wait?.timeoutMinutes ?? DEFAULT_STATUS_WAIT_MINUTES;
  const pollMs = (wait?.pollIntervalSeconds ?? DEFAULT_STATUS_POLL_SECONDS) * 1000;
  const deadline = clock.now() + timeoutMinutes * 60_000;
  const what = `${workload.title} protection policy ${id}`;
  let policy = known;
  let delay = pollMs;
  // After our own deactivation the next look is the DELETE itself: when Graph is done, that saves a read.
  let tryDelete = false;
  const failedLooks = new FailedLooks();
  /** Reads the policy; a read that fails for a moment is `undefined` (not seen), up to MAX_FAILED_LOOKS in a row. */
  const look = async (): Promise<GraphPolicy | "gone" | undefined> => {
    try {
      const found = await graph.getPolicy(workload, id);
      failedLooks.succeeded();
      return found ?? "gone";
    } catch (error) {
      if (!failedLooks.another(error)) throw error;
      log(`${what}: looking at its status failed (${(error as Error).message}); looking again`);
      return undefined;
    }
  };

  for (;;) {
    if (policy === undefined && tryDelete) {
      tryDelete = false;
      try {
        await graph.deletePolicy(workload, id);
        return undefined;
      } catch (error) {
        if (isGone(error)) return undefined;
        if (!isRefusedForStatus(error)) throw error;
      }
    }
    if (policy === undefined) {
      const seen = await look();
      if (seen === "gone") return undefined;
      policy = seen;
    }
    // A look that failed for a moment leaves the status unknown: nothing is sent, the next look decides.
    const status = policy?.status ?? "unknown";
    try {
      if (goal === "active" && status === "inactive") return await graph.activatePolicy(workload, id);
      if (goal === "active" && (status === "active" || status === "activeWithErrors")) return policy;
      if (goal !== "active" && (status === "active" || status === "activeWithErrors")) {
        policy = await graph.deactivatePolicy(workload, id);
        log(`${what} deactivated (status ${policy.status ?? "unknown"})`);
        if (goal === "inactive") return policy;
        tryDelete = true;
        continue;
      }
      if (goal === "inactive" && status === "inactive") return policy;
      if (goal === "deleted" && status === "inactive") {
        await graph.deletePolicy(workload, id);
        return undefined;
      }
    } catch (error) {
      if (isGone(error)) return undefined;
      if (!isRefusedForStatus(error)) throw error;
      log(
        `${what}: Graph refused the ${goal === "active" ? "activation" : goal === "inactive" ? "deactivation" : "deletion"} in status ${status}; looking again`,
      );
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw new PolicyWaitTimeoutError(id, goal, timeoutMinutes, status);
    const pause = Math.min(delay, remaining);
    log(
      `${what} is ${status}; waiting ${seconds(pause)} s before looking again (giving up in ${seconds(remaining)} s) to ${goalWords(goal)} it`,
    );
    await clock.sleep(pause);
    delay = Math.min(delay * BACKOFF_FACTOR, pollMs * MAX_BACKOFF_MULTIPLE);
    policy = undefined;
  }
}

/**
 * Graph refused an action because of the policy's status: 403 `PolicyActionNotAllowed` (the error
 * table), or `invalidStateForActivation` (a docs example, with 400). Any other refusal, say a
 * missing permission, is not waited out.
 */
function isRefusedForStatus(error: unknown): boolean {
  if (!isGraphRequestError(error) || (error.status !== 403 && error.status !== 400)) return false;
  return error.code === "PolicyActionNotAllowed" || /^invalidState/i.test(error.code ?? "");
}

function isGone(error: unknown): boolean {
  return isGraphRequestError(error) && error.status === 404;
}

function goalWords(goal: PolicyGoal): string {
  return goal === "active" ? "activate" : goal === "inactive" ? "deactivate" : "delete";
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}
