/** Shared helpers for the emulator contract tests: a frozen-clock emulator and a spec-checked call. */
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { createSpecValidator } from "../../emulator/openapi";
import { matchRoute } from "../../emulator/routes";
import { odataErrorSchema } from "../../provider/schemas/wire";
import type { Workload, WorkloadName } from "../../provider/workloads";
import { testCa } from "../support/test-ca";

/** Virtual start time of every contract test tenant (on the 10-minute grid). */
export const START = "2026-11-28T21:00:00.000Z";
export const SP = "/solutions/backupRestore/sharePointRestoreSessions";
export const RS = "/solutions/backupRestore/restoreSessions";
export const MINUTE = 60_000;

/** Starts an emulator on the test CA with the clock frozen at START (tests move it with clock.advance). */
export function startFrozen(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ tls: testCa(), now: START, speed: 0, ...options });
}

/** A parsed response. */
export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
}

/** Options for `call`. */
export interface CallOptions {
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
  version?: "v1.0" | "beta";
  /** Skip the OpenAPI response check (for deliberately broken responses). */
  unchecked?: boolean;
}

/** Sends a Graph request in process and checks the response shape against the OpenAPI document. */
export async function call(emulator: Emulator, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const version = options.version ?? "v1.0";
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? emulator.accessToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const url = path.startsWith("https://") ? path : `${emulator.url}/${version}${path}`;
  const response = await emulator.fetch(
    new Request(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) }),
  );
  const text = await response.text();
  const body = text.length > 0 ? JSON.parse(text) : undefined;
  if (!options.unchecked) expectSpecValid(version, method, new URL(url).pathname.slice(version.length + 1), response.status, body);
  return { status: response.status, headers: response.headers, body };
}

/** Asserts that a response body matches the OpenAPI document for its operation. */
export function expectSpecValid(version: "v1.0" | "beta", method: string, graphPath: string, status: number, body: unknown): void {
  const specPath = matchRoute(method, graphPath)?.specPath ?? graphPath;
  expect({
    operation: `${method} ${specPath} -> ${status}`,
    problems: createSpecValidator(version).validateResponse(method, specPath, status, body),
  }).toEqual({
    operation: `${method} ${specPath} -> ${status}`,
    problems: [],
  });
}

/** Asserts an OData error body with this status and code, carrying request-id and date. */
export function expectGraphError(result: CallResult, status: number, code: string): void {
  expect({ status: result.status, code: result.body?.error?.code }).toEqual({ status, code });
  // The provider's own wire schema must read it too.
  expect(odataErrorSchema.parse(result.body).error.code).toBe(code);
  expect(result.body.error.message).toEqual(expect.any(String));
  expect(result.body.error.innerError).toEqual({
    date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
    "request-id": result.headers.get("request-id"),
    "client-request-id": expect.any(String),
  });
}

/** Restore point ids of the first `count` protected sites, newest point each. */
export function latestPoints(emulator: Emulator, count: number): string[] {
  return emulator.tenant
    .sites()
    .slice(0, count)
    .map((s) => emulator.tenant.latestRestorePointId(s.siteId));
}

/** Creates a draft session for the given restore points and returns its id. */
export async function createDraft(emulator: Emulator, points: string[], destinationType: "new" | "inPlace" = "inPlace"): Promise<string> {
  const result = await call(emulator, "POST", SP, {
    body: { siteRestoreArtifacts: points.map((id) => ({ restorePoint: { id }, destinationType })) },
  });
  expect(result.status).toBe(201);
  return result.body.id as string;
}

/** The Backup Storage root. */
export const ROOT = "/solutions/backupRestore";

/** The newest restore point of each of the first `count` protected objects of a workload. */
export function latestPointsOf(emulator: Emulator, workload: WorkloadName, count: number): string[] {
  const keys =
    workload === "sharePoint"
      ? emulator.tenant.sites().map((s) => s.siteId)
      : workload === "oneDrive"
        ? emulator.tenant.users().map((u) => u.directoryObjectId)
        : emulator.tenant.mailboxes().map((m) => m.directoryObjectId);
  return keys.slice(0, count).map((key) => emulator.tenant.latestRestorePointIdFor(workload, key));
}

/** Creates a draft session of a workload for the given restore points and returns its id. */
export async function createDraftOf(
  emulator: Emulator,
  workload: Workload,
  points: string[],
  destinationType: "new" | "inPlace" = "inPlace",
): Promise<string> {
  const { collection, artifacts } = workload.restoreSession;
  const result = await call(emulator, "POST", `${ROOT}/${collection}`, {
    body: { [artifacts]: points.map((id) => ({ restorePoint: { id }, destinationType })) },
  });
  expect(result.status).toBe(201);
  return result.body.id as string;
}
