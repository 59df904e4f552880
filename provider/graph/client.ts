import { Client, ResponseType, type GraphRequest } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import type { Settings } from "../config";
import {
  artifactSchema,
  deltaResultSchema,
  odataErrorSchema,
  pageSchema,
  restorePointSearchResponseSchema,
  sessionSchema,
  siteProtectionUnitSchema,
  type DeltaResult,
  type GraphArtifact,
  type GraphSession,
  type RestorePointSearchResponse,
  type SiteProtectionUnit,
} from "../schemas/graph";
import { GraphCallState } from "./call-state";
import { DeltaItemsFailedError, type DeltaItemFailure } from "./delta-items-failed-error";
import { GraphRequestError, isGraphRequestError } from "./graph-request-error";
import * as paths from "./paths";
import { candidateSessions, mayHaveActed, MAX_CREATE_ROUNDS, sameArtifacts, type CreateAttempt } from "./reconcile";
import type { SecretRedactor } from "./redact";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";
import { TransportError } from "./transport-error";
import { assertGraphOrigin } from "./url-guard";

/** One whole-site restore: which restore point, restored where. */
export type ArtifactSpec = { restorePointId: string; destinationType: "new" | "inPlace" };
/** One element of a delta PATCH: add an artifact, or remove one by its artifact id. */
export type ArtifactDelta = { add: ArtifactSpec } | { remove: string };
/** A restore-point search; at most 20 protection units per call. */
export interface RestorePointSearchRequest {
  protectionUnitIds: string[];
  start?: string;
  end?: string;
  preference?: "latest" | "oldest";
  fastRestoreOnly?: boolean;
}

/** The backupRestore calls the provider makes, each retried and parsed. */
export interface GraphClient {
  createSession(artifacts: ArtifactSpec[]): Promise<GraphSession>;
  getSession(id: string): Promise<GraphSession | undefined>;
  listArtifacts(id: string): Promise<GraphArtifact[]>;
  patchArtifacts(id: string, delta: ArtifactDelta[]): Promise<DeltaResult[]>;
  activateSession(id: string): Promise<GraphSession>;
  deleteSession(id: string): Promise<"deleted" | "notFound">;
  listSiteProtectionUnits(): Promise<SiteProtectionUnit[]>;
  searchRestorePoints(request: RestorePointSearchRequest): Promise<RestorePointSearchResponse>;
  /** Every restore session of the tenant, all workloads (GET .../restoreSessions, all pages). */
  listRestoreSessions(): Promise<ListedRestoreSession[]>;
}

/** A session from the tenant-wide list, with its `@odata.type` telling the workload apart. */
export type ListedRestoreSession = GraphSession & { "@odata.type"?: string };
const listedSessionSchema = sessionSchema.extend({ "@odata.type": z.string().optional().catch(undefined) });

/** Graph's per-request limits that the caller must batch for. */
export const MAX_DELTA_ITEMS_PER_PATCH = 50;
export const MAX_PROTECTION_UNITS_PER_SEARCH = 20;

/** Opt in to evolvable enum members (e.g. session status `failed`) instead of `unknownFutureValue`. */
const PREFER_HEADER = "include-unknown-enum-members";

type Method = "GET" | "POST" | "PATCH" | "DELETE";
type Target = { path: string } | { nextLink: string };
interface Answer {
  method: Method;
  status: number;
  body: unknown;
  path: string;
  requestId?: string;
  /** A 2xx whose body is not JSON. */
  malformed?: boolean;
}

/** Wires the SDK client to typed backupRestore operations. */
export class BackupRestoreClient implements GraphClient {
  constructor(
    private readonly sdk: Client,
    private readonly settings: Settings,
    private readonly redactor: SecretRedactor,
    private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Sessions this client created or adopted; never adopted again for another create. */
  private readonly ownSessionIds = new Set<string>();

  /**
   * Creates a session exactly once. After an ambiguous failure it looks for the session the
   * attempt may have created (this application, the attempt's time window, the same artifacts)
   * and adopts it; only when there is none does it post again.
   */
  async createSession(artifacts: ArtifactSpec[]): Promise<GraphSession> {
    const started = Date.now();
    const body = { siteRestoreArtifacts: artifacts.map(artifactToWire) };
    for (let round = 1; ; round++) {
      const state = new GraphCallState();
      const attemptStarted = Date.now();
      try {
        const session = this.parse(sessionSchema, await this.call("POST", { path: paths.SHAREPOINT_RESTORE_SESSIONS }, body, { state }));
        this.ownSessionIds.add(session.id);
        return session;
      } catch (error) {
        if (!mayHaveActed(error, this.retryPolicy.retryable500Codes)) throw error;
        const failure = error as GraphRequestError;
        if (state.callerAppId === undefined)
          throw failure.withNote("the session may have been created; the token names no application, so it cannot be looked up");
        const adopted = await this.findCreatedSession(failure, {
          appId: state.callerAppId,
          startedMs: attemptStarted,
          endedMs: Date.now(),
          artifacts,
        });
        if (adopted !== undefined) {
          this.log(`create failed (${describeFailure(failure)}), but the session had been created: adopting ${adopted.id}`);
          this.ownSessionIds.add(adopted.id);
          return adopted;
        }
        if (round >= MAX_CREATE_ROUNDS || Date.now() - started >= this.retryPolicy.totalBudgetMs) {
          throw failure.withNote(`no session was created; gave up after ${round} create attempts`);
        }
        this.log(`create failed (${describeFailure(failure)}) and created no session; creating again`);
      }
    }
  }

  /** The one session an ambiguous create made, undefined when it made none; throws when several match. */
  private async findCreatedSession(failure: GraphRequestError, attempt: CreateAttempt): Promise<GraphSession | undefined> {
    let matches: GraphSession[];
    try {
      const candidates = candidateSessions(
        await this.listAll(sessionSchema, paths.SHAREPOINT_RESTORE_SESSIONS),
        attempt,
        this.ownSessionIds,
      );
      matches = [];
      for (const candidate of candidates) {
        if (sameArtifacts(await this.listArtifacts(candidate.id), attempt.artifacts)) matches.push(candidate);
      }
    } catch (lookup) {
      const why = isGraphRequestError(lookup) ? lookup.message : String(lookup);
      throw failure.withNote(`the session may have been created, and looking for it failed too (${why})`);
    }
    if (matches.length > 1) {
      throw failure.withNote(
        `the session may have been created, and ${matches.length} sessions match it (${matches.map((m) => m.id).join(", ")}); adopting none`,
      );
    }
    return matches[0];
  }

  async getSession(id: string): Promise<GraphSession | undefined> {
    try {
      return this.parse(sessionSchema, await this.call("GET", { path: paths.restoreSessionPath(id) }));
    } catch (error) {
      if (error instanceof GraphRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  listArtifacts(id: string): Promise<GraphArtifact[]> {
    return this.listAll(artifactSchema, paths.siteArtifactsPath(id));
  }

  async patchArtifacts(id: string, delta: ArtifactDelta[]): Promise<DeltaResult[]> {
    if (delta.length > MAX_DELTA_ITEMS_PER_PATCH) {
      throw new RangeError(
        `patchArtifacts takes at most ${MAX_DELTA_ITEMS_PER_PATCH} delta items per call (Graph's limit), got ${delta.length}; send them in batches`,
      );
    }
    const path = paths.sharePointSessionPath(id);
    if (delta.length === 0) return [];
    const body = { "siteRestoreArtifacts@delta": delta.map(deltaToWire) };
    for (let round = 1; ; round++) {
      let answer: Answer;
      try {
        answer = await this.call("PATCH", { path }, body);
      } catch (error) {
        if (!mayHaveActed(error, this.retryPolicy.retryable500Codes)) throw error;
        const failure = error as GraphRequestError;
        const applied = await this.deltaOutcome(id, delta, failure);
        if (applied.kind === "applied") {
          this.log(`update of ${id} failed (${describeFailure(failure)}), but the change had been applied`);
          return applied.results;
        }
        if (applied.kind === "partly" || round >= MAX_CREATE_ROUNDS)
          throw failure.withNote(
            applied.kind === "partly" ? "the change was partly applied; refresh to see the session as it is" : "the change was not applied",
          );
        this.log(`update of ${id} failed (${describeFailure(failure)}) and changed nothing; sending it again`);
        continue;
      }
      return this.deltaResults(answer, delta);
    }
  }

  /** Splits a delta answer into applied items and per-item failures; throws `DeltaItemsFailedError` for the latter. */
  private deltaResults(answer: Answer, delta: ArtifactDelta[]): DeltaResult[] {
    const results = this.parseDeltaResults(answer);
    const failures: DeltaItemFailure[] = [];
    const succeeded: DeltaResult[] = [];
    results.forEach((result, position) => {
      const exception = result["@Core.DataModificationException"];
      if (exception === undefined) succeeded.push(result);
      else failures.push(describeDeltaFailure(result, exception, requestedItem(delta, result["@contentId"], position)));
    });
    if (failures.length > 0) throw new DeltaItemsFailedError({ path: answer.path, requestId: answer.requestId, failures, succeeded });
    return succeeded;
  }

  /** Whether an ambiguous delta PATCH took effect, judged from the session's artifacts now. */
  private async deltaOutcome(
    id: string,
    delta: ArtifactDelta[],
    failure: GraphRequestError,
  ): Promise<{ kind: "applied"; results: DeltaResult[] } | { kind: "none" | "partly" }> {
    const listed = await this.listArtifacts(id).catch((lookup: unknown) => {
      throw failure.withNote(
        `the change may have been applied, and reading the artifacts failed too (${isGraphRequestError(lookup) ? lookup.message : String(lookup)})`,
      );
    });
    const present = new Set(listed.map((artifact) => artifact.id));
    const byRestorePoint = new Map(listed.map((artifact) => [artifact.restorePoint?.id, artifact]));
    const done = delta.map((item) => ("add" in item ? byRestorePoint.has(item.add.restorePointId) : !present.has(item.remove)));
    if (done.every(Boolean)) {
      const results = delta.flatMap((item) => {
        const artifact = "add" in item ? byRestorePoint.get(item.add.restorePointId) : undefined;
        return artifact === undefined
          ? []
          : [{ id: artifact.id, status: artifact.status, restorePoint: { id: artifact.restorePoint?.id } }];
      });
      return { kind: "applied", results };
    }
    return { kind: done.some(Boolean) ? "partly" : "none" };
  }

  /** Activates a draft. After an ambiguous failure it reads the session: activated means done, draft means try again. */
  async activateSession(id: string): Promise<GraphSession> {
    const path = paths.activatePath(id);
    for (let round = 1; ; round++) {
      try {
        return this.parse(sessionSchema, await this.call("POST", { path }));
      } catch (error) {
        if (!mayHaveActed(error, this.retryPolicy.retryable500Codes)) throw error;
        const failure = error as GraphRequestError;
        const session = await this.getSession(id).catch((lookup: unknown) => {
          throw failure.withNote(
            `the session may have been activated, and reading it failed too (${isGraphRequestError(lookup) ? lookup.message : String(lookup)})`,
          );
        });
        if (session !== undefined && session.status !== "draft") {
          this.log(`activate of ${id} failed (${describeFailure(failure)}), but the session is ${session.status}: done`);
          return session;
        }
        if (session === undefined || round >= MAX_CREATE_ROUNDS)
          throw failure.withNote(`the session is ${session === undefined ? "gone" : "still a draft"}`);
        this.log(`activate of ${id} failed (${describeFailure(failure)}) and the session is still a draft; activating again`);
      }
    }
  }

  async deleteSession(id: string): Promise<"deleted" | "notFound"> {
    try {
      await this.call("DELETE", { path: paths.restoreSessionPath(id) });
      return "deleted";
    } catch (error) {
      if (error instanceof GraphRequestError && error.status === 404) return "notFound";
      throw error;
    }
  }

  listSiteProtectionUnits(): Promise<SiteProtectionUnit[]> {
    return this.listAll(siteProtectionUnitSchema, paths.SITE_PROTECTION_UNITS);
  }

  async searchRestorePoints(request: RestorePointSearchRequest): Promise<RestorePointSearchResponse> {
    const count = request.protectionUnitIds.length;
    if (count === 0 || count > MAX_PROTECTION_UNITS_PER_SEARCH) {
      throw new RangeError(
        `searchRestorePoints takes 1 to ${MAX_PROTECTION_UNITS_PER_SEARCH} protection unit ids per call (Graph's limit), got ${count}; send them in batches`,
      );
    }
    const body = {
      protectionUnitIds: request.protectionUnitIds,
      ...(request.start !== undefined || request.end !== undefined
        ? {
            protectionTimePeriod: {
              ...(request.start !== undefined ? { startDateTime: request.start } : {}),
              ...(request.end !== undefined ? { endDateTime: request.end } : {}),
            },
          }
        : {}),
      ...(request.preference !== undefined ? { restorePointPreference: request.preference } : {}),
      ...(request.fastRestoreOnly ? { tags: "fastRestore" } : {}),
    };
    // A search changes nothing, so it is repeated like a GET although it is a POST.
    return this.parse(
      restorePointSearchResponseSchema,
      await this.call("POST", { path: paths.RESTORE_POINTS_SEARCH }, body, { readOnly: true }),
    );
  }

  listRestoreSessions(): Promise<ListedRestoreSession[]> {
    return this.listAll(listedSessionSchema, "/solutions/backupRestore/restoreSessions");
  }

  /** Follows `@odata.nextLink` (same https origin only) and returns every item. */
  private async listAll<T extends z.ZodTypeAny>(item: T, path: string): Promise<z.infer<T>[]> {
    const schema = pageSchema(item);
    const items: z.infer<T>[] = [];
    const seen = new Set<string>();
    let target: Target = { path };
    for (;;) {
      const page: z.infer<typeof schema> = this.parse(schema, await this.call("GET", target));
      items.push(...page.value);
      const next: string | undefined = page["@odata.nextLink"];
      if (next === undefined) return items;
      // Checked before the request so a foreign link never even reaches the auth step.
      assertGraphOrigin(next, this.settings.graphEndpoint);
      if (seen.has(next))
        throw new GraphRequestError({
          method: "GET",
          path: new URL(next).pathname,
          status: 200,
          code: "NextLinkLoop",
          retryable: false,
          graphMessage: "the same @odata.nextLink was returned twice",
        });
      seen.add(next);
      target = { nextLink: next };
    }
  }

  /**
   * Sends one request through the pipeline; returns 2xx answers, throws `GraphRequestError` for
   * the rest. A 2xx whose body is not JSON (cut off in transit) is sent once more when repeating
   * is harmless (GET, DELETE); otherwise it is a `MalformedResponseBody` error.
   */
  private async call(
    method: Method,
    target: Target,
    body?: unknown,
    options: { state?: GraphCallState; readOnly?: boolean } = {},
  ): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const state = options.state ?? new GraphCallState("nextLink" in target ? target.nextLink : undefined);
      state.readOnly = options.readOnly === true;
      const answer = await this.callOnce(method, target, body, state);
      if (!answer.malformed) return answer;
      if (attempt === 1 && (method === "GET" || method === "DELETE" || state.readOnly)) {
        this.log(`${method} ${answer.path} -> ${answer.status} with a body that is not JSON; sending it again`);
        continue;
      }
      throw new GraphRequestError({
        method,
        path: answer.path,
        status: answer.status,
        code: "MalformedResponseBody",
        requestId: answer.requestId,
        retryable: false,
        graphMessage: "the response body is not valid JSON",
      });
    }
  }

  private async callOnce(method: Method, target: Target, body: unknown, state: GraphCallState): Promise<Answer> {
    const path = "nextLink" in target ? new URL(target.nextLink).pathname : `/${this.settings.apiVersion}${target.path}`;
    const request = this.sdk
      .api("nextLink" in target ? target.nextLink : target.path)
      .header("Prefer", PREFER_HEADER)
      .responseType(ResponseType.RAW)
      .middlewareOptions([state]);
    let response: Response;
    try {
      response = (await send(request, method, body)) as Response;
    } catch (error) {
      const failure = state.failure ?? error;
      if (failure instanceof TransportError) {
        throw new GraphRequestError({
          method,
          path,
          status: 0,
          code: failure.code,
          retryable: true,
          note: state.stopReason,
          cause: failure.cause,
        });
      }
      throw failure;
    }
    const text = await response.text();
    const headerRequestId = response.headers.get("request-id") ?? undefined;
    if (response.status >= 200 && response.status < 300) {
      const parsed = text === "" ? undefined : safeJson(text);
      return {
        method,
        status: response.status,
        body: parsed,
        path,
        requestId: headerRequestId,
        malformed: text !== "" && parsed === undefined,
      };
    }
    const odata = odataErrorSchema.safeParse(safeJson(text));
    const code = odata.success ? odata.data.error.code : undefined;
    const redirect = response.status >= 300 && response.status < 400 ? "redirects are not followed" : undefined;
    throw new GraphRequestError({
      method,
      path,
      status: response.status,
      code,
      requestId: (odata.success ? odata.data.error.innerError?.["request-id"] : undefined) ?? headerRequestId,
      retryable: isRetryableStatus(this.retryPolicy, response.status, code),
      graphMessage: odata.success ? this.redactor.redact(odata.data.error.message) : undefined,
      note: state.stopReason ?? redirect,
    });
  }

  private parse<T extends z.ZodTypeAny>(schema: T, answer: Answer): z.infer<T> {
    const parsed = schema.safeParse(answer.body);
    if (parsed.success) return parsed.data;
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
      .join("; ");
    throw new GraphRequestError({
      method: answer.method,
      path: answer.path,
      status: answer.status,
      code: "UnexpectedResponseBody",
      requestId: answer.requestId,
      retryable: false,
      graphMessage: where,
    });
  }

  /** The PATCH answer lists results as `value`, as `siteRestoreArtifacts@delta`, or bare; a 204 lists none. */
  private parseDeltaResults(answer: Answer): DeltaResult[] {
    const body = answer.body as Record<string, unknown> | unknown[] | undefined;
    const list = body === undefined ? [] : Array.isArray(body) ? body : (body.value ?? body["siteRestoreArtifacts@delta"]);
    return this.parse(deltaResultSchema.array(), { ...answer, body: list });
  }
}

/** A failure in a few words for a log line: the transport code or the HTTP status. */
function describeFailure(failure: GraphRequestError): string {
  return failure.status === 0 ? `${failure.code}` : `HTTP ${failure.status}`;
}

function send(request: GraphRequest, method: Method, body: unknown): Promise<unknown> {
  switch (method) {
    case "GET":
      return request.get();
    case "POST":
      return request.post(body);
    case "PATCH":
      return request.patch(body);
    case "DELETE":
      return request.delete();
  }
}

function isRetryableStatus(policy: RetryPolicy, status: number, code: string | undefined): boolean {
  if (status === 500) return code !== undefined && policy.retryable500Codes.includes(code);
  return policy.throttleStatuses.includes(status);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function artifactToWire(spec: ArtifactSpec): { restorePoint: { id: string }; destinationType: string } {
  return { restorePoint: { id: spec.restorePointId }, destinationType: spec.destinationType };
}

function deltaToWire(delta: ArtifactDelta): Record<string, unknown> {
  return "add" in delta ? artifactToWire(delta.add) : { "@removed": { reason: "changed" }, id: delta.remove };
}

/** The request item a result answers: by numeric `@contentId` (1-based) when given, else by position. */
function requestedItem(delta: ArtifactDelta[], contentId: string | undefined, position: number): ArtifactDelta | undefined {
  const index = contentId !== undefined && /^\d+$/.test(contentId) ? Number(contentId) - 1 : position;
  return delta[index];
}

function describeDeltaFailure(
  result: DeltaResult,
  exception: NonNullable<DeltaResult["@Core.DataModificationException"]>,
  item: ArtifactDelta | undefined,
): DeltaItemFailure {
  const failure: DeltaItemFailure = {};
  if (result["@contentId"] !== undefined) failure.contentId = result["@contentId"];
  const restorePointId = result.restorePoint?.id ?? (item !== undefined && "add" in item ? item.add.restorePointId : undefined);
  if (restorePointId !== undefined) failure.restorePointId = restorePointId;
  const artifactId = result.id ?? (item !== undefined && "remove" in item ? item.remove : undefined);
  if (artifactId !== undefined) failure.artifactId = artifactId;
  if (exception.info?.code !== undefined) failure.code = exception.info.code;
  if (exception.info?.message !== undefined) failure.message = exception.info.message;
  if (exception.responseCode !== undefined) failure.responseCode = exception.responseCode;
  return failure;
}
