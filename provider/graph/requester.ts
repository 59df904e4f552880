/**
 * One Graph request through the SDK pipeline, answered as data or thrown as `GraphRequestError`;
 * plus paging and response parsing. Every typed operation in `client.ts` is built on these three.
 */
import { ResponseType, type Client, type GraphRequest } from "@microsoft/microsoft-graph-client";
import type { z } from "zod";
import type { Settings } from "../config";
import { odataErrorSchema, pageSchema } from "../schemas/wire";
import { GraphCallState } from "./call-state";
import { GraphRequestError } from "./graph-request-error";
import type { SecretRedactor } from "./redact";
import type { RetryPolicy } from "./retry-policy";
import { TransportError } from "./transport-error";
import { assertGraphOrigin } from "./url-guard";

/** Opt in to evolvable enum members (e.g. session status `failed`) instead of `unknownFutureValue`. */
const PREFER_HEADER = "include-unknown-enum-members";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** A path under the version segment (with an optional query), or an `@odata.nextLink` to follow verbatim. */
export type Target = { path: string } | { nextLink: string };

/** A 2xx answer. */
export interface Answer {
  method: Method;
  status: number;
  body: unknown;
  path: string;
  requestId?: string;
  /** A 2xx whose body is not JSON. */
  malformed?: boolean;
}

/** Options of one call. */
export interface CallOptions {
  /** Shared with the middlewares; a caller passes its own to read who signed the request. */
  state?: GraphCallState;
  /** A POST that changes nothing (a search): repeated like a GET. */
  readOnly?: boolean;
}

/** Sends requests through the SDK client and turns answers into data or errors. */
export class GraphRequester {
  /** The service's clock minus ours, from the last response's `Date` header; 0 until one is seen. */
  private clockOffsetMs = 0;
  /** The application the last token sent names (`appid`/`azp`), once one was sent. */
  private callerAppId: string | undefined;

  constructor(
    private readonly sdk: Client,
    private readonly settings: Settings,
    private readonly redactor: SecretRedactor,
    private readonly retryPolicy: RetryPolicy,
    readonly log: (line: string) => void,
  ) {}

  /**
   * Sends one request; returns 2xx answers, throws `GraphRequestError` for the rest. A 2xx whose
   * body is not JSON (cut off in transit) is sent once more when repeating is harmless (GET,
   * DELETE, read-only POST); otherwise it is a `MalformedResponseBody` error.
   */
  async call(method: Method, target: Target, body?: unknown, options: CallOptions = {}): Promise<Answer> {
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

  /** GET and parse one object; a 404 is `undefined`. */
  async get<T extends z.ZodTypeAny>(schema: T, path: string): Promise<z.infer<T> | undefined> {
    try {
      return this.parse(schema, await this.call("GET", { path }));
    } catch (error) {
      if (error instanceof GraphRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Follows `@odata.nextLink` (same https origin only) and returns every item. */
  async list<T extends z.ZodTypeAny>(item: T, path: string): Promise<z.infer<T>[]> {
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

  /** The application id the last token sent names; undefined before the first request, or when tokens are opaque. */
  applicationId(): string | undefined {
    return this.callerAppId;
  }

  /**
   * How far the service's clock is ahead of ours (negative when behind), as of the last response:
   * matching `createdDateTime` to an attempt must use the service's clock, not ours.
   */
  serviceClockOffsetMs(): number {
    return this.clockOffsetMs;
  }

  /** Parses a 2xx body; a body that does not fit is an `UnexpectedResponseBody` error naming where. */
  parse<T extends z.ZodTypeAny>(schema: T, answer: Answer): z.infer<T> {
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

  private async callOnce(method: Method, target: Target, body: unknown, state: GraphCallState): Promise<Answer> {
    const path = "nextLink" in target ? new URL(target.nextLink).pathname : `/${this.settings.apiVersion}${target.path.split("?")[0]}`;
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
    this.callerAppId = state.callerAppId ?? this.callerAppId;
    const text = await response.text();
    const headerRequestId = response.headers.get("request-id") ?? undefined;
    const serverDate = Date.parse(response.headers.get("date") ?? "");
    if (!Number.isNaN(serverDate)) this.clockOffsetMs = serverDate - Date.now();
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
