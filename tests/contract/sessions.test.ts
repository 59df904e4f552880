/** Contract: restore session create, list, get, PATCH @delta, delete and activate, with their documented errors. */
import type { Emulator } from "../../emulator";
import { DEMO_APP } from "../../emulator";
import { deltaResultSchema, restoreSessionSchema as sessionSchema } from "../../provider/schemas/wire";
import { RS, SP, START, call, createDraft, expectGraphError, latestPoints, startFrozen } from "./emulator-helpers";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startFrozen();
});
afterAll(() => emulator.close());

const artifact = (id: string, destinationType = "inPlace") => ({ restorePoint: { id }, destinationType });

describe("create", () => {
  it("answers 201 with a draft standard session created by the calling app, artifacts not inlined", async () => {
    const [point] = latestPoints(emulator, 1);
    const result = await call(emulator, "POST", SP, { body: { siteRestoreArtifacts: [artifact(point!)] } });
    expect(result.status).toBe(201);
    const app = { application: { id: DEMO_APP.clientId, displayName: DEMO_APP.displayName } };
    expect(result.body).toEqual({
      "@odata.context": `${emulator.url}/v1.0/$metadata#solutions/backupRestore/sharePointRestoreSessions/$entity`,
      "@odata.type": "#microsoft.graph.sharePointRestoreSession",
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: "draft",
      restoreJobType: "standard",
      restoreSessionArtifactCount: { total: 1, inProgress: 0, completed: 0, failed: 0 },
      createdDateTime: START,
      createdBy: app,
      lastModifiedDateTime: START,
      lastModifiedBy: app,
      completedDateTime: null,
    });
    expect(sessionSchema.parse(result.body)).toMatchObject({ status: "draft", createdBy: app });
  });

  it("records another registered app's identity from its token", async () => {
    emulator.apps.register({ clientId: "11111111-2222-4333-8444-555555555555", displayName: "drill-runner" });
    const token = emulator.issueToken("11111111-2222-4333-8444-555555555555");
    const result = await call(emulator, "POST", SP, { token, body: { siteRestoreArtifacts: [artifact(latestPoints(emulator, 1)[0]!)] } });
    expect(result.body.createdBy).toEqual({ application: { id: "11111111-2222-4333-8444-555555555555", displayName: "drill-runner" } });
  });

  it("creates an empty session when the body has no property (bulk flow)", async () => {
    const result = await call(emulator, "POST", SP, { body: {} });
    expect(result.status).toBe(201);
    expect(result.body.restoreSessionArtifactCount).toEqual({ total: 0, inProgress: 0, completed: 0, failed: 0 });
    const noBody = await call(emulator, "POST", SP);
    expect(noBody.status).toBe(201);
  });

  it.each([
    ["an empty artifact list", { siteRestoreArtifacts: [] }, 400, "InvalidArtifactRequest"],
    ["a missing destination type", { siteRestoreArtifacts: [{ restorePoint: { id: "x" } }] }, 400, "InvalidPathType"],
    [
      "an unknown restore point",
      { siteRestoreArtifacts: [artifact("00000000-0000-4000-8000-000000000000_1764363600_14_1")] },
      400,
      "InvalidRestorePoint",
    ],
    ["an empty restore point id", { siteRestoreArtifacts: [artifact("")] }, 400, "InvalidRestorePoint"],
    [
      "granular artifacts (not emulated)",
      { granularSiteRestoreArtifacts: [{ browseSessionId: "b", id: "i" }] },
      400,
      "InvalidArtifactRequest",
    ],
  ])("rejects %s", async (_name, body, status, code) => {
    expectGraphError(await call(emulator, "POST", SP, { body }), status, code);
  });

  it("rejects mixed destinations, duplicates and more than 50 artifacts", async () => {
    const [a, b] = latestPoints(emulator, 2);
    expectGraphError(
      await call(emulator, "POST", SP, { body: { siteRestoreArtifacts: [artifact(a!, "new"), artifact(b!, "inPlace")] } }),
      400,
      "DifferentRestoreDestinationType",
    );
    expectGraphError(
      await call(emulator, "POST", SP, { body: { siteRestoreArtifacts: [artifact(a!), artifact(a!)] } }),
      400,
      "DuplicateArtifactInList",
    );
    const many = await startFrozen({ sites: 51 });
    try {
      const points = latestPoints(many, 51).map((id) => artifact(id));
      expectGraphError(await call(many, "POST", SP, { body: { siteRestoreArtifacts: points } }), 413, "RestoreArtifactsLimitBreached");
      expect((await call(many, "POST", SP, { body: { siteRestoreArtifacts: points.slice(0, 50) } })).status).toBe(201);
    } finally {
      await many.close();
    }
  });

  it("rejects unknown and read-only properties against the OpenAPI document, naming them", async () => {
    const unknown = await call(emulator, "POST", SP, {
      body: { siteRestoreArtifacts: [artifact(latestPoints(emulator, 1)[0]!)], color: "blue" },
    });
    expectGraphError(unknown, 400, "BadRequest");
    expect(unknown.body.error.message).toContain("color");
    const readOnly = await call(emulator, "POST", SP, { body: { status: "active" } });
    expectGraphError(readOnly, 400, "BadRequest");
    expect(readOnly.body.error.message).toContain("status");
  });

  it("rejects a body that is not JSON", async () => {
    const response = await emulator.fetch(
      new Request(`${emulator.url}/v1.0${SP}`, {
        method: "POST",
        headers: { authorization: `Bearer ${emulator.accessToken}` },
        body: "{not json",
      }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.code).toBe("BadRequest");
  });
});

describe("get and list", () => {
  it("serves one session at both documented paths, in v1.0 and beta", async () => {
    const id = await createDraft(emulator, latestPoints(emulator, 1));
    for (const version of ["v1.0", "beta"] as const) {
      for (const base of [RS, SP]) {
        const result = await call(emulator, "GET", `${base}/${id}`, { version });
        expect({ status: result.status, id: result.body.id, status2: result.body.status }).toEqual({ status: 200, id, status2: "draft" });
      }
    }
  });

  it("lists sessions at both collection paths", async () => {
    const id = await createDraft(emulator, latestPoints(emulator, 1));
    for (const base of [RS, SP]) {
      const result = await call(emulator, "GET", base);
      expect(result.status).toBe(200);
      expect(result.body.value.map((s: { id: string }) => s.id)).toContain(id);
      expect(result.body.value.length).toBe(emulator.tenant.sessions().length);
    }
  });

  it("answers 400 InvalidRestoreSessionId for a malformed id and 404 RestoreSessionNotFound for an unknown one", async () => {
    expectGraphError(await call(emulator, "GET", `${RS}/not-a-guid`), 400, "InvalidRestoreSessionId");
    expectGraphError(await call(emulator, "GET", `${RS}/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`), 404, "RestoreSessionNotFound");
  });

  it("echoes client-request-id and sends a request-id on every response", async () => {
    const result = await call(emulator, "GET", RS, { headers: { "client-request-id": "c0ffee00-1111-4222-8333-444455556666" } });
    expect(result.headers.get("client-request-id")).toBe("c0ffee00-1111-4222-8333-444455556666");
    expect(result.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await call(emulator, "GET", `${RS}/bad`, { headers: { "client-request-id": "c0ffee00-1111-4222-8333-444455556666" } });
    expect(failed.body.error.innerError["client-request-id"]).toBe("c0ffee00-1111-4222-8333-444455556666");
  });
});

describe("PATCH siteRestoreArtifacts@delta", () => {
  it("adds and removes artifacts and reports per-item failures inside a 200", async () => {
    const [a, b, c] = latestPoints(emulator, 3);
    const id = await createDraft(emulator, [a!]);
    const before = await call(emulator, "GET", `${SP}/${id}/siteRestoreArtifacts`);
    const existing = before.body.value[0].id as string;
    const result = await call(emulator, "PATCH", `${SP}/${id}`, {
      body: {
        "siteRestoreArtifacts@delta": [
          artifact(b!),
          { "@removed": { reason: "changed" }, id: existing },
          { "@removed": { reason: "changed" }, id: "e0f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b" },
          artifact("00000000-0000-4000-8000-000000000000_1764363600_14_1"),
          artifact(b!),
          artifact(c!),
        ],
      },
    });
    expect(result.status).toBe(200);
    // As the update pages show it: the delta echoed under its own name, added artifacts and
    // per-item failures; successful removals are not echoed.
    const added = (point: string) => ({
      id: expect.any(String),
      restorePoint: { id: point },
      destinationType: "inPlace",
      status: "added",
      createdDateTime: START,
    });
    expect(result.body).toEqual({
      "siteRestoreArtifacts@delta": [
        added(b!),
        {
          "@contentId": "3",
          "@Core.DataModificationException": {
            info: { code: "ArtifactNotFound", message: expect.any(String) },
            failedOperation: "remove",
            responseCode: 409,
          },
          id: "e0f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b",
        },
        {
          "@contentId": "4",
          "@Core.DataModificationException": {
            info: { code: "InvalidRestorePoint", message: expect.any(String) },
            failedOperation: "add",
            responseCode: 400,
          },
        },
        {
          "@contentId": "5",
          "@Core.DataModificationException": {
            info: { code: "DuplicateArtifactInList", message: expect.any(String) },
            failedOperation: "add",
            responseCode: 409,
          },
        },
        added(c!),
      ],
    });
    expect(
      result.body["siteRestoreArtifacts@delta"].map(
        (item: unknown) => deltaResultSchema.parse(item)["@Core.DataModificationException"]?.responseCode,
      ),
    ).toEqual([undefined, 409, 400, 409, undefined]);
    const after = await call(emulator, "GET", `${SP}/${id}/siteRestoreArtifacts`);
    expect(after.body.value.map((x: { restorePoint: { id: string } }) => x.restorePoint.id)).toEqual([b, c]);
  });

  it("reports a destination type different from the session's as a per-item failure", async () => {
    const [a, b] = latestPoints(emulator, 2);
    const id = await createDraft(emulator, [a!], "inPlace");
    const result = await call(emulator, "PATCH", `${SP}/${id}`, { body: { "siteRestoreArtifacts@delta": [artifact(b!, "new")] } });
    expect(result.body["siteRestoreArtifacts@delta"][0]["@Core.DataModificationException"].info.code).toBe(
      "DifferentRestoreDestinationType",
    );
  });

  it("rejects more than 50 items with 400 RestoreArtifactsLimitBreached and a body without @delta with InvalidPatchRequest", async () => {
    const id = await createDraft(emulator, latestPoints(emulator, 1));
    const items = Array.from({ length: 51 }, () => ({ "@removed": { reason: "changed" }, id: "e0f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b" }));
    expectGraphError(
      await call(emulator, "PATCH", `${SP}/${id}`, { body: { "siteRestoreArtifacts@delta": items } }),
      400,
      "RestoreArtifactsLimitBreached",
    );
    expectGraphError(await call(emulator, "PATCH", `${SP}/${id}`, { body: {} }), 400, "InvalidPatchRequest");
  });
});

describe("delete and activate", () => {
  it("deletes a draft with 204, then it is gone", async () => {
    const id = await createDraft(emulator, latestPoints(emulator, 1));
    const deleted = await call(emulator, "DELETE", `${RS}/${id}`);
    expect(deleted.status).toBe(204);
    expectGraphError(await call(emulator, "GET", `${RS}/${id}`), 404, "RestoreSessionNotFound");
    expectGraphError(await call(emulator, "DELETE", `${RS}/${id}`), 404, "RestoreSessionNotFound");
  });

  it.each(["activate", "microsoft.graph.activate"])(
    "activates with POST .../%s, then refuses PATCH, DELETE and activate with 403",
    async (action) => {
      const id = await createDraft(emulator, latestPoints(emulator, 1));
      const activated = await call(emulator, "POST", `${RS}/${id}/${action}`);
      expect(activated.status).toBe(200);
      expect(activated.body).toMatchObject({
        id,
        status: "activating",
        restoreSessionArtifactCount: { total: 1, inProgress: 1, completed: 0, failed: 0 },
      });
      expectGraphError(
        await call(emulator, "PATCH", `${SP}/${id}`, { body: { "siteRestoreArtifacts@delta": [] } }),
        403,
        "RestoreSessionActionNotAllowed",
      );
      expectGraphError(await call(emulator, "DELETE", `${RS}/${id}`), 403, "RestoreSessionActionNotAllowed");
      expectGraphError(await call(emulator, "POST", `${RS}/${id}/activate`), 403, "RestoreSessionActionNotAllowed");
    },
  );

  it("refuses to activate an empty session", async () => {
    const empty = await call(emulator, "POST", SP, { body: {} });
    expectGraphError(await call(emulator, "POST", `${RS}/${empty.body.id}/activate`), 400, "InvalidArtifactRequest");
  });
});

describe("authentication and roles", () => {
  it("answers 401 InvalidAuthenticationToken without a bearer or with a bad one", async () => {
    expectGraphError(await call(emulator, "GET", RS, { token: null }), 401, "InvalidAuthenticationToken");
    expectGraphError(await call(emulator, "GET", RS, { token: "abc.def.ghi" }), 401, "InvalidAuthenticationToken");
  });

  it("answers 403 Forbidden when the token lacks the operation's role", async () => {
    const readOnly = emulator.issueToken(undefined, ["BackupRestore-Restore.Read.All"]);
    expect((await call(emulator, "GET", RS, { token: readOnly })).status).toBe(200);
    expectGraphError(await call(emulator, "POST", SP, { token: readOnly, body: {} }), 403, "Forbidden");
    expectGraphError(
      await call(emulator, "POST", "/solutions/backupRestore/restorePoints/search", { token: readOnly, body: { protectionUnitIds: [] } }),
      403,
      "Forbidden",
    );
    expectGraphError(await call(emulator, "GET", "/solutions/backupRestore/siteProtectionUnits", { token: readOnly }), 403, "Forbidden");
  });

  it("answers 400 for an unknown segment and 405 for an unsupported method", async () => {
    expectGraphError(await call(emulator, "GET", "/solutions/backupRestore/nothingHere"), 400, "BadRequest");
    expectGraphError(await call(emulator, "PUT", SP, { unchecked: true }), 405, "BadRequest");
  });
});
