/**
 * Test helpers for the engine tests: a recording fake `GraphClient` (every call journaled, the
 * workload by name), a clock whose sleeps only move time, and checked inputs built the way the
 * provider builds them (validate, then parse).
 */
import type { SessionContext } from "../../provider/engine/restore-session/lifecycle";
import type { Clock } from "../../provider/engine/restore-session/wait";
import type { GraphClient, GraphSession } from "../../provider/graph";
import { restoreSessionInputRules, type RestoreSessionInputs } from "../../provider/schemas/inputs/restore-session";
import type { Workload } from "../../provider/workloads";

/** One recorded call: the method name, then its arguments (a workload as its name). */
export type Call = [string, ...unknown[]];

/** When the fake's sessions were created and activated. */
export const CREATED = "2026-11-28T21:00:00.000Z";
export const ACTIVATED = "2026-11-28T21:05:00.000Z";

/** A session as Graph answers it. */
export function graphSession(id: string, status = "draft", extra: Partial<GraphSession> = {}): GraphSession {
  return { id, status, createdDateTime: CREATED, ...extra };
}

/**
 * A fake client answering like an empty tenant with one session `s-1`: a create makes a draft, a
 * delta PATCH echoes each added artifact (`art-<restore point>`), activation answers `activating`.
 * `overrides` replace answers; every call is recorded either way, in the order it was made.
 */
export function fakeGraph(overrides: Partial<GraphClient> = {}): { graph: GraphClient; calls: Call[] } {
  const calls: Call[] = [];
  // Protection-policy calls are not restore-session business: a test that makes one must fake it.
  const notFaked = (name: string) => async () => {
    throw new Error(`fakeGraph: ${name} was called but not faked`);
  };
  const policyCalls = [
    "createPolicy",
    "getPolicy",
    "listPolicies",
    "updatePolicy",
    "activatePolicy",
    "deactivatePolicy",
    "deletePolicy",
    "listPolicyUnits",
    "listRules",
    "createRule",
    "updateRule",
    "runRule",
    "deleteRule",
    "createBulkJob",
    "listBulkJobs",
  ] as const;
  const defaults: GraphClient = {
    ...(Object.fromEntries(policyCalls.map((name) => [name, notFaked(name)])) as unknown as Pick<
      GraphClient,
      (typeof policyCalls)[number]
    >),
    createSession: async () => graphSession("s-1"),
    applicationId: () => undefined,
    getSession: async (id) => graphSession(id),
    listRestoreSessions: async () => [],
    listArtifacts: async () => [],
    patchArtifacts: async (_workload, _id, delta) =>
      delta.flatMap((d) =>
        "add" in d ? [{ id: `art-${d.add.restorePointId}`, status: "added", restorePoint: { id: d.add.restorePointId } }] : [],
      ),
    activateSession: async (id) => graphSession(id, "activating", { lastModifiedDateTime: ACTIVATED }),
    deleteSession: async () => "deleted",
    createBulkRequest: async (_workload, _id, body) => ({
      id: "bulk-1",
      status: "active",
      displayName: body.displayName,
      destinationType: body.destinationType,
    }),
    listBulkRequests: async () => [],
    deleteBulkRequest: async () => "deleted",
    listProtectionUnits: async () => [],
    searchRestorePoints: async () => ({ searchResults: [], noResultProtectionUnitIds: [] }),
    getRestorePoint: async () => undefined,
    getServiceStatus: async () => undefined,
  };
  const answers: Record<string, (...args: unknown[]) => Promise<unknown>> = { ...defaults, ...overrides } as never;
  const graph = Object.fromEntries(
    Object.entries(answers).map(([name, answer]) => [
      name,
      (...args: unknown[]) => {
        calls.push([name, ...args.map((a) => (isWorkload(a) ? a.name : a))]);
        return answer(...args);
      },
    ]),
  ) as unknown as GraphClient;
  return { graph, calls };
}

function isWorkload(value: unknown): value is Workload {
  return typeof value === "object" && value !== null && "restoreSession" in value && "protectionUnit" in value;
}

/** A clock whose sleeps only move time forward, recording each pause. */
export function fakeClock(start = "2026-11-28T12:00:00.000Z"): Clock & { sleeps: number[] } {
  let now = Date.parse(start);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** The context the lifecycle runs in, with its log lines collected. */
export function contextFor(
  workload: Workload,
  graph: GraphClient,
  options: { clock?: Clock; apiVersion?: "v1.0" | "beta" } = {},
): { context: SessionContext; lines: string[] } {
  const lines: string[] = [];
  return {
    context: { graph, workload, log: (line) => lines.push(line), clock: options.clock ?? fakeClock(), apiVersion: options.apiVersion },
    lines,
  };
}

/** Inputs as the engine hands them to create and update: checked (defaults filled in), then parsed. */
export function checkedInputs(
  workload: Workload,
  given: Record<string, unknown>,
  apiVersion: "v1.0" | "beta" = "v1.0",
): RestoreSessionInputs {
  const rules = restoreSessionInputRules(workload);
  const { inputs, failures } = rules.validate(given, apiVersion);
  if (failures.length > 0) throw new Error(`test inputs do not pass check: ${JSON.stringify(failures)}`);
  return rules.parse(inputs);
}

/** The checked inputs as diff receives them (defaults filled in, still under the workload's names). */
export function checkedNews(
  workload: Workload,
  given: Record<string, unknown>,
  apiVersion: "v1.0" | "beta" = "v1.0",
): Record<string, unknown> {
  const { inputs, failures } = restoreSessionInputRules(workload).validate(given, apiVersion);
  if (failures.length > 0) throw new Error(`test inputs do not pass check: ${JSON.stringify(failures)}`);
  return inputs;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}
