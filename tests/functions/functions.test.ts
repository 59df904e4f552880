/**
 * The lookup functions inside real Pulumi programs run by the engine harness (preview and up),
 * against the emulator over TLS: what they return, the exact Graph requests behind it (paging,
 * searches of five units, one request per distinct call in a run), the output forms with unknown
 * inputs, and errors that name the setting, the argument, the policy or the unit.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { engineHarness } from "../../harness";
import { startEmulator, type Emulator } from "../../emulator";
import { UNKNOWN } from "../support/host";
import { makeProgramDir, repoRoot } from "../support/program-dir";
import { testCa } from "../support/test-ca";

// The program side exactly as a consumer loads it: the built package.
const m365 = require(path.join(repoRoot, "dist", "provider")) as typeof import("../../provider");

const ROOT = "/v1.0/solutions/backupRestore";
const SITE_UNITS = `${ROOT}/protectionUnits/microsoft.graph.siteProtectionUnit`;
const SEARCH = `${ROOT}/restorePoints/search`;

let emulator: Emulator;
let programDir: string;

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
  // Restore points fall on a ten-minute grid; a stopped clock keeps "the latest" the same all along.
  emulator.clock.setSpeed(0);
  programDir = makeProgramDir();
});
afterAll(async () => {
  await emulator?.close();
  fs.rmSync(programDir, { recursive: true, force: true });
});
beforeEach(() => emulator.journal.clear());

type Program = () => Promise<Record<string, unknown> | void>;

function stack(program: Program, config: Record<string, string> = settingsOf(emulator), stateName = "state.json") {
  return engineHarness({
    projectName: "m365-functions",
    stackName: "dev",
    config,
    statePath: path.join(programDir, stateName),
    workDir: programDir,
    program,
  });
}

function settingsOf(target: Emulator, token = target.accessToken): Record<string, string> {
  return { "m365-backup:graphEndpoint": target.url, "m365-backup:accessToken": token };
}

const requests = (target = emulator) => target.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`);
const searchedUnitIds = (target = emulator) =>
  target.journal
    .entries()
    .filter((e) => e.path === SEARCH)
    .map((e) => (e.body as { protectionUnitIds: string[] }).protectionUnitIds);
const protectedSites = () => emulator.tenant.sites().filter((s) => s.protectionUnitId);

/**
 * Runs one call in a program and returns how it failed. The program catches the rejection itself:
 * a program that throws makes the Pulumi runtime reject promises nobody awaits, which jest reports.
 */
async function failureOf(call: () => Promise<unknown>, config?: Record<string, string>, stateName = "errors.json"): Promise<Error> {
  const { outputs } = await stack(
    async () => {
      try {
        await call();
        return { error: "expected a failure" };
      } catch (error) {
        return { name: (error as Error).name, error: (error as Error).message };
      }
    },
    config,
    stateName,
  ).up();
  return Object.assign(new Error(String(outputs.error)), { name: String(outputs.name) });
}

describe("in a program, preview and up", () => {
  // Finds every protected site's latest restore point and restores them in a draft session.
  const findAndRestore: Program = async () => {
    const status = await m365.getBackupServiceStatus();
    const sites = await m365.getSiteProtectionUnits({ status: "protected" });
    const ids = sites.protectionUnits.map((unit) => unit.id);
    const points = await m365.getRestorePoints({ protectionUnitIds: ids, restorePointPreference: "latest" });
    // Equal arguments in another key order, and an equal call: answered from the run's cache.
    const again = await m365.getRestorePoints({ restorePointPreference: "latest", protectionUnitIds: ids });
    await m365.getSiteProtectionUnits({ status: "protected" });
    const session = new m365.SharePointRestoreSession("drill", {
      siteRestoreArtifacts: points.restorePoints.map((point) => ({ restorePointId: point.id })),
    });
    return {
      serviceStatus: status.status,
      siteIds: sites.protectionUnits.map((unit) => unit.siteId),
      points: points.restorePoints.map((point) => ({ unit: point.protectionUnitId, id: point.id })),
      noResult: points.noResultProtectionUnitIds,
      cached: again === points,
      sessionId: session.id,
    };
  };

  it("read the same answers; preview creates nothing; each run asks once per distinct call, five units per search", async () => {
    const sites = protectedSites();
    const expected = {
      serviceStatus: "enabled",
      siteIds: sites.map((s) => s.siteId),
      points: sites.map((s) => ({ unit: s.protectionUnitId, id: emulator.tenant.latestRestorePointIdFor("sharePoint", s.siteId) })),
      noResult: [],
      cached: true,
    };
    const readRequests = [`GET ${ROOT} 200`, `GET ${SITE_UNITS} 200`, `POST ${SEARCH} 200`, `POST ${SEARCH} 200`, `POST ${SEARCH} 200`];

    const preview = await stack(findAndRestore).preview();
    expect(preview.changes.create).toBe(1);
    expect(preview.outputs).toEqual({ ...expected, sessionId: UNKNOWN });
    expect(requests()).toEqual(readRequests);
    expect(emulator.tenant.sessions()).toEqual([]);
    // Twelve units: searches of 5, 5 and 2 (in any order, they run at once), together each unit once.
    expect(
      searchedUnitIds()
        .map((ids) => ids.length)
        .sort(),
    ).toEqual([2, 5, 5]);
    expect(searchedUnitIds().flat().sort()).toEqual(sites.map((s) => s.protectionUnitId).sort());

    emulator.journal.clear();
    const up = await stack(findAndRestore).up();
    expect(up.outputs).toEqual({ ...expected, sessionId: expect.any(String) });
    expect(requests()).toEqual([...readRequests, `POST ${ROOT}/sharePointRestoreSessions 201`]);
    const [session] = emulator.tenant.sessions();
    expect(session!.id).toBe(up.outputs.sessionId);
    expect(session!.artifacts.map((a) => a.restorePointId)).toEqual(expected.points.map((p) => p.id));
    await stack(findAndRestore).destroy();
  });

  it("the output forms are unknown while an input is, and resolve in up", async () => {
    const [a, b] = protectedSites();
    const program: Program = async () => {
      const session = new m365.SharePointRestoreSession("known-later", {
        siteRestoreArtifacts: [{ restorePointId: emulator.tenant.latestRestorePointIdFor("sharePoint", a!.siteId) }],
      });
      // Unit ids that depend on the session's id: unknown during preview, known in up.
      const later = m365.getRestorePointsOutput({
        protectionUnitIds: session.id.apply(() => [a!.protectionUnitId, pulumi.output(b!.protectionUnitId)]),
      });
      const known = m365.getSiteProtectionUnitsOutput({ status: pulumi.output("protected") });
      return {
        later: later.restorePoints.apply((points) => points.map((p) => p.id)),
        known: known.protectionUnits.apply((units) => units.length),
        status: m365.getBackupServiceStatusOutput().status,
      };
    };

    const preview = await stack(program, undefined, "output-form.json").preview();
    expect(preview.outputs).toEqual({ later: UNKNOWN, known: protectedSites().length, status: "enabled" });
    // The two known calls run at once.
    expect(requests().sort()).toEqual([`GET ${ROOT} 200`, `GET ${SITE_UNITS} 200`]);

    emulator.journal.clear();
    const up = await stack(program, undefined, "output-form.json").up();
    expect(up.outputs.later).toEqual([a, b].map((s) => emulator.tenant.latestRestorePointIdFor("sharePoint", s!.siteId)));
    expect(searchedUnitIds()).toEqual([[a!.protectionUnitId, b!.protectionUnitId]]);
    await stack(program, undefined, "output-form.json").destroy();
  });
});

describe("lists and searches of any size", () => {
  let large: Emulator;
  beforeAll(async () => {
    // More sites than one page holds (100), and far more units than one search takes (20).
    large = await startEmulator({ tls: testCa(), sites: 123 });
    large.clock.setSpeed(0);
  });
  afterAll(() => large?.close());

  it("follow every page and merge 25 searches into one point per unit, in the order asked", async () => {
    const sites = large.tenant.sites().filter((s) => s.protectionUnitId);
    expect(sites).toHaveLength(123);
    const wanted = [...sites].reverse();
    const program: Program = async () => {
      const units = await m365.getSiteProtectionUnits();
      const points = await m365.getRestorePoints({ protectionUnitIds: wanted.map((s) => s.protectionUnitId) });
      return { units: units.protectionUnits.map((u) => u.id), points: points.restorePoints };
    };
    const { outputs } = await stack(program, settingsOf(large), "large.json").up();

    expect(outputs.units).toEqual(sites.map((s) => s.protectionUnitId));
    const pages = large.journal.entries().filter((e) => e.path === SITE_UNITS);
    expect(pages.map((e) => [e.status, e.query.$skiptoken === undefined])).toEqual([
      [200, true],
      [200, false],
    ]);
    // 123 units: 24 searches of five and one of three (run a few at once), together each unit once.
    expect(
      searchedUnitIds(large)
        .map((ids) => ids.length)
        .sort(),
    ).toEqual([3, ...Array<number>(24).fill(5)]);
    expect(searchedUnitIds(large).flat().sort()).toEqual(wanted.map((s) => s.protectionUnitId).sort());
    expect(outputs.points).toEqual(
      wanted.map((s) => ({
        id: large.tenant.latestRestorePointIdFor("sharePoint", s.siteId),
        protectionUnitId: s.protectionUnitId,
        protectionDateTime: expect.any(String),
        expirationDateTime: expect.any(String),
        tags: expect.any(String),
      })),
    );
  });
});

describe("filters", () => {
  let tenant: Emulator;
  beforeAll(async () => {
    // A tenant of its own: this test protects one more site out of band.
    tenant = await startEmulator({ tls: testCa() });
    tenant.clock.setSpeed(0);
  });
  afterAll(() => tenant?.close());

  it("by status, by policy, and by email; units without a point in the window are listed as such", async () => {
    const unprotected = tenant.tenant.sites().find((s) => !s.protectionUnitId)!;
    const [firstSite] = tenant.tenant.sites();
    const sitePolicy = tenant.tenant.policies().find((p) => p.workload === "sharePoint")!;
    const mailboxPolicy = tenant.tenant.policies().find((p) => p.workload === "exchange")!;
    // Just added: protectRequested, with no restore point yet.
    const joined = tenant.tenant.addPolicyUnit(sitePolicy.id, unprotected.siteId);
    const program: Program = async () => {
      const requested = await m365.getSiteProtectionUnits({ status: "protectRequested" });
      const ofPolicy = await m365.getMailboxProtectionUnits({ policyId: mailboxPolicy.id });
      const adele = await m365.getDriveProtectionUnits({ emailContains: "ADELE@" });
      const points = await m365.getRestorePoints({ protectionUnitIds: [joined.id, firstSite!.protectionUnitId] });
      return {
        requested: requested.protectionUnits.map((u) => u.siteId),
        ofPolicy: ofPolicy.protectionUnits.map((u) => u.email),
        adele: adele.protectionUnits.map((u) => [u.email, u.displayName, u.directoryObjectId]),
        found: points.restorePoints.map((p) => p.protectionUnitId),
        noResult: points.noResultProtectionUnitIds,
      };
    };
    const { outputs } = await stack(program, settingsOf(tenant), "filters.json").up();
    const adele = tenant.tenant.users().find((u) => u.email === "adele@contoso.com")!;
    const mailboxesOfPolicy = mailboxPolicy.units.map((u) => tenant.tenant.mailboxes().find((m) => m.directoryObjectId === u.key)!.email);
    expect(mailboxesOfPolicy.length).toBeGreaterThan(1);
    expect(outputs).toEqual({
      requested: [unprotected.siteId],
      ofPolicy: mailboxesOfPolicy,
      adele: [["adele@contoso.com", adele.displayName, adele.directoryObjectId]],
      found: [firstSite!.protectionUnitId],
      noResult: [joined.id],
    });
    expect(requests(tenant)).toEqual([
      `GET ${SITE_UNITS} 200`,
      `GET ${ROOT}/exchangeProtectionPolicies/${mailboxPolicy.id}/mailboxProtectionUnits 200`,
      `GET ${ROOT}/protectionUnits/microsoft.graph.driveProtectionUnit 200`,
      `POST ${SEARCH} 200`,
    ]);
  });

  it("by site URL: refused with an application token (Graph withholds URLs), applied for a signed-in user", async () => {
    const failure = await failureOf(() => m365.getSiteProtectionUnits({ siteWebUrlContains: "/sites/" }), settingsOf(tenant), "url.json");
    expect(failure.name).toBe("LookupArgumentError");
    expect(failure.message).toBe(
      "getSiteProtectionUnits: cannot filter by siteWebUrlContains: Microsoft Graph returns siteWebUrl on siteProtectionUnits only with delegated permissions (a signed-in user), and this caller got none; use siteId instead, or sign in as a user",
    );

    const admin = { clientId: "3c8f2b51-7a1e-4d2f-8b4c-6e9d8f7a5b32", displayName: "Backup admin (signed in)", delegated: true };
    tenant.apps.register(admin);
    const [site] = tenant.tenant.sites();
    const slug = site!.siteWebUrl.split("/").pop()!;
    const program: Program = async () => {
      const units = await m365.getSiteProtectionUnits({ siteWebUrlContains: slug.toUpperCase() });
      return { urls: units.protectionUnits.map((u) => u.siteWebUrl) };
    };
    const { outputs } = await stack(program, settingsOf(tenant, tenant.issueToken(admin.clientId)), "url.json").up();
    expect(outputs.urls).toEqual(
      tenant.tenant
        .sites()
        .filter((s) => s.protectionUnitId && s.siteWebUrl.includes(slug))
        .map((s) => s.siteWebUrl),
    );
    expect(outputs.urls).toContain(site!.siteWebUrl);
  });
});

describe("errors name what to fix", () => {
  const run = failureOf;

  it("a bad setting names the config key, before any request; stack config comes before the environment", async () => {
    const failure = await run(() => m365.getRestorePoints({ protectionUnitIds: ["x"] }), {
      "m365-backup:graphEndpoint": emulator.url.replace("https:", "http:"),
      "m365-backup:accessToken": emulator.accessToken,
    });
    expect(failure.name).toBe("ConfigurationError");
    expect(failure.message).toBe(
      `getRestorePoints: m365-backup:graphEndpoint must use https (tokens never travel over plain http), got http://${new URL(emulator.url).host}`,
    );
    expect(requests()).toEqual([]);

    const saved = { ...process.env };
    try {
      process.env.M365_BACKUP_GRAPH_ENDPOINT = "https://example.com";
      process.env.M365_BACKUP_ACCESS_TOKEN = emulator.accessToken;
      // The environment fills in what stack config leaves out...
      const fromEnvironment = await run(() => m365.getBackupServiceStatus(), {});
      expect(fromEnvironment.message).toMatch(
        /^getBackupServiceStatus: m365-backup:graphEndpoint host example\.com is not a Microsoft Graph cloud/,
      );
      // ...and stack config wins over it.
      const { outputs } = await stack(
        async () => ({ status: (await m365.getBackupServiceStatus()).status }),
        {
          "m365-backup:graphEndpoint": emulator.url,
        },
        "errors.json",
      ).up();
      expect(outputs).toEqual({ status: "enabled" });
    } finally {
      process.env = saved;
    }
  });

  it("a bad argument names the argument, before any request", async () => {
    const calls = [
      () => m365.getRestorePoints({ protectionUnitIds: ["a"], startDateTime: "yesterday" }),
      () => m365.getRestorePoints({ protectionUnitIds: ["a", ""] }),
      () => m365.getSiteProtectionUnits({ emailContains: "x" } as never),
    ];
    const failures: string[] = [];
    // One command at a time: the Pulumi runtime's settings are process-global.
    for (const call of calls) {
      const failure = await run(call);
      failures.push(`${failure.name}: ${failure.message}`);
    }
    expect(failures).toEqual([
      'LookupArgumentError: getRestorePoints: startDateTime must be an ISO 8601 date and time such as 2026-11-20T08:00:00Z, got "yesterday"',
      'LookupArgumentError: getRestorePoints: protectionUnitIds[1] must be a protection unit id, got ""',
      "LookupArgumentError: getSiteProtectionUnits: unknown argument emailContains (it takes policyId, status, siteWebUrlContains)",
    ]);
    expect(requests()).toEqual([]);
  });

  it("a failed search names the units it searched; an unknown policy is named", async () => {
    const [site] = protectedSites();
    const search = await run(() => m365.getRestorePoints({ protectionUnitIds: [site!.protectionUnitId, "not-a-unit"] }));
    expect(search.name).toBe("GraphRequestError");
    expect(search.message).toMatch(
      new RegExp(
        `^POST /v1\\.0/solutions/backupRestore/restorePoints/search -> 400 InvalidProtectionUnitId: .*; protection units searched: ${site!.protectionUnitId}, not-a-unit$`,
      ),
    );
    const policyId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    const policy = await run(() => m365.getDriveProtectionUnits({ policyId }));
    expect(policy.message).toMatch(
      new RegExp(`-> 404 PolicyNotFound: .*; getDriveProtectionUnits: no OneDrive protection policy has the id ${policyId}$`),
    );
    expect(requests()).toEqual([
      `POST ${SEARCH} 400`,
      `GET ${ROOT}/oneDriveForBusinessProtectionPolicies/${policyId}/driveProtectionUnits 404`,
    ]);
  });
});
