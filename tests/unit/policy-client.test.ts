/**
 * The Graph client's protection-policy calls against a scripted transport: the exact requests and
 * bodies, per-item failures that name the unit, and reconcile-before-retry after an ambiguous
 * failure of every write that is not safe to repeat (no duplicate policy, rule or job).
 */
import type { Settings } from "../../provider/config";
import { createGraphClient, DeltaItemsFailedError, GraphRequestError } from "../../provider/graph";
import { ThrottleGate } from "../../provider/graph/throttle-gate";
import { EXCHANGE, ONEDRIVE, SHAREPOINT } from "../../provider/workloads";
import { json, recordingSleep, scriptedFetch } from "./graph-fake-fetch";

const APP = "11111111-2222-4333-8444-555555555555";
const OTHER_APP = "99999999-2222-4333-8444-555555555555";
const TOKEN = ["{}", JSON.stringify({ appid: APP })].map((part) => Buffer.from(part).toString("base64url")).join(".") + ".signature";
const settings: Settings = {
  graphEndpoint: "https://graph.microsoft.com",
  apiVersion: "v1.0",
  credentials: { kind: "accessToken", token: TOKEN },
};
const ROOT = "https://graph.microsoft.com/v1.0/solutions/backupRestore";
const SP = `${ROOT}/sharePointProtectionPolicies`;

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
  return { client, lines, requests: transport.requests, calls: () => transport.requests.map((r) => `${r.method} ${r.url}`) };
}

const connectionReset = () => new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });
const policy = (id: string, appId = APP, createdAgoMs = 0, displayName = "Tier 1", status = "inactive") => ({
  id,
  displayName,
  status,
  createdDateTime: new Date(Date.now() - createdAgoMs).toISOString(),
  createdBy: { application: { id: appId } },
});
const units = (...siteIds: string[]) =>
  json(200, { value: siteIds.map((siteId, i) => ({ id: `u-${i}`, siteId, status: "protectRequested" })) });

describe("requests as Graph documents them", () => {
  it("create posts the name and the units by key; PATCH sends <units>@delta with @removed; the rename rides along", async () => {
    const { client, requests } = clientWith(
      json(201, policy("p-1")),
      json(200, {
        displayName: "Tier 2",
        "driveProtectionUnits@delta": [
          { id: "u-9", directoryObjectId: "d-2", status: "protectRequested" },
          { id: "u-1", status: "removeRequested" },
        ],
      }),
    );
    await client.createPolicy(ONEDRIVE, { displayName: "Tier 1", unitKeys: ["d-1"] });
    const results = await client.updatePolicy(ONEDRIVE, "p-1", { displayName: "Tier 2", units: [{ add: "d-2" }, { remove: "u-1" }] });
    expect(requests.map((r) => [r.method, r.url, r.body])).toEqual([
      [
        "POST",
        `${ROOT}/oneDriveForBusinessProtectionPolicies`,
        { displayName: "Tier 1", driveProtectionUnits: [{ directoryObjectId: "d-1" }] },
      ],
      [
        "PATCH",
        `${ROOT}/oneDriveForBusinessProtectionPolicies/p-1`,
        {
          displayName: "Tier 2",
          "driveProtectionUnits@delta": [{ directoryObjectId: "d-2" }, { "@removed": { reason: "changed" }, id: "u-1" }],
        },
      ],
    ]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["u-9", "protectRequested"],
      ["u-1", "removeRequested"],
    ]);
  });

  it("actions and rules: activate and deactivate on the base path, DELETE on the base path, a dynamic rule, a draft rule run, a bulk job", async () => {
    const { client, requests } = clientWith(
      json(202, { ...policy("p-1"), status: "updating" }),
      json(202, { ...policy("p-1"), status: "updating" }),
      json(201, { id: "r-1", status: "active", isAutoApplyEnabled: true, mailboxExpression: "(memberOf -any (group.id -in ['g']))" }),
      json(202, { id: "r-1", status: "active" }),
      json(201, { id: "j-1", displayName: "names", status: "active" }),
      new Response(null, { status: 204 }),
    );
    await client.activatePolicy(EXCHANGE, "p-1");
    await client.deactivatePolicy(EXCHANGE, "p-1");
    await client.createRule(EXCHANGE, "p-1", { expression: "(memberOf -any (group.id -in ['g']))", autoApply: true });
    await client.runRule(EXCHANGE, "p-1", "r-1");
    await client.createBulkJob(EXCHANGE, "p-1", { displayName: "names", names: ["a@contoso.com"] });
    expect(await client.deletePolicy(EXCHANGE, "p-1")).toBe("deleted");
    expect(requests.map((r) => [r.method, r.url.replace(ROOT, ""), r.body])).toEqual([
      ["POST", "/protectionPolicies/p-1/activate", undefined],
      ["POST", "/protectionPolicies/p-1/deactivate", undefined],
      [
        "POST",
        "/exchangeProtectionPolicies/p-1/mailboxInclusionRules",
        { mailboxExpression: "(memberOf -any (group.id -in ['g']))", isAutoApplyEnabled: true },
      ],
      ["POST", "/exchangeProtectionPolicies/p-1/mailboxInclusionRules/r-1/run", undefined],
      [
        "POST",
        "/exchangeProtectionPolicies/p-1/mailboxProtectionUnitsBulkAdditionJobs",
        { displayName: "names", mailboxes: ["a@contoso.com"] },
      ],
      ["DELETE", "/protectionPolicies/p-1", undefined],
    ]);
  });

  it("a per-item failure inside a 200 is an error that names the unit", async () => {
    const { client } = clientWith(
      json(200, {
        "siteProtectionUnits@delta": [
          { id: "u-1", siteId: "contoso.sharepoint.com,a,b", status: "protectRequested" },
          {
            "@contentId": "3467e382-71a9-4c07-bef7-bda97e09c0d2",
            "@Core.DataModificationException": {
              info: { code: "Invalid", message: "The identifier to be removed does not exist" },
              failedOperation: "remove",
              responseCode: 409,
            },
            id: "u-gone",
          },
        ],
      }),
    );
    const error = (await client
      .updatePolicy(SHAREPOINT, "p-1", { units: [{ add: "contoso.sharepoint.com,a,b" }, { remove: "u-gone" }] })
      .catch((e: unknown) => e)) as DeltaItemsFailedError;
    expect(error).toBeInstanceOf(DeltaItemsFailedError);
    expect(error.message).toBe(
      "PATCH /v1.0/solutions/backupRestore/sharePointProtectionPolicies/p-1 -> 200 Invalid: 1 of 2 items failed: u-gone 409 Invalid The identifier to be removed does not exist",
    );
    expect(error.failures).toEqual([
      {
        contentId: "3467e382-71a9-4c07-bef7-bda97e09c0d2",
        unitId: "u-gone",
        code: "Invalid",
        message: "The identifier to be removed does not exist",
        responseCode: 409,
      },
    ]);
    expect(error.succeeded.map((r) => r.id)).toEqual(["u-1"]);
  });

  it("refuses more than 50 units a request before sending anything", async () => {
    const { client, calls } = clientWith();
    const keys = Array.from({ length: 51 }, (_, i) => `k-${i}`);
    await expect(client.createPolicy(SHAREPOINT, { displayName: "x", unitKeys: keys })).rejects.toThrow(RangeError);
    await expect(client.updatePolicy(SHAREPOINT, "p", { units: keys.map((add) => ({ add })) })).rejects.toThrow(RangeError);
    expect(calls()).toEqual([]);
  });
});

describe("reconcile before retrying", () => {
  it("an ambiguous create adopts the one policy this app created in the window with the same name and units", async () => {
    const { client, lines, calls } = clientWith(
      connectionReset(),
      json(200, {
        value: [
          policy("other-app", OTHER_APP),
          policy("too-old", APP, 10 * 60_000),
          policy("other-name", APP, 0, "Tier 9"),
          policy("other-units", APP),
          policy("the-one", APP),
        ],
      }),
      units("contoso.sharepoint.com,x,y"),
      units("contoso.sharepoint.com,a,b"),
    );
    expect((await client.createPolicy(SHAREPOINT, { displayName: "Tier 1", unitKeys: ["CONTOSO.sharepoint.com,a,b"] })).id).toBe("the-one");
    expect(calls()).toEqual([
      `POST ${SP}`,
      `GET ${SP}`,
      `GET ${SP}/other-units/siteProtectionUnits`,
      `GET ${SP}/the-one/siteProtectionUnits`,
    ]);
    expect(lines).toContain("create of a SharePoint protection policy failed (ECONNRESET), but it had taken effect");
  });

  it("posts again when nothing matches, and never adopts a policy it created for an earlier call", async () => {
    const { client, calls } = clientWith(
      json(201, policy("first")),
      connectionReset(),
      json(200, { value: [policy("first")] }),
      json(201, policy("second")),
    );
    expect((await client.createPolicy(SHAREPOINT, { displayName: "Tier 1", unitKeys: [] })).id).toBe("first");
    expect((await client.createPolicy(SHAREPOINT, { displayName: "Tier 1", unitKeys: [] })).id).toBe("second");
    expect(calls()).toEqual([`POST ${SP}`, `POST ${SP}`, `GET ${SP}`, `POST ${SP}`]);
  });

  it("refuses to guess when two policies match, naming both", async () => {
    const { client } = clientWith(connectionReset(), json(200, { value: [policy("p-a"), policy("p-b")] }), units(), units());
    const error = (await client
      .createPolicy(SHAREPOINT, { displayName: "Tier 1", unitKeys: [] })
      .catch((e: unknown) => e)) as GraphRequestError;
    expect(error.message).toBe(
      "POST /v1.0/solutions/backupRestore/sharePointProtectionPolicies -> request failed ECONNRESET; the policy may have been created, and 2 policies match it (p-a, p-b); adopting none",
    );
  });

  it("an ambiguous PATCH is judged from the units and the name Graph shows: all applied means done", async () => {
    const { client, calls } = clientWith(
      connectionReset(),
      units("contoso.sharepoint.com,a,b"),
      json(200, policy("p-1", APP, 0, "Tier 2")),
    );
    const results = await client.updatePolicy(SHAREPOINT, "p-1", {
      displayName: "Tier 2",
      units: [{ add: "contoso.sharepoint.com,a,b" }, { remove: "u-old" }],
    });
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["u-0", "protectRequested"],
      ["u-old", "removeRequested"],
    ]);
    expect(calls()).toEqual([`PATCH ${SP}/p-1`, `GET ${SP}/p-1/siteProtectionUnits`, `GET ${SP}/p-1`]);
  });

  it("an ambiguous PATCH that took effect in part fails saying so", async () => {
    const { client } = clientWith(connectionReset(), units("contoso.sharepoint.com,a,b"));
    await expect(
      client.updatePolicy(SHAREPOINT, "p-1", { units: [{ add: "contoso.sharepoint.com,a,b" }, { add: "contoso.sharepoint.com,c,d" }] }),
    ).rejects.toThrow(/ECONNRESET; the change was partly applied; refresh to see the policy as it is$/);
  });

  it("an ambiguous activation reads the policy: no longer inactive means done, not sent twice", async () => {
    const { client, calls } = clientWith(connectionReset(), json(200, { ...policy("p-1"), status: "updating" }));
    expect((await client.activatePolicy(SHAREPOINT, "p-1")).status).toBe("updating");
    expect(calls()).toEqual([`POST ${ROOT}/protectionPolicies/p-1/activate`, `GET ${SP}/p-1`]);
  });

  it("an ambiguous rule or bulk job is found by this app, the window and the expression or name", async () => {
    const rule = {
      id: "r-1",
      status: "active",
      siteExpression: "(displayName  -contains 'Finance')",
      isAutoApplyEnabled: false,
      createdDateTime: new Date().toISOString(),
      createdBy: { application: { id: APP } },
    };
    const job = {
      id: "j-1",
      displayName: "names",
      status: "active",
      createdDateTime: new Date().toISOString(),
      createdBy: { application: { id: APP } },
    };
    const { client, calls } = clientWith(connectionReset(), json(200, { value: [rule] }), connectionReset(), json(200, { value: [job] }));
    expect((await client.createRule(SHAREPOINT, "p-1", { expression: "(displayName -contains 'Finance')" })).id).toBe("r-1");
    expect(
      (await client.createBulkJob(SHAREPOINT, "p-1", { displayName: "names", names: ["https://contoso.sharepoint.com/sites/a"] })).id,
    ).toBe("j-1");
    expect(calls()).toEqual([
      `POST ${SP}/p-1/siteInclusionRules`,
      `GET ${SP}/p-1/siteInclusionRules`,
      `POST ${SP}/p-1/siteProtectionUnitsBulkAdditionJobs`,
      `GET ${SP}/p-1/siteProtectionUnitsBulkAdditionJobs`,
    ]);
  });

  it("a documented refusal is not ambiguous: 409 PolicyCreationNotAllowed is thrown as it is", async () => {
    const { client, calls } = clientWith(json(409, { error: { code: "PolicyCreationNotAllowed", message: "An active policy exists." } }));
    await expect(client.createPolicy(SHAREPOINT, { displayName: "x", unitKeys: [] })).rejects.toThrow(
      "POST /v1.0/solutions/backupRestore/sharePointProtectionPolicies -> 409 PolicyCreationNotAllowed: An active policy exists.",
    );
    expect(calls()).toEqual([`POST ${SP}`]);
  });
});
