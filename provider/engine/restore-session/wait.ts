/**
 * Activation and waiting: the two places where the provider deliberately spends time.
 *
 * Time comes from an injected clock so unit tests never sleep. Throttling (429/503 with
 * Retry-After) is already handled inside the Graph client; this module only paces its own polls.
 */
import { FailedLooks, isGraphRequestError, type GraphClient } from "../../graph";
import type { GraphSession } from "../../schemas/wire";
import { TERMINAL_SESSION_STATUSES } from "../../schemas/wire";
import type { WaitForCompletion } from "../../schemas/inputs/restore-session";
import { LIMITS } from "../../workloads";
import { WaitTimeoutError } from "../wait-timeout-error";

/** Where lifecycle code reports what it does; the host shows stderr in `pulumi up`. */
export type Log = (line: string) => void;

/** Wall-clock time and sleeping, injectable so tests control both. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The process's real clock. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Default wait when `waitForCompletion: true`: two hours, polling every 30 seconds. */
export const DEFAULT_TIMEOUT_MINUTES = 120;
export const DEFAULT_POLL_INTERVAL_SECONDS = 30;
/** How long activation retries TooManyActiveRestoreSessions when the user did not ask to wait. */
export const DEFAULT_ACTIVATION_BUDGET_MINUTES = 10;
/** Polls slow down by this factor each time, up to this multiple of the poll interval. */
const BACKOFF_FACTOR = 1.5;
const MAX_BACKOFF_MULTIPLE = 4;

/** The time limits of one create or update: a deadline and a poll interval. */
export interface WaitPlan {
  wait: boolean;
  deadlineMs: number;
  timeoutMinutes: number;
  pollIntervalMs: number;
}

/** Turns the `waitForCompletion` input into a deadline measured from now. */
export function planWait(option: WaitForCompletion | undefined, clock: Clock): WaitPlan {
  const wait = option !== undefined && option !== false;
  const settings = typeof option === "object" ? option : {};
  const timeoutMinutes = wait ? (settings.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES) : DEFAULT_ACTIVATION_BUDGET_MINUTES;
  const pollIntervalMs = (settings.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS) * 1000;
  return { wait, timeoutMinutes, deadlineMs: clock.now() + timeoutMinutes * 60_000, pollIntervalMs };
}

/** True once a session can no longer change. */
export function isTerminal(status: string): boolean {
  return TERMINAL_SESSION_STATUSES.includes(status);
}

/**
 * Activates, and while 25 sessions are already active (500 TooManyActiveRestoreSessions) waits and
 * tries again until the deadline. This is the one place that retries that refusal: the client's
 * retry policy leaves it alone, so the wait budget is the only budget.
 */
export async function activateWithinBudget(graph: GraphClient, id: string, plan: WaitPlan, clock: Clock, log: Log): Promise<GraphSession> {
  let delay = plan.pollIntervalMs;
  for (;;) {
    try {
      return await graph.activateSession(id);
    } catch (error) {
      if (!(isGraphRequestError(error) && error.code === "TooManyActiveRestoreSessions")) throw error;
      const remaining = plan.deadlineMs - clock.now();
      if (remaining <= 0) throw error;
      const pause = Math.min(delay, remaining);
      log(
        `restore session ${id}: the tenant already has ${LIMITS.activeSessions} active restore sessions (TooManyActiveRestoreSessions); ` +
          `trying to activate again in ${seconds(pause)} s (giving up in ${seconds(remaining)} s)`,
      );
      await clock.sleep(pause);
      delay = Math.min(delay * BACKOFF_FACTOR, plan.pollIntervalMs * MAX_BACKOFF_MULTIPLE);
    }
  }
}

/**
 * Polls the session until it ends, logging each status. Throws `WaitTimeoutError` at the deadline.
 * `first` is a session already in hand (say, from activation), so no poll is spent on it. A poll
 * that fails the way a service fails for a moment (a 500 the client does not retry, a broken
 * connection, an unreadable body) is not the end of an hours-long wait: the next poll looks again,
 * and only `MAX_FAILED_LOOKS` such failures in a row end it.
 */
export async function waitUntilTerminal(
  graph: GraphClient,
  id: string,
  plan: WaitPlan,
  clock: Clock,
  log: Log,
  first?: GraphSession,
): Promise<GraphSession> {
  let session = first ?? (await getExisting(graph, id));
  let delay = plan.pollIntervalMs;
  const failedPolls = new FailedLooks();
  for (;;) {
    if (isTerminal(session.status)) return session;
    const remaining = plan.deadlineMs - clock.now();
    if (remaining <= 0) throw new WaitTimeoutError(id, plan.timeoutMinutes, session, progressLine(id, session));
    await clock.sleep(Math.min(delay, remaining));
    delay = Math.min(delay * BACKOFF_FACTOR, plan.pollIntervalMs * MAX_BACKOFF_MULTIPLE);
    try {
      session = await getExisting(graph, id);
      failedPolls.succeeded();
    } catch (error) {
      if (!failedPolls.another(error)) throw error;
      log(`restore session ${id}: looking at its status failed (${(error as Error).message}); looking again at the next poll`);
      continue;
    }
    log(progressLine(id, session));
  }
}

/** `restore session X status active: 2/3 completed, 0 failed` */
export function progressLine(id: string, session: GraphSession): string {
  const count = session.restoreSessionArtifactCount ?? {};
  return `restore session ${id} status ${session.status}: ${count.completed ?? 0}/${count.total ?? "?"} completed, ${count.failed ?? 0} failed`;
}

async function getExisting(graph: GraphClient, id: string): Promise<GraphSession> {
  const session = await graph.getSession(id);
  if (!session) throw new Error(`restore session ${id} no longer exists in Microsoft Graph`);
  return session;
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}
