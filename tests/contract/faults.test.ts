/** Contract: fault injection (statuses, latency, resets, malformed bodies, hangs, probability, rate limits) and the journal. */
import type { Emulator } from "../../emulator";
import { RS, SP, call, expectGraphError, latestPoints, startFrozen } from "./emulator-helpers";

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startFrozen();
});
afterEach(() => emulator.close());

const get = (path = RS, headers: Record<string, string> = {}) =>
  emulator.fetch(new Request(`${emulator.url}/v1.0${path}`, { headers: { authorization: `Bearer ${emulator.accessToken}`, ...headers } }));
const createRequest = () =>
  new Request(`${emulator.url}/v1.0${SP}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.accessToken}`, "content-type": "application/json" },
    body: JSON.stringify({ siteRestoreArtifacts: [{ restorePoint: { id: latestPoints(emulator, 1)[0] }, destinationType: "inPlace" }] }),
  });
const outcomes = () => emulator.journal.entries().map((e) => [e.method, e.path, e.status, e.outcome]);

describe("status faults", () => {
  it("answers 429 with Retry-After for the matching route and method, exactly `times` times", async () => {
    emulator.faults.add({ method: "GET", path: RS, status: 429, retryAfterSeconds: 7, times: 2 });
    const first = await call(emulator, "GET", RS);
    expectGraphError(first, 429, "TooManyRequests");
    expect(first.headers.get("retry-after")).toBe("7");
    expect((await call(emulator, "GET", RS)).status).toBe(429);
    expect((await call(emulator, "GET", RS)).status).toBe(200);
    expect((await call(emulator, "POST", SP, { body: {} })).status).toBe(201);
    expect(outcomes().map((o) => o[3])).toEqual(["fault", "fault", "response", "response"]);
  });

  it.each([
    [500, "InternalServerError"],
    [503, "ServiceUnavailable"],
    [504, "GatewayTimeout"],
  ])("answers %i with Graph code %s", async (status, code) => {
    emulator.faults.add({ path: "/solutions/backupRestore/restoreSessions/{id}", status: status as 500 | 503 | 504, times: 1 });
    const id = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    expectGraphError(await call(emulator, "GET", `${RS}/${id}`), status, code);
    expectGraphError(await call(emulator, "GET", `${RS}/${id}`), 404, "RestoreSessionNotFound");
  });

  it("uses a given code and matches a RegExp path", async () => {
    emulator.faults.add({ path: /\/activate$/, status: 500, code: "TooManyActiveRestoreSessions", times: 1 });
    const id = (await call(emulator, "POST", SP, { body: {} })).body.id;
    expectGraphError(await call(emulator, "POST", `${RS}/${id}/activate`), 500, "TooManyActiveRestoreSessions");
  });

  it("fires never with probability 0 and always with probability 1, and clear() removes rules", async () => {
    emulator.faults.add({ status: 503, probability: 0 });
    expect((await call(emulator, "GET", RS)).status).toBe(200);
    emulator.faults.add({ status: 504, probability: 1 });
    expect((await call(emulator, "GET", RS)).status).toBe(504);
    expect((await call(emulator, "GET", RS)).status).toBe(504);
    emulator.faults.clear();
    expect((await call(emulator, "GET", RS)).status).toBe(200);
  });

  it("rate-limits per application with a token bucket refilled by the virtual clock", async () => {
    emulator.faults.add({ rateLimit: { perSecond: 1, burst: 2 } });
    emulator.apps.register({ clientId: "22222222-3333-4444-8555-666666666666", displayName: "other app" });
    const other = emulator.issueToken("22222222-3333-4444-8555-666666666666");
    expect((await call(emulator, "GET", RS)).status).toBe(200);
    expect((await call(emulator, "GET", RS)).status).toBe(200);
    const limited = await call(emulator, "GET", RS);
    expectGraphError(limited, 429, "TooManyRequests");
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await call(emulator, "GET", RS, { token: other })).status).toBe(200);
    emulator.clock.advance(1000);
    expect((await call(emulator, "GET", RS)).status).toBe(200);
    expect((await call(emulator, "GET", RS)).status).toBe(429);
  });
});

describe("seeded draws and the request hook", () => {
  it("draws each rule's probability from the given source, with the request it matched", async () => {
    await emulator.close();
    const asked: string[] = [];
    // Fires for GETs of the collection only: the source sees method and template, and decides.
    emulator = await startFrozen({
      random: (request) => {
        asked.push(`${request.method} ${request.template}`);
        return request.method === "GET" && request.template === "/solutions/backupRestore/restoreSessions" ? 0 : 1;
      },
    });
    emulator.faults.add({ status: 503, probability: 0.5 });
    expectGraphError(await call(emulator, "GET", RS), 503, "ServiceUnavailable");
    expect((await call(emulator, "POST", SP, { body: {} })).status).toBe(201);
    expect(asked).toEqual(["GET /solutions/backupRestore/restoreSessions", "POST /solutions/backupRestore/sharePointRestoreSessions"]);
  });

  it("calls onRequest first, so a clock it moves dates that very request", async () => {
    await emulator.close();
    const seen: string[] = [];
    emulator = await startFrozen({
      onRequest: (request) => {
        seen.push(`${request.method} ${request.path} ${request.template} ${request.authorization === `Bearer ${emulator.accessToken}`}`);
        emulator.clock.advance(60_000);
      },
    });
    const before = emulator.clock.now().getTime();
    const created = await call(emulator, "POST", SP, { body: {} });
    expect(Date.parse(created.body.createdDateTime)).toBe(before + 60_000);
    expect(seen).toEqual([`POST /v1.0${SP} /solutions/backupRestore/sharePointRestoreSessions true`]);
  });
});

describe("connection faults", () => {
  it("adds latency and still answers", async () => {
    emulator.faults.add({ latencyMs: 20, times: 1 });
    expect((await get()).status).toBe(200);
    expect(outcomes()).toEqual([["GET", `/v1.0${RS}`, 200, "fault"]]);
  });

  it("resets before processing: the request fails and nothing changes", async () => {
    emulator.faults.add({ method: "POST", path: SP, reset: "before", times: 1 });
    const failure = await emulator.fetch(createRequest()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError & { cause: { code: string } }).cause.code).toBe("ECONNRESET");
    expect(emulator.tenant.sessions()).toHaveLength(0);
    expect(outcomes()).toEqual([["POST", `/v1.0${SP}`, undefined, "reset-before"]]);
  });

  it("resets after processing: the request fails but the session was created", async () => {
    emulator.faults.add({ method: "POST", path: SP, reset: "after", times: 1 });
    const failure = await emulator.fetch(createRequest()).catch((e: unknown) => e);
    expect((failure as TypeError & { cause: { code: string } }).cause.code).toBe("ECONNRESET");
    expect(emulator.tenant.sessions()).toHaveLength(1);
    expect(outcomes()).toEqual([["POST", `/v1.0${SP}`, undefined, "reset-after"]]);
  });

  it("sends a malformed body with the real status", async () => {
    emulator.faults.add({ method: "POST", path: SP, malformed: true, times: 1 });
    const response = await emulator.fetch(createRequest());
    expect(response.status).toBe(201);
    // Matched by name: jest's sandbox has its own SyntaxError constructor.
    await expect(response.json()).rejects.toHaveProperty("name", "SyntaxError");
    expect(emulator.tenant.sessions()).toHaveLength(1);
    expect(outcomes()[0]![3]).toBe("malformed");
  });

  it("never answers a timed-out request until the client aborts", async () => {
    emulator.faults.add({ timeout: true, times: 1 });
    const controller = new AbortController();
    const pending = emulator.fetch(
      new Request(`${emulator.url}/v1.0${RS}`, { headers: { authorization: `Bearer ${emulator.accessToken}` }, signal: controller.signal }),
    );
    controller.abort(new Error("client gave up"));
    await expect(pending).rejects.toThrow("client gave up");
    expect(outcomes()).toEqual([["GET", `/v1.0${RS}`, undefined, "timeout"]]);
  });
});

describe("journal", () => {
  it("records method, path, query, headers with the bearer redacted, body, status and outcome", async () => {
    await call(emulator, "POST", SP, { body: {}, headers: { "client-request-id": "abc" } });
    await call(emulator, "GET", `${RS}?$top=5`);
    const entries = emulator.journal.entries();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      time: "2026-11-28T21:00:00.000Z",
      method: "POST",
      path: `/v1.0${SP}`,
      query: {},
      body: {},
      status: 201,
      outcome: "response",
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(entries[0]!.headers).toMatchObject({
      authorization: "Bearer [redacted]",
      "client-request-id": "abc",
      "content-type": "application/json",
    });
    expect(JSON.stringify(entries)).not.toContain(emulator.accessToken);
    expect(entries[1]).toMatchObject({ method: "GET", query: { $top: "5" }, body: undefined, status: 200 });
    emulator.journal.clear();
    expect(emulator.journal.entries()).toEqual([]);
  });

  it("records token requests with the client secret redacted", async () => {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: emulator.demoApp.clientId,
      client_secret: emulator.demoApp.clientSecret,
      scope: "https://graph.microsoft.com/.default",
    });
    const response = await emulator.fetch(
      new Request(`${emulator.url}/${emulator.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
      }),
    );
    expect(response.status).toBe(200);
    const { access_token } = (await response.json()) as { access_token: string };
    expect((await call(emulator, "GET", RS, { token: access_token })).status).toBe(200);
    const [entry] = emulator.journal.entries();
    expect(entry!.body).toEqual({ ...Object.fromEntries(form), client_secret: "[redacted]" });
    expect(JSON.stringify(emulator.journal.entries())).not.toContain(emulator.demoApp.clientSecret);
  });
});
