import { SHAREPOINT } from "../../provider/workloads";
import type { Settings } from "../../provider/config";
import { createGraphClient, DEFAULT_RETRY_POLICY, GraphRequestError, type RetryPolicy } from "../../provider/graph";
import { parseRetryAfter, retryDelayMs, shouldRetry } from "../../provider/graph/retry-policy";
import { connectionRefused, graphError, json, recordingSleep, scriptedFetch, sessionBody } from "./graph-fake-fetch";
import { ThrottleGate } from "../../provider/graph/throttle-gate";

const settings: Settings = {
  graphEndpoint: "https://graph.microsoft.com",
  apiVersion: "v1.0",
  credentials: { kind: "accessToken", token: "static-access-token-0123456789" },
};
const SESSIONS = "https://graph.microsoft.com/v1.0/solutions/backupRestore/sharePointRestoreSessions";
const SESSION = "https://graph.microsoft.com/v1.0/solutions/backupRestore/restoreSessions/s-1";

function clientWith(retry: Partial<RetryPolicy>, ...replies: Parameters<typeof scriptedFetch>) {
  const transport = scriptedFetch(...replies);
  const sleeper = recordingSleep();
  const lines: string[] = [];
  const client = createGraphClient(settings, {
    throttle: new ThrottleGate(undefined, sleeper.now),
    fetch: transport.fetch,
    sleep: sleeper.sleep,
    log: (line) => lines.push(line),
    retry: { jitterRatio: 0, ...retry },
  });
  return { client, requests: transport.requests, waits: sleeper.waits, lines };
}

async function rejectionOf(promise: Promise<unknown>): Promise<GraphRequestError> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => {
      if (error instanceof GraphRequestError) return error;
      throw error;
    },
  );
}

const throttled = (retryAfter?: string) =>
  graphError(429, "TooManyRequests", "Slow down.", "rid-429", retryAfter === undefined ? {} : { "Retry-After": retryAfter });
const spec = [{ restorePointId: "rp-1", destinationType: "inPlace" as const }];

afterEach(() => jest.restoreAllMocks());

describe("retrying throttled requests", () => {
  it("a throttled create waits exactly Retry-After seconds and succeeds, keeping its client-request-id", async () => {
    const { client, requests, waits, lines } = clientWith({}, throttled("7"), throttled("2"), json(201, sessionBody("s-1")));
    expect((await client.createSession(SHAREPOINT, { artifacts: spec })).id).toBe("s-1");
    expect(waits).toEqual([7000, 2000]);
    expect(requests.map((r) => [r.method, r.url])).toEqual([
      ["POST", SESSIONS],
      ["POST", SESSIONS],
      ["POST", SESSIONS],
    ]);
    expect(requests.map((r) => r.body)).toEqual([requests[0]?.body, requests[0]?.body, requests[0]?.body]);
    expect(new Set(requests.map((r) => r.headers["client-request-id"])).size).toBe(1);
    expect(lines.filter((line) => line.startsWith("retrying"))).toEqual([
      `retrying POST ${SESSIONS} in 7000 ms after HTTP 429 (attempt 2 of 10)`,
      `retrying POST ${SESSIONS} in 2000 ms after HTTP 429 (attempt 3 of 10)`,
    ]);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const now = Date.parse("2026-11-28T21:00:00Z");
    jest.spyOn(Date, "now").mockReturnValue(now);
    const { client, waits } = clientWith({}, throttled(new Date(now + 12_000).toUTCString()), json(200, sessionBody("s-1")));
    await client.getSession("s-1");
    expect(waits).toEqual([12_000]);
  });

  it("backs off exponentially, capped, when a GET gets 503 without Retry-After", async () => {
    const unavailable = () => graphError(503, "ServiceUnavailable", "busy", "rid-503");
    const { client, waits, requests } = clientWith(
      { baseDelayMs: 1000, maxDelayMs: 3000 },
      unavailable(),
      unavailable(),
      unavailable(),
      json(200, sessionBody("s-1")),
    );
    await client.getSession("s-1");
    expect(waits).toEqual([1000, 2000, 3000]);
    expect(requests).toHaveLength(4);
  });

  it("retries a GET on 504 but not a POST", async () => {
    const timeout = () => graphError(504, "GatewayTimeout", "gateway", "rid-504");
    const read = clientWith({}, timeout(), json(200, sessionBody("s-1")));
    await read.client.getSession("s-1");
    expect(read.requests).toHaveLength(2);

    const create = clientWith({}, timeout());
    const error = await rejectionOf(create.client.createSession(SHAREPOINT, { artifacts: spec }));
    expect({ status: error.status, code: error.code, retryable: error.retryable }).toEqual({
      status: 504,
      code: "GatewayTimeout",
      retryable: true,
    });
    expect(create.requests).toHaveLength(1);
  });

  it("retries a POST on 503 only when the service gave Retry-After", async () => {
    const withHint = clientWith(
      {},
      graphError(503, "ServiceUnavailable", "busy", "r", { "Retry-After": "3" }),
      json(201, sessionBody("s-1")),
    );
    await withHint.client.createSession(SHAREPOINT, { artifacts: spec });
    expect(withHint.waits).toEqual([3000]);

    const withoutHint = clientWith({}, graphError(503, "ServiceUnavailable", "busy", "r"));
    await expect(withoutHint.client.createSession(SHAREPOINT, { artifacts: spec })).rejects.toThrow(
      "POST /v1.0/solutions/backupRestore/sharePointRestoreSessions -> 503 ServiceUnavailable: busy (request-id r)",
    );
    expect(withoutHint.requests).toHaveLength(1);
  });

  it("retries the documented transient 500 IncompleteArtifactDeletion on delete", async () => {
    const { client, requests, waits } = clientWith(
      { baseDelayMs: 500 },
      graphError(500, "IncompleteArtifactDeletion", "partial", "r2"),
      new Response(null, { status: 204 }),
    );
    expect(await client.deleteSession("s-1")).toBe("deleted");
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE ${SESSION}`, `DELETE ${SESSION}`]);
    expect(waits).toEqual([500]);
  });

  it("leaves TooManyActiveRestoreSessions to the activation loop: one request, the refusal thrown as it is", async () => {
    const { client, requests, waits } = clientWith(
      { baseDelayMs: 500 },
      graphError(500, "TooManyActiveRestoreSessions", "25 active", "r1"),
    );
    const error = await rejectionOf(client.activateSession("s-1"));
    expect({
      status: error.status,
      code: error.code,
      requestId: error.requestId,
      retryable: error.retryable,
      message: error.message,
    }).toEqual({
      status: 500,
      code: "TooManyActiveRestoreSessions",
      requestId: "r1",
      retryable: false,
      message:
        "POST /v1.0/solutions/backupRestore/restoreSessions/s-1/activate -> 500 TooManyActiveRestoreSessions: 25 active (request-id r1)",
    });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${SESSION}/activate`]);
    expect(waits).toEqual([]);
  });

  it("does not retry a POST on any other 500", async () => {
    const { client, requests } = clientWith({}, graphError(500, "InternalServerError", "oops", "r500"));
    const error = await rejectionOf(client.createSession(SHAREPOINT, { artifacts: spec }));
    expect({ status: error.status, code: error.code, requestId: error.requestId, retryable: error.retryable }).toEqual({
      status: 500,
      code: "InternalServerError",
      requestId: "r500",
      retryable: false,
    });
    expect(requests).toHaveLength(1);
  });
});

describe("transport failures", () => {
  const timeout = () => new DOMException("The operation was aborted due to timeout", "TimeoutError");

  it("does not retry a POST that timed out: the service may have acted", async () => {
    const { client, requests, waits } = clientWith({}, timeout());
    const error = await rejectionOf(client.createSession(SHAREPOINT, { artifacts: spec }));
    expect({ status: error.status, code: error.code, retryable: error.retryable }).toEqual({
      status: 0,
      code: "TimeoutError",
      retryable: true,
    });
    expect(error.message).toBe(
      "POST /v1.0/solutions/backupRestore/sharePointRestoreSessions -> request failed TimeoutError; the session may have been created; the token names no application, so it cannot be looked up",
    );
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("retries a GET that timed out", async () => {
    const { client, requests } = clientWith({}, timeout(), json(200, sessionBody("s-1")));
    expect((await client.getSession("s-1"))?.id).toBe("s-1");
    expect(requests).toHaveLength(2);
  });

  it("retries a POST whose connection was refused: nothing reached the service", async () => {
    const { client, requests, waits } = clientWith({ baseDelayMs: 250 }, connectionRefused(), json(201, sessionBody("s-1")));
    expect((await client.createSession(SHAREPOINT, { artifacts: spec })).id).toBe("s-1");
    expect(requests).toHaveLength(2);
    expect(waits).toEqual([250]);
  });
});

describe("limits", () => {
  it("stops before a wait would overrun the time budget and says so", async () => {
    const { client, requests, waits } = clientWith(
      { totalBudgetMs: 60_000 },
      throttled("30"),
      throttled("30"),
      throttled("30"),
      throttled("30"),
    );
    const error = await rejectionOf(client.getSession("s-1"));
    expect(waits).toEqual([30_000, 30_000]);
    expect(requests).toHaveLength(3);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      "GET /v1.0/solutions/backupRestore/restoreSessions/s-1 -> 429 TooManyRequests: Slow down. (request-id rid-429); " +
        "gave up after 3 attempts: waiting 30000 ms more would exceed the time budget of 60000 ms",
    );
  });

  it("stops after maxAttempts", async () => {
    const { client, requests } = clientWith({ maxAttempts: 2 }, throttled("1"), throttled("1"));
    const error = await rejectionOf(client.getSession("s-1"));
    expect(error.message).toBe(
      "GET /v1.0/solutions/backupRestore/restoreSessions/s-1 -> 429 TooManyRequests: Slow down. (request-id rid-429); gave up after 2 attempts",
    );
    expect(requests).toHaveLength(2);
  });

  it("gives each attempt an abort signal", async () => {
    const signals: unknown[] = [];
    const client = createGraphClient(settings, {
      throttle: new ThrottleGate(),
      fetch: (async (_url: string, init?: RequestInit) => {
        signals.push(init?.signal);
        return json(200, sessionBody("s-1"));
      }) as typeof fetch,
    });
    await client.getSession("s-1");
    expect(signals).toHaveLength(1);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
  });
});

describe("retry policy (pure)", () => {
  it.each([
    ["POST", { kind: "response", status: 429 }, true],
    ["POST", { kind: "response", status: 503 }, false],
    ["POST", { kind: "response", status: 503, retryAfterMs: 1000 }, true],
    ["POST", { kind: "response", status: 504 }, false],
    ["PATCH", { kind: "response", status: 503 }, false],
    ["GET", { kind: "response", status: 503 }, true],
    ["DELETE", { kind: "response", status: 504 }, true],
    ["GET", { kind: "response", status: 500 }, false],
    ["GET", { kind: "response", status: 500, code: "InternalServerError" }, false],
    ["POST", { kind: "response", status: 500, code: "TooManyActiveRestoreSessions" }, false],
    ["POST", { kind: "response", status: 500, code: "PolicySaveFailed" }, true],
    ["DELETE", { kind: "response", status: 500, code: "IncompleteArtifactDeletion" }, true],
    ["GET", { kind: "response", status: 400 }, false],
    ["GET", { kind: "response", status: 401 }, false],
    ["POST", { kind: "transportError", connectionRefused: false }, false],
    ["POST", { kind: "transportError", connectionRefused: true }, true],
    ["GET", { kind: "transportError", connectionRefused: false }, true],
  ] as const)("%s %j -> %s", (method, outcome, expected) => {
    expect(shouldRetry(DEFAULT_RETRY_POLICY, method, outcome)).toBe(expected);
  });

  it("parses Retry-After as seconds or HTTP date, ignoring junk", () => {
    const now = Date.parse("2026-11-28T21:00:00Z");
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter("Sat, 28 Nov 2026 21:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Sat, 28 Nov 2026 20:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("jitters backoff within [step * (1 - ratio), step] and never jitters Retry-After", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000, jitterRatio: 0.5 };
    expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(1000);
    expect(retryDelayMs(policy, 3, undefined, () => 1)).toBe(2000);
    expect(retryDelayMs(policy, 10, undefined, () => 0)).toBe(8000);
    expect(retryDelayMs(policy, 1, 4321, () => 1)).toBe(4321);
  });
});
