/** What every route handler receives besides the request: path parameters, the workload and the tenant. */
import type { Workload } from "../provider/workloads";
import type { VirtualClock } from "./clock";
import type { AppIdentity, TenantStore } from "./store";
import type { Directory } from "./tenant/directory";

/** The emulator's shared tenant state. */
export interface TenantState {
  tenantId: string;
  directory: Directory;
  store: TenantStore;
  clock: VirtualClock;
  /** Absolute base URL of the running server, e.g. `https://127.0.0.1:4443`. */
  baseUrl(): string;
}

/** Per-request values handed to a route handler. */
export interface RouteContext {
  params: Record<string, string>;
  version: "v1.0" | "beta";
  /** The workload the route belongs to; undefined for the routes shared by all workloads. */
  workload?: Workload;
  /** Parsed JSON body (undefined when the request had none). */
  body: unknown;
  query: URLSearchParams;
  caller: AppIdentity;
  /** True when the token is delegated (a user signed in through the app). */
  delegated: boolean;
  nowMs: number;
  /** True when the caller sent `Prefer: include-unknown-enum-members`. */
  includeUnknownEnumMembers: boolean;
  tenant: TenantState;
}

/** A route handler: a request in, a response out (errors are thrown as GraphHttpError). */
export type RouteHandler = (request: Request, context: RouteContext) => Response | Promise<Response>;

/** A JSON response in the content type Graph uses. */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8" },
  });
}

/** A `204 No Content`. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** The workload of a workload-bound route (a route-table bug otherwise). */
export function routeWorkload(context: RouteContext): Workload {
  if (!context.workload) throw new Error("route is not bound to a workload");
  return context.workload;
}
