/**
 * The request pipeline shared by the HTTPS server and the in-process `fetch`: journal, token
 * endpoint, faults, latency, authentication, roles, body validation against the OpenAPI document,
 * route handler, Graph headers. It returns what to do with the connection, not only a response,
 * because faults can reset it or leave it hanging.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Authority, Caller } from "./auth";
import { jsonResponse, type RouteContext, type TenantState } from "./context";
import { GraphHttpError, odataErrorBody, type ErrorContext } from "./errors";
import { faultCode, type FaultDecision, type FaultSet } from "./faults";
import { Journal, journalBody, journalHeaders, type JournalOutcome } from "./journal";
import { TERMINAL_STATUSES, sessionProgress } from "./progress";
import { checkServiceAllows } from "./handlers/service";
import { matchRoute, templateFor } from "./routes";
import { RETENTION_MS } from "./tenant/restore-point-grid";

/** How the transport should finish a request. */
export type DispatchResult = { kind: "response"; response: Response } | { kind: "reset" } | { kind: "hang" };

/** What a request hook sees of each request as it arrives, before its time, faults and sign-in are decided. */
export interface IncomingRequest {
  method: string;
  /** Full path, with the version prefix. */
  path: string;
  /** Template of the matched Graph route; undefined for the token endpoint and unknown paths. */
  template?: string;
  /** The `Authorization` header as sent, so a test can collect the bearer tokens it must never find elsewhere. */
  authorization: string | null;
}

/** Validates request bodies against the OpenAPI document of one Graph version. */
export interface RequestValidator {
  validateRequest(method: string, path: string, body: unknown): string[];
}

/** What the dispatcher is built from. */
export interface DispatcherDeps {
  tenant: TenantState;
  authority: Authority;
  faults: FaultSet;
  journal: Journal;
  validators: Record<"v1.0" | "beta", RequestValidator>;
  /** Latency added to every Graph request. */
  latencyMs: number;
  /** Called after each request, e.g. to persist the state. */
  afterRequest: () => void;
  /** Resolves when the emulator closes; ends hanging requests and pending latency. */
  closed: Promise<void>;
  /** Called as each request arrives (body read), before anything else: e.g. to move the virtual clock per request. */
  onRequest?: (request: IncomingRequest) => void;
}

const VERSION_PREFIX = /^\/(v1\.0|beta)(\/.*)?$/i;
const UNKNOWN_ENUM_PREFERENCE = "include-unknown-enum-members";

/** Handles one request end to end. */
export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  /** Runs the pipeline for one request. */
  async dispatch(request: Request): Promise<DispatchResult> {
    const startedAt = performance.now();
    // Time spent sleeping for added latency or a fault's delay is not the emulator's own handling time.
    let sleptMs = 0;
    const { tenant, journal } = this.deps;
    const url = new URL(request.url);
    const bodyText = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    const versionMatch = VERSION_PREFIX.exec(url.pathname);
    const graphPath = versionMatch ? (versionMatch[2] ?? "/") : url.pathname;
    const template = versionMatch ? templateFor(graphPath) : undefined;
    this.deps.onRequest?.({ method: request.method, path: url.pathname, template, authorization: request.headers.get("authorization") });
    const requestId = randomUUID();
    const errorContext: ErrorContext = {
      requestId,
      clientRequestId: request.headers.get("client-request-id") ?? requestId,
      date: tenant.clock.now(),
    };
    const entry = {
      time: errorContext.date.toISOString(),
      requestId,
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: journalHeaders(request.headers),
      body: journalBody(bodyText, request.headers.get("content-type")),
    };
    const finish = (result: DispatchResult, outcome: JournalOutcome): DispatchResult => {
      const handlingMs = performance.now() - startedAt - sleptMs;
      journal.record({ ...entry, status: result.kind === "response" ? result.response.status : undefined, outcome, handlingMs });
      this.deps.afterRequest();
      return result;
    };

    purgeExpiredSessions(tenant);
    const caller = versionMatch ? this.deps.authority.verifyBearer(request.headers.get("authorization")) : undefined;
    const fault = this.deps.faults.pick({
      method: request.method,
      path: url.pathname,
      graphPath,
      template,
      appId: caller?.appId ?? "anonymous",
      nowMs: tenant.clock.nowMs(),
    });

    const latency = (versionMatch ? this.deps.latencyMs : 0) + (fault?.latencyMs ?? 0);
    if (latency > 0) {
      const sleepStart = performance.now();
      const slept = await this.sleepUnlessClosed(latency);
      sleptMs += performance.now() - sleepStart;
      if (slept === "closed") return finish({ kind: "reset" }, "reset-before");
    }
    if (fault?.timeout) return finish({ kind: "hang" }, "timeout");
    if (fault?.reset === "before") return finish({ kind: "reset" }, "reset-before");
    if (fault?.status) return finish({ kind: "response", response: decorate(faultResponse(fault, errorContext), errorContext) }, "fault");

    const rebuilt = new Request(url, {
      method: request.method,
      headers: request.headers,
      body: bodyText.length > 0 ? bodyText : undefined,
    });
    const response = versionMatch
      ? await this.graph(rebuilt, versionMatch[1]!.toLowerCase() === "beta" ? "beta" : "v1.0", graphPath, bodyText, caller, errorContext)
      : ((await this.deps.authority.handle(rebuilt)) ??
        errorResponse(new GraphHttpError(404, "NotFound", `No endpoint at '${url.pathname}'.`), errorContext));
    const decorated = decorate(response, errorContext);
    if (fault?.reset === "after") return finish({ kind: "reset" }, "reset-after");
    if (fault?.malformed) return finish({ kind: "response", response: await malformed(decorated) }, "malformed");
    return finish({ kind: "response", response: decorated }, fault ? "fault" : "response");
  }

  private async graph(
    request: Request,
    version: "v1.0" | "beta",
    graphPath: string,
    bodyText: string,
    caller: Caller | undefined,
    errorContext: ErrorContext,
  ): Promise<Response> {
    try {
      const match = matchRoute(request.method, graphPath);
      if (!match) {
        if (templateFor(graphPath))
          throw new GraphHttpError(405, "BadRequest", `The HTTP method '${request.method}' is not allowed on this resource.`);
        throw new GraphHttpError(
          400,
          "BadRequest",
          `Resource not found for the segment '${graphPath.split("/").filter(Boolean).pop() ?? ""}'.`,
        );
      }
      if (!caller) {
        throw new GraphHttpError(401, "InvalidAuthenticationToken", "Access token is empty, expired or not valid for this tenant.", {
          "www-authenticate": this.deps.authority.challenge(request.headers.get("authorization")),
        });
      }
      if (!match.route.roles.some((role) => caller.roles.includes(role))) {
        throw new GraphHttpError(
          403,
          "Forbidden",
          `Authorization_RequestDenied: the application needs one of these roles: ${match.route.roles.join(", ")}.`,
        );
      }
      if (match.route.writes) checkServiceAllows(match.route.writes, this.deps.tenant, this.deps.tenant.clock.nowMs());
      const body = parseBody(bodyText);
      if (body !== undefined) {
        const problems = this.deps.validators[version].validateRequest(request.method, match.specPath, body);
        if (problems.length > 0) throw new GraphHttpError(400, "BadRequest", `Invalid request body: ${problems.join("; ")}`);
      }
      const context: RouteContext = {
        params: match.params,
        version,
        workload: match.route.workload,
        body,
        query: new URL(request.url).searchParams,
        caller: { id: caller.appId, displayName: caller.displayName },
        delegated: caller.delegated === true,
        nowMs: this.deps.tenant.clock.nowMs(),
        includeUnknownEnumMembers: prefers(request.headers, UNKNOWN_ENUM_PREFERENCE),
        tenant: this.deps.tenant,
      };
      const response = await match.route.handler(request, context);
      if (context.includeUnknownEnumMembers) response.headers.set("preference-applied", UNKNOWN_ENUM_PREFERENCE);
      return response;
    } catch (error) {
      if (error instanceof GraphHttpError) return errorResponse(error, errorContext);
      // A bug in a handler must look like a Graph 500, and never leak request details.
      return errorResponse(
        new GraphHttpError(500, "InternalServerError", `Unexpected emulator failure: ${(error as Error).message}`),
        errorContext,
      );
    }
  }

  private sleepUnlessClosed(ms: number): Promise<"slept" | "closed"> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve("slept"), ms);
      void this.deps.closed.then(() => {
        clearTimeout(timer);
        resolve("closed");
      });
    });
  }
}

function parseBody(text: string): unknown {
  if (text.trim().length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphHttpError(
      400,
      "BadRequest",
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  }
}

function prefers(headers: Headers, preference: string): boolean {
  return (headers.get("prefer") ?? "").split(",").some((p) => p.trim().toLowerCase() === preference);
}

function errorResponse(error: GraphHttpError, context: ErrorContext): Response {
  const response = jsonResponse(error.status, odataErrorBody(error.code, error.message, context));
  for (const [name, value] of Object.entries(error.headers)) response.headers.set(name, value);
  return response;
}

function faultResponse(fault: FaultDecision, context: ErrorContext): Response {
  const status = fault.status!;
  const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {};
  return errorResponse(new GraphHttpError(status, fault.code ?? faultCode(status), `Injected fault: HTTP ${status}.`, headers), context);
}

/** Adds the headers Graph puts on every response. */
function decorate(response: Response, context: ErrorContext): Response {
  // Graph's own clock, as every HTTP server sends it; here the tenant's virtual clock.
  response.headers.set("date", context.date.toUTCString());
  response.headers.set("request-id", context.requestId);
  response.headers.set("client-request-id", context.clientRequestId);
  return response;
}

/** The same response with its body cut in half (or a bare `{` when it had none): invalid JSON. */
async function malformed(response: Response): Promise<Response> {
  const text = await response.text();
  const cut = text.length > 1 ? text.slice(0, Math.floor(text.length / 2)) : "{";
  const headers = new Headers(response.headers);
  headers.set("content-type", "application/json;odata.metadata=minimal;charset=utf-8");
  return new Response(cut, { status: response.status === 204 ? 200 : response.status, headers });
}

/** Terminal sessions disappear one (virtual) year after they completed, as the service purges them. */
function purgeExpiredSessions(tenant: TenantState): void {
  const now = tenant.clock.nowMs();
  for (const session of tenant.store.listSessions()) {
    const progress = sessionProgress(session, tenant.store, now);
    if (TERMINAL_STATUSES.includes(progress.status) && progress.completedMs! + RETENTION_MS <= now) tenant.store.deleteSession(session.id);
  }
}
