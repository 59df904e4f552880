/**
 * The finder CLI (`m365-backup`, built to dist/cli) as a user runs it: a child process whose only
 * settings are environment variables, against the emulator over TLS. Each command, its table and
 * `--json` output, the Graph requests behind it, and the exit codes scripts rely on.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { typeCheckInProject } from "../support/pack";
import { makeProgramDir, repoRoot } from "../support/program-dir";
import { testCa } from "../support/test-ca";

const CLI = path.join(repoRoot, "dist", "cli", "index.js");
const ROOT = "/v1.0/solutions/backupRestore";
const SEARCH = `${ROOT}/restorePoints/search`;

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
  emulator.clock.setSpeed(0);
});
afterAll(() => emulator?.close());
beforeEach(() => {
  emulator.journal.clear();
  emulator.faults.clear();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a user exports: the trusted CA, the endpoint and a token; nothing else of this process. */
function environment(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
    M365_BACKUP_GRAPH_ENDPOINT: emulator.url,
    M365_BACKUP_ACCESS_TOKEN: emulator.accessToken,
    ...overrides,
  };
}

/** Runs the CLI to its end; asynchronous, so the emulator in this process keeps answering. */
function cli(args: string[], env: NodeJS.ProcessEnv = environment()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const json = (run: Run) => JSON.parse(run.stdout) as Record<string, any>;
const requests = () => emulator.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`);
const protectedSites = () => emulator.tenant.sites().filter((s) => s.protectionUnitId);
const adele = () => emulator.tenant.users().find((u) => u.email === "adele@contoso.com")!;

describe("commands", () => {
  it.each(["sites", "drives", "mailboxes", "restore-points", "status", "snippet"])(
    "%s --help prints its usage and exits 0",
    async (command) => {
      const run = await cli([command, "--help"]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout).toMatch(new RegExp(`^Usage: m365-backup ${command} \\[options\\]\\n`));
      expect(run.stdout).toContain("M365_BACKUP_GRAPH_ENDPOINT");
      expect(run.stdout).toContain("Exit codes: 0 done, 1 Graph or sign-in failed, 2 usage error, 3 bad setting, 4 not found");
    },
  );

  it("sites: a table of every protected site (no URL column: Graph withholds URLs from applications), or JSON", async () => {
    const table = await cli(["sites"]);
    expect(table).toMatchObject({ code: 0, stderr: "" });
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]!.split(/\s{2,}/)).toEqual(["id", "siteId", "status", "policyId"]);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(0, 3))).toEqual(
      protectedSites().map((s) => [s.protectionUnitId, s.siteId, "protected"]),
    );

    const listed = await cli(["sites", "--json"]);
    expect(listed.code).toBe(0);
    const units = json(listed).protectionUnits as Record<string, unknown>[];
    expect(Object.keys(json(listed))).toEqual(["protectionUnits"]);
    expect(units.map((u) => u.id)).toEqual(protectedSites().map((s) => s.protectionUnitId));
    expect(Object.keys(units[0]!).sort()).toEqual(
      ["createdBy", "createdDateTime", "id", "lastModifiedBy", "lastModifiedDateTime", "policyId", "siteId", "status"].sort(),
    );
    expect(requests()).toEqual([
      `GET ${ROOT}/protectionUnits/microsoft.graph.siteProtectionUnit 200`,
      `GET ${ROOT}/protectionUnits/microsoft.graph.siteProtectionUnit 200`,
    ]);
  });

  it("drives and mailboxes: filtered by email, by policy and status", async () => {
    const drives = await cli(["drives", "--email-contains", "ADELE", "--json"]);
    expect(drives.code).toBe(0);
    expect(json(drives).protectionUnits.map((u: any) => [u.email, u.directoryObjectId])).toEqual([
      ["adele@contoso.com", adele().directoryObjectId],
    ]);

    const policy = emulator.tenant.policies().find((p) => p.workload === "exchange")!;
    const mailboxes = await cli(["mailboxes", "--policy", policy.id, "--status", "protected"]);
    expect(mailboxes.code).toBe(0);
    const emails = mailboxes.stdout
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((line) => line.split(/\s{2,}/)[2]);
    expect(emails).toEqual(policy.units.map((u) => emulator.tenant.mailboxes().find((m) => m.directoryObjectId === u.key)!.email));
    expect(requests()).toEqual([
      `GET ${ROOT}/protectionUnits/microsoft.graph.driveProtectionUnit 200`,
      `GET ${ROOT}/exchangeProtectionPolicies/${policy.id}/mailboxProtectionUnits 200`,
    ]);
  });

  it("restore-points: a site by id, a OneDrive by email, a mailbox by unit id, in one search", async () => {
    const [site] = protectedSites();
    const mailbox = emulator.tenant.mailboxes().find((m) => m.kind === "shared")!;
    const run = await cli([
      "restore-points",
      "--site",
      site!.siteId,
      "--user",
      "adele@contoso.com",
      "--mailbox",
      mailbox.protectionUnitId,
      "--json",
    ]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(json(run)).toEqual({
      restorePoints: [
        ["site", site!.siteId, site!.protectionUnitId, emulator.tenant.latestRestorePointIdFor("sharePoint", site!.siteId)],
        [
          "OneDrive",
          "adele@contoso.com",
          adele().protectionUnitId,
          emulator.tenant.latestRestorePointIdFor("oneDrive", "adele@contoso.com"),
        ],
        ["mailbox", mailbox.protectionUnitId, mailbox.protectionUnitId, emulator.tenant.latestRestorePointIdFor("exchange", mailbox.email)],
      ].map(([object, given, protectionUnitId, id]) => ({
        object,
        given,
        protectionUnitId,
        restorePoint: {
          id,
          protectionUnitId,
          protectionDateTime: expect.any(String),
          expirationDateTime: expect.any(String),
          tags: expect.any(String),
        },
      })),
    });
    // Each workload's units are listed once (at once), then one search takes the three units.
    expect(requests().sort()).toEqual(
      [
        `GET ${ROOT}/protectionUnits/microsoft.graph.driveProtectionUnit 200`,
        `GET ${ROOT}/protectionUnits/microsoft.graph.mailboxProtectionUnit 200`,
        `GET ${ROOT}/protectionUnits/microsoft.graph.siteProtectionUnit 200`,
        `POST ${SEARCH} 200`,
      ].sort(),
    );
  });

  it("restore-points: the window, the preference and the tag reach the search; the table has one row per object", async () => {
    const [site] = protectedSites();
    const run = await cli([
      "restore-points",
      "--site",
      site!.siteId,
      "--after",
      "2026-01-01",
      "--before",
      "2026-11-20T08:00:00Z",
      "--oldest",
      "--fast",
    ]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const search = emulator.journal.entries().find((e) => e.path === SEARCH)!;
    expect(search.body).toEqual({
      protectionUnitIds: [site!.protectionUnitId],
      protectionTimePeriod: { startDateTime: "2026-01-01T00:00:00Z", endDateTime: "2026-11-20T08:00:00Z" },
      restorePointPreference: "oldest",
      tags: "fastRestore",
    });
    const [header, row, ...rest] = run.stdout.trimEnd().split("\n");
    expect(header!.split(/\s{2,}/)).toEqual([
      "object",
      "given",
      "protectionUnitId",
      "restorePointId",
      "protectionDateTime",
      "expirationDateTime",
      "tags",
    ]);
    expect(row!.split(/\s{2,}/).slice(0, 3)).toEqual(["site", site!.siteId, site!.protectionUnitId]);
    expect(row!.split(/\s{2,}/)[6]).toBe("fastRestore");
    expect(rest).toEqual([]);
  });

  it("status: the service status as a table or JSON", async () => {
    emulator.tenant.setServiceStatus({ status: "restoreLocked" });
    try {
      const table = await cli(["status"]);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^field\s+value\nstatus\s+restoreLocked\ndisableReason\s+none\n/);
      const status = await cli(["status", "--json"]);
      expect(json(status)).toEqual({
        status: "restoreLocked",
        disableReason: "none",
        lastModifiedDateTime: expect.any(String),
        lastModifiedBy: { application: { id: expect.any(String), displayName: "Microsoft 365 admin center" } },
      });
    } finally {
      emulator.tenant.setServiceStatus({ status: "enabled" });
    }
  });

  it("snippet: a TypeScript module a program imports as is, type-checked against the package", async () => {
    const [first, second] = protectedSites();
    const run = await cli(["snippet", "--site", first!.siteId, "--site", second!.protectionUnitId, "--user", "adele@contoso.com"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const pointOf = (workload: "sharePoint" | "oneDrive", key: string) => emulator.tenant.latestRestorePointIdFor(workload, key);
    expect(run.stdout).toContain(
      `export const siteRestoreArtifacts: SiteRestoreArtifactArgs[] = [\n  { restorePointId: "${pointOf("sharePoint", first!.siteId)}" }, // site siteId ${first!.siteId}, taken `,
    );
    expect(run.stdout).toContain(
      `  { restorePointId: "${pointOf("sharePoint", second!.siteId)}" }, // site protection unit ${second!.protectionUnitId}, taken `,
    );
    expect(run.stdout).toContain(
      `export const driveRestoreArtifacts: DriveRestoreArtifactArgs[] = [\n  { restorePointId: "${pointOf("oneDrive", "adele@contoso.com")}" }, // OneDrive adele@contoso.com, taken `,
    );

    const program = makeProgramDir();
    try {
      const result = typeCheckInProject(
        program,
        {
          "artifacts.ts": run.stdout,
          "index.ts": `import { OneDriveRestoreSession, SharePointRestoreSession } from "pulumi-m365-backup";
import { driveRestoreArtifacts, siteRestoreArtifacts } from "./artifacts";
export const sites = new SharePointRestoreSession("sites", { siteRestoreArtifacts });
export const drives = new OneDriveRestoreSession("drives", { driveRestoreArtifacts });
`,
        },
        { strict: true, module: "commonjs", moduleResolution: "node", target: "es2020", skipLibCheck: true },
      );
      expect(result).toEqual({ status: 0, output: "" });
    } finally {
      fs.rmSync(program, { recursive: true, force: true });
    }
  });
});

describe("exit codes", () => {
  it("2 for a usage error: unknown option, no object named, a malformed time", async () => {
    const runs = await Promise.all([
      cli(["sites", "--bogus"]),
      cli(["restore-points"]),
      cli(["restore-points", "--site", "x", "--before", "yesterday"]),
      cli([]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0]!.stderr).toBe("error: unknown option '--bogus'\n(run with --help for usage)\n");
    expect(runs[1]!.stderr).toBe("m365-backup: m365-backup restore-points needs at least one --site, --user or --mailbox\n");
    expect(runs[2]!.stderr).toMatch(
      /^error: option '--before <time>' argument 'yesterday' is invalid\. expected an ISO 8601 date and time/,
    );
    expect(runs[3]!.stderr).toMatch(/^Usage: m365-backup \[options\] \[command\]/);
    expect(runs.every((r) => r.stdout === "")).toBe(true);
    expect(requests()).toEqual([]);
  });

  it("3 for a bad setting, which names the variable; nothing is sent", async () => {
    const run = await cli(["sites"], environment({ M365_BACKUP_GRAPH_ENDPOINT: emulator.url.replace("https:", "http:") }));
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `m365-backup: bad setting graphEndpoint (environment: M365_BACKUP_GRAPH_ENDPOINT): m365-backup:graphEndpoint must use https (tokens never travel over plain http), got http://${new URL(emulator.url).host}\n`,
    );
    const budget = await cli(["status"], environment({ M365_BACKUP_RETRY_BUDGET_SECONDS: "soon" }));
    expect(budget.code).toBe(3);
    expect(budget.stderr).toContain("M365_BACKUP_RETRY_BUDGET_SECONDS must be a positive number of seconds");
    expect(requests()).toEqual([]);
  });

  it("4 when a named object is not protected, or has no restore point in the window", async () => {
    const unprotected = emulator.tenant.users().find((u) => !u.protectionUnitId)!;
    const notProtected = await cli(["restore-points", "--user", unprotected.email]);
    expect(notProtected).toMatchObject({ code: 4, stdout: "" });
    expect(notProtected.stderr).toBe(
      `m365-backup: OneDrive ${unprotected.email} is not protected: no drive protection unit covers it; add it to the tenant's OneDrive protection policy first\n`,
    );

    const [site] = protectedSites();
    const tooEarly = await cli(["snippet", "--site", site!.siteId, "--before", "2001-01-01"]);
    expect(tooEarly).toMatchObject({ code: 4, stdout: "" });
    expect(tooEarly.stderr).toBe(`m365-backup: site siteId ${site!.siteId}: no restore point at or before 2001-01-01T00:00:00Z\n`);
  });

  it("1 when Graph fails", async () => {
    emulator.faults.add({
      method: "GET",
      path: "/solutions/backupRestore/protectionUnits/microsoft.graph.siteProtectionUnit",
      status: 403,
      code: "Forbidden",
      times: 1,
    });
    const run = await cli(["sites", "--json"]);
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toMatch(
      /^m365-backup: GET \/v1\.0\/solutions\/backupRestore\/protectionUnits\/microsoft\.graph\.siteProtectionUnit -> 403 Forbidden/,
    );
  });
});

describe("with the emulator CLI", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
  });

  it("the variables m365-backup-emulator prints are all the finder needs", async () => {
    child = spawn(process.execPath, [path.join(repoRoot, "dist", "emulator", "cli.js"), "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exports = await new Promise<Record<string, string>>((resolve, reject) => {
      let printed = "";
      child!.on("exit", (code) => reject(new Error(`the emulator CLI exited with ${code}: ${printed}`)));
      child!.stdout!.on("data", (chunk: Buffer) => {
        printed += chunk.toString();
        const found = Object.fromEntries([...printed.matchAll(/^\s*export (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
        if (Object.keys(found).length === 3) resolve(found);
      });
    });
    expect(Object.keys(exports).sort()).toEqual(["M365_BACKUP_ACCESS_TOKEN", "M365_BACKUP_GRAPH_ENDPOINT", "NODE_EXTRA_CA_CERTS"]);
    const run = await cli(["status"], { PATH: process.env.PATH, ...exports });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^field\s+value\nstatus\s+enabled\n/);
  });
});
