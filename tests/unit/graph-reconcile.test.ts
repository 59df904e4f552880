import { SHAREPOINT } from "../../provider/workloads";
import type { Settings } from "../../provider/config";
import { createGraphClient, GraphRequestError } from "../../provider/graph";
import { mayHaveActed } from "../../provider/graph/reconcile";
import { ThrottleGate } from "../../provider/graph/throttle-gate";
import { json, recordingSleep, scriptedFetch } from "./graph-fake-fetch";

const APP = "11111111-2222-4333-8444-555555555555";
const OTHER_APP = "99999999-2222-4333-8444-555555555555";
/** An unsigned JWT naming our application: the client only reads `appid`, never verifies. */
const TOKEN = ["{}", JSON.stringify({ appid: APP })].map((part) => Buffer.from(part).toString("base64url")).join(".") + ".signature";
const settings: Settings = {
  graphEndpoint: "https://graph.microsoft.com",
  apiVersion: "v1.0",
  credentials: { kind: "accessToken", token: TOKEN },
};
const SESSIONS = "https://graph.microsoft.com/v1.0/solutions/backupRestore/sharePointRestoreSessions";
const spec = [{ restorePointId: "rp-1", destinationType: "new" as const }];

function clientWith(...replies: Parameters<typeof scriptedFetch>) {
  const transport = scriptedFetch(...replies);
  const lines: string[] = [];
  const sleeper = recordingSleep();
  const client = createGraphClient(settings, {
    throttle: new ThrottleGate(undefined, sleeper.now),
    fetch: transport.fetch,
    sleep: sleeper.sleep,
    log: (line) => lines.push(line),
  });
  return { client, lines, calls: () => transport.requests.map((r) => `${r.method} ${r.url}`) };
}

const connectionReset = () => new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });
const session = (id: string, appId: string, createdAgoMs = 0, status = "draft") => ({
  id,
  status,
  createdDateTime: new Date(Date.now() - createdAgoMs).toISOString(),
  createdBy: { application: { id: appId } },
});
const artifacts = (restorePointId: string, destinationType = "new") =>
  json(200, { value: [{ id: `a-${restorePointId}`, destinationType, restorePoint: { id: restorePointId } }] });

describe("createSession after an ambiguous failure", () => {
  it("adopts the one session this application created in the attempt's window with the same artifacts", async () => {
    const { client, lines, calls } = clientWith(
      connectionReset(),
      json(200, {
        value: [
          session("other-app", OTHER_APP),
          session("too-old", APP, 10 * 60_000),
          session("already-active", APP, 0, "active"),
          session("other-artifacts", APP),
          session("the-one", APP),
        ],
      }),
      artifacts("rp-2"),
      artifacts("rp-1"),
    );
    expect((await client.createSession(SHAREPOINT, { artifacts: spec })).id).toBe("the-one");
    expect(calls()).toEqual([
      `POST ${SESSIONS}`,
      `GET ${SESSIONS}`,
      `GET ${SESSIONS}/other-artifacts/siteRestoreArtifacts`,
      `GET ${SESSIONS}/the-one/siteRestoreArtifacts`,
    ]);
    expect(lines.filter((line) => line.startsWith("create"))).toEqual([
      "create of a SharePoint restore session failed (ECONNRESET), but it had taken effect",
    ]);
  });

  it("posts again when no session matches: the first attempt created nothing", async () => {
    const { client, calls } = clientWith(
      connectionReset(),
      json(200, { value: [session("other-app", OTHER_APP)] }),
      json(201, session("new-one", APP)),
    );
    expect((await client.createSession(SHAREPOINT, { artifacts: spec })).id).toBe("new-one");
    expect(calls()).toEqual([`POST ${SESSIONS}`, `GET ${SESSIONS}`, `POST ${SESSIONS}`]);
  });

  it("refuses to guess when two sessions match, naming both", async () => {
    const { client } = clientWith(
      connectionReset(),
      json(200, { value: [session("s-a", APP), session("s-b", APP)] }),
      artifacts("rp-1"),
      artifacts("rp-1"),
    );
    const error = (await client.createSession(SHAREPOINT, { artifacts: spec }).catch((e: unknown) => e)) as GraphRequestError;
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error.message).toBe(
      "POST /v1.0/solutions/backupRestore/sharePointRestoreSessions -> request failed ECONNRESET; the session may have been created, and 2 sessions match it (s-a, s-b); adopting none",
    );
  });

  it("never adopts a session it created itself for an earlier call", async () => {
    const { client, calls } = clientWith(
      json(201, session("first", APP)),
      connectionReset(),
      json(200, { value: [session("first", APP)] }),
      json(201, session("second", APP)),
    );
    expect((await client.createSession(SHAREPOINT, { artifacts: spec })).id).toBe("first");
    expect((await client.createSession(SHAREPOINT, { artifacts: spec })).id).toBe("second");
    expect(calls()).toEqual([`POST ${SESSIONS}`, `POST ${SESSIONS}`, `GET ${SESSIONS}`, `POST ${SESSIONS}`]);
  });

  it("does not reconcile after a failure that proves the service did not act", async () => {
    const { client, calls } = clientWith(json(400, { error: { code: "InvalidRestorePoint", message: "no such restore point" } }));
    await expect(client.createSession(SHAREPOINT, { artifacts: spec })).rejects.toThrow(
      "POST /v1.0/solutions/backupRestore/sharePointRestoreSessions -> 400 InvalidRestorePoint: no such restore point",
    );
    expect(calls()).toEqual([`POST ${SESSIONS}`]);
  });
});

describe("createSession and patchArtifacts refuse to guess", () => {
  const listedWithout = () => json(200, { value: [{ id: "a-x", destinationType: "new" }] });
  const WITHOUT =
    "Microsoft Graph listed artifact a-x without its restore point, so it cannot be matched to what the program asks; nothing was changed. " +
    "Run `pulumi refresh` later, and if it persists report it with the artifact id";

  it("createSession: a candidate listing an artifact without its restore point is neither adopted nor posted again", async () => {
    const { client, calls } = clientWith(connectionReset(), json(200, { value: [session("candidate", APP)] }), listedWithout());
    const error = (await client.createSession(SHAREPOINT, { artifacts: spec }).catch((e: unknown) => e)) as GraphRequestError;
    expect(error.message).toBe(
      `POST /v1.0/solutions/backupRestore/sharePointRestoreSessions -> request failed ECONNRESET; it may have taken effect, and looking failed too (${WITHOUT})`,
    );
    expect(calls()).toEqual([`POST ${SESSIONS}`, `GET ${SESSIONS}`, `GET ${SESSIONS}/candidate/siteRestoreArtifacts`]);
  });

  it("patchArtifacts: the delta settlement lists the artifacts and refuses to guess from one without its restore point", async () => {
    const { client, calls } = clientWith(connectionReset(), listedWithout());
    const error = (await client.patchArtifacts(SHAREPOINT, "s-1", [{ add: spec[0]! }]).catch((e: unknown) => e)) as GraphRequestError;
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error.message).toBe(
      `PATCH /v1.0/solutions/backupRestore/sharePointRestoreSessions/s-1 -> request failed ECONNRESET; it may have taken effect, and looking failed too (${WITHOUT})`,
    );
    expect(calls()).toEqual([`PATCH ${SESSIONS}/s-1`, `GET ${SESSIONS}/s-1/siteRestoreArtifacts`]);
  });

  it("patchArtifacts: all of the delta present means done, none of it means send again, part of it is said", async () => {
    const delta = [{ add: spec[0]! }, { remove: "a-old" }];
    const done = clientWith(
      connectionReset(),
      json(200, { value: [{ id: "a-new", status: "added", destinationType: "new", restorePoint: { id: "rp-1" } }] }),
    );
    expect(await done.client.patchArtifacts(SHAREPOINT, "s-1", delta)).toEqual([
      { id: "a-new", status: "added", restorePoint: { id: "rp-1" } },
    ]);
    expect(done.lines.filter((line) => line.startsWith("update"))).toEqual([
      "update of restore session s-1 failed (ECONNRESET), but it had taken effect",
    ]);

    const none = clientWith(
      connectionReset(),
      json(200, { value: [{ id: "a-old", restorePoint: { id: "rp-old" } }] }),
      json(200, { value: [] }),
    );
    expect(await none.client.patchArtifacts(SHAREPOINT, "s-1", delta)).toEqual([]);
    expect(none.calls()).toEqual([`PATCH ${SESSIONS}/s-1`, `GET ${SESSIONS}/s-1/siteRestoreArtifacts`, `PATCH ${SESSIONS}/s-1`]);

    const part = clientWith(connectionReset(), json(200, { value: [] }));
    await expect(part.client.patchArtifacts(SHAREPOINT, "s-1", delta)).rejects.toMatchObject({
      message:
        "PATCH /v1.0/solutions/backupRestore/sharePointRestoreSessions/s-1 -> request failed ECONNRESET; the change was partly applied; refresh to see the session as it is",
    });
  });
});

describe("mayHaveActed", () => {
  const failure = (status: number, code?: string) =>
    new GraphRequestError({ method: "POST", path: "/x", status, retryable: false, ...(code !== undefined ? { code } : {}) });
  it.each([
    [failure(0, "ECONNRESET"), true],
    [failure(0, "TimeoutError"), true],
    [failure(0, "ECONNREFUSED"), false],
    [failure(201, "MalformedResponseBody"), true],
    [failure(500, "InternalServerError"), true],
    [failure(500, "TooManyActiveRestoreSessions"), false],
    [failure(502), true],
    [failure(503), true],
    [failure(504), true],
    [failure(429), false],
    [failure(400, "BadRequest"), false],
    [new Error("not a Graph error"), false],
  ])("%s -> %s", (error, expected) => {
    expect(mayHaveActed(error)).toBe(expected);
  });
});
