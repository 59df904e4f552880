/**
 * examples/policy-pack through the Analyzer service: the pack is served as the CLI serves it
 * (`run-policy-pack` over gRPC) and the engine harness calls it where the engine does, with the
 * resources real programs register against the emulator: Analyze with each resource's checked
 * inputs before its step (a mandatory violation stops `up` there, before any Graph request),
 * AnalyzeStack with the outputs at the end.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { engineHarness, PolicyViolationError, type PolicyViolation, type StackState } from "../../harness";
import { startEmulator, type Emulator } from "../../emulator";
import { servePack, type ServedPack } from "../support/policy-pack";
import { makeProgramDir, repoRoot } from "../support/program-dir";
import { testCa } from "../support/test-ca";

const m365 = require(path.join(repoRoot, "dist", "provider")) as typeof import("../../provider");

const PACK = path.join(repoRoot, "examples", "policy-pack");
const PRODUCTION_TENANT = "0f6a1c2e-5d4b-4e3f-9a8b-7c6d5e4f3a2b";
/** Virtual time per real time that ends an emulated restore (and a 15-minute policy change) within a few polls. */
const FAST = 6000;
const POLL = { pollIntervalSeconds: 0.2, timeoutMinutes: 30 };

let sessions: Emulator; // seeded: protected sites, drives and mailboxes with restore points
let policies: Emulator; // no policy yet: the stack declares them
let pack: ServedPack; // no CI branch in its environment
let branchPack: ServedPack; // a feature branch's build
let mainPack: ServedPack; // the release branch's build
let programDir: string;

const config = () => ({
  "restore-session-size": { maxItems: 3 },
  "protection-policy-shrink": { maxUnitsRemoved: 2 },
  "production-restores-from-release-branches": { productionTenantIds: [PRODUCTION_TENANT], productionGraphEndpoints: [`${sessions.url}/`] },
});
/** The pack's environment: this machine's, without a CI branch, plus `extra`. */
const envWith = (extra: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== "GITHUB_REF_NAME")),
  ...extra,
});

beforeAll(async () => {
  [sessions, policies] = await Promise.all([
    startEmulator({ tls: testCa() }),
    startEmulator({ tls: testCa(), seedPolicies: false, sites: 12, users: 4 }),
  ]);
  [pack, branchPack, mainPack] = await Promise.all([
    servePack(PACK, { config: config(), env: envWith({}) }),
    servePack(PACK, { config: config(), env: envWith({ GITHUB_REF_NAME: "feature/faster-drills" }) }),
    servePack(PACK, { config: config(), env: envWith({ GITHUB_REF_NAME: "main" }) }),
  ]);
});
afterAll(async () => {
  await Promise.all([pack?.close(), branchPack?.close(), mainPack?.close(), sessions?.close(), policies?.close()]);
});
beforeEach(() => {
  programDir = makeProgramDir();
  sessions.journal.clear();
  policies.journal.clear();
  sessions.clock.setSpeed(1);
  policies.clock.setSpeed(1);
});
afterEach(() => fs.rmSync(programDir, { recursive: true, force: true }));

type Program = () => Promise<Record<string, unknown> | void>;

function stack(
  program: Program,
  options: { served?: ServedPack; target?: Emulator; config?: Record<string, string>; stackTags?: Record<string, string> } = {},
) {
  const target = options.target ?? sessions;
  return engineHarness({
    projectName: "guarded",
    stackName: "prod",
    config: { "m365-backup:graphEndpoint": target.url, "m365-backup:accessToken": target.accessToken, ...options.config },
    statePath: path.join(programDir, "state.json"),
    workDir: programDir,
    program,
    policyPacks: [(options.served ?? pack).pack],
    ...(options.stackTags ? { stackTags: options.stackTags } : {}),
  });
}

/** How a command failed on policy: the violations it reported, as [policy, message] (the description line dropped). */
async function violationsOf(command: Promise<unknown>): Promise<[string, string][]> {
  const error = await command.then(
    () => new Error("expected a policy violation"),
    (e: unknown) => e,
  );
  if (!(error instanceof PolicyViolationError)) throw error;
  return brief(error.violations);
}
const brief = (violations: PolicyViolation[] = []): [string, string][] =>
  violations.map((v) => [v.policyName, v.message.split("\n").slice(1).join("\n")]);
const writes = (target: Emulator) => target.journal.entries().filter((e) => e.method !== "GET" && !e.path.endsWith("/search"));
const restorePoint = (site: number) => sessions.tenant.latestRestorePointId(sessions.tenant.sites()[site]!.siteId);
const state = () => JSON.parse(fs.readFileSync(path.join(programDir, "state.json"), "utf8")) as StackState;
const URN = (type: string, name: string) => `urn:pulumi:prod::guarded::pulumi-nodejs:dynamic/m365-backup:${type}::${name}`;

describe("restore sessions", () => {
  it("a proper drill and a small draft pass preview and up; the drill runs to its end", async () => {
    const program: Program = async () => {
      const drill = new m365.SharePointRestoreSession("drill", {
        siteRestoreArtifacts: [{ restorePointId: restorePoint(0) }, { restorePointId: restorePoint(1) }],
        activate: true,
        waitForCompletion: POLL,
        drillId: "2026-12",
      });
      new m365.OneDriveRestoreSession("drives", { bulkRestore: { drives: ["adele@contoso.com", "alex@contoso.com"] } });
      return { status: drill.status };
    };
    const preview = await stack(program).preview();
    expect(preview.policyViolations).toEqual([]);
    sessions.clock.setSpeed(FAST);
    const up = await stack(program).up();
    expect(up.policyViolations).toEqual([]);
    expect(up.changes.create).toBe(2);
    expect(up.outputs.status).toBe("completed");
  });

  it("a drill that neither waits nor fails on errors fails the preview, and up stops before anything reaches Graph", async () => {
    const program: Program = async () => {
      new m365.ExchangeRestoreSession("mail-drill", {
        mailboxRestoreArtifacts: [{ email: "adele@contoso.com" }],
        failOn: "never",
        drillId: "2026-12",
      });
    };
    const expected: [string, string][] = [
      [
        "drill-waits-and-fails-on-errors",
        `drill "2026-12" needs activate: true (a drill that does not start restores nothing), waitForCompletion (true, or { timeoutMinutes }), failOn "completedWithError" (the default) instead of "never"`,
      ],
    ];
    expect(await violationsOf(stack(program).preview())).toEqual(expected);
    const up = stack(program).up();
    await expect(up).rejects.toThrow(`resource ${URN("ExchangeRestoreSession", "mail-drill")} is invalid: mandatory policy violations:`);
    expect(await violationsOf(up)).toEqual(expected);
    expect(writes(sessions)).toEqual([]);
  });

  it("at most maxItems objects a session, listed and bulk names counted alike, for every workload", async () => {
    const program: Program = async () => {
      new m365.SharePointRestoreSession("three-sites", {
        siteRestoreArtifacts: [0, 1, 2].map((i) => ({ restorePointId: restorePoint(i) })),
      });
      new m365.SharePointRestoreSession("four-sites", {
        bulkRestore: { siteWebUrls: [0, 1, 2, 3].map((i) => `https://contoso.sharepoint.com/sites/s${i}`) },
      });
      new m365.OneDriveRestoreSession("four-drives", {
        driveRestoreArtifacts: ["a", "b", "c", "d"].map((d) => ({ directoryObjectId: d })),
      });
      new m365.ExchangeRestoreSession("four-items", {
        granularMailboxRestoreArtifacts: [1, 2, 3, 4].map((i) => ({
          email: "adele@contoso.com",
          query: { subjects: [`invoice ${i}`] },
        })),
      });
    };
    expect(await violationsOf(stack(program).preview())).toEqual([
      ["restore-session-size", "the session restores 4 objects; at most 3 are allowed in one session"],
      ["restore-session-size", "the session restores 4 objects; at most 3 are allowed in one session"],
      ["restore-session-size", "the session restores 4 objects; at most 3 are allowed in one session"],
    ]);
  });

  describe("in place", () => {
    const inPlace = (drillId?: string): Program => {
      return async () => {
        new m365.SharePointRestoreSession("rollback", {
          siteRestoreArtifacts: [{ restorePointId: restorePoint(2) }],
          destinationType: "inPlace",
          allowInPlaceRestore: true,
          ...(drillId ? { activate: true, waitForCompletion: true, drillId } : {}),
        });
      };
    };

    it("needs a drillId or a change ticket in the stack's tags", async () => {
      expect(await violationsOf(stack(inPlace()).preview())).toEqual([
        [
          "in-place-restore-authorized",
          "an in-place restore needs a drillId or a change ticket: set the stack tag with `pulumi stack tag set change-ticket <ticket>`",
        ],
      ]);
      expect(await violationsOf(stack(inPlace(), { stackTags: { "change-ticket": "soon" } }).preview())).toEqual([
        [
          "in-place-restore-authorized",
          `the stack tag change-ticket is "soon", which is not a change ticket (^(CHG\\d{7}|[A-Z][A-Z0-9]+-\\d+)$)`,
        ],
      ]);
      expect((await stack(inPlace("2026-12")).preview()).policyViolations).toEqual([]);
      const ticketed = await stack(inPlace(), { stackTags: { "change-ticket": "CHG0012345" } }).up();
      expect(ticketed.policyViolations).toEqual([]);
      expect(ticketed.changes.create).toBe(1);
    });
  });

  describe("against production from a branch build", () => {
    const draft: Program = async () => {
      new m365.SharePointRestoreSession("draft", { siteRestoreArtifacts: [{ restorePointId: restorePoint(3) }] });
    };

    it("the production Graph endpoint, from a feature branch: refused; from main or outside CI: allowed", async () => {
      expect(await violationsOf(stack(draft, { served: branchPack }).preview())).toEqual([
        [
          "production-restores-from-release-branches",
          `restore sessions against the production Graph endpoint ${sessions.url} run only from main; this build is for "feature/faster-drills" (GITHUB_REF_NAME)`,
        ],
      ]);
      expect(writes(sessions)).toEqual([]);
      expect((await stack(draft, { served: mainPack }).preview()).policyViolations).toEqual([]);
      expect((await stack(draft).preview()).policyViolations).toEqual([]);
    });

    it("the production tenant named in stack config (m365-backup:tenantId), on any endpoint", async () => {
      const program: Program = async () => {
        new m365.OneDriveRestoreSession("draft", { bulkRestore: { drives: ["adele@contoso.com"] } });
      };
      const tenant = { "m365-backup:tenantId": PRODUCTION_TENANT.toUpperCase() };
      expect(await violationsOf(stack(program, { served: branchPack, target: policies, config: tenant }).preview())).toEqual([
        [
          "production-restores-from-release-branches",
          `restore sessions against the production tenant ${PRODUCTION_TENANT.toUpperCase()} run only from main; this build is for "feature/faster-drills" (GITHUB_REF_NAME)`,
        ],
      ]);
      expect((await stack(program, { served: branchPack, target: policies }).preview()).policyViolations).toEqual([]);
    });
  });
});

describe("protection policies", () => {
  const siteIds = (from: number, to: number) =>
    policies.tenant
      .sites()
      .slice(from, to)
      .map((s) => s.siteId);

  it("must be active", async () => {
    const program: Program = async () => {
      new m365.OneDriveProtectionPolicy("drives", { userIds: [policies.tenant.users()[0]!.directoryObjectId], active: false });
    };
    expect(await violationsOf(stack(program, { target: policies }).preview())).toEqual([
      [
        "protection-policy-active",
        "the policy is declared inactive (active: false), so Microsoft 365 Backup stops backing up what it holds",
      ],
    ]);
  });

  it("must not lose more than maxUnitsRemoved units in one update: the stored outputs after up show it; a refresh once Graph is done clears it", async () => {
    let ids = siteIds(0, 6);
    const program: Program = async () => {
      const sites = new m365.SharePointProtectionPolicy("sites", { siteIds: ids, statusWait: POLL });
      return { status: sites.status };
    };
    expect((await stack(program, { target: policies }).up()).policyViolations).toEqual([]);

    // Two fewer: within the limit.
    ids = siteIds(0, 4);
    expect((await stack(program, { target: policies }).up()).policyViolations).toEqual([]);
    policies.clock.advance(16 * 60_000);
    await stack(program, { target: policies }).refresh();

    // Three fewer: the preview cannot tell (a pack sees only the new inputs), the update's stored outputs can.
    ids = siteIds(0, 1);
    expect((await stack(program, { target: policies }).preview()).policyViolations).toEqual([]);
    const removed = siteIds(1, 4);
    expect(await violationsOf(stack(program, { target: policies }).up())).toEqual([
      [
        "protection-policy-shrink",
        `sites is removing 3 units (${removed.join(", ")}); at most 2 may leave a policy in one update. ` +
          "Backups already taken are kept; add the units back to protect them again.",
      ],
    ]);
    const policy = state().resources.find((r) => r.urn === URN("SharePointProtectionPolicy", "sites"))!;
    expect(
      (policy.outputs.siteProtectionUnits as { siteId: string; status: string }[])
        .filter((u) => u.status === "removeRequested")
        .map((u) => u.siteId),
    ).toEqual(removed);

    // Once Graph has removed them, a refresh records it and the next up passes.
    policies.clock.advance(16 * 60_000);
    await stack(program, { target: policies }).refresh();
    expect((await stack(program, { target: policies }).up()).policyViolations).toEqual([]);
  });
});
