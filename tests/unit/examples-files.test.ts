/**
 * The example projects' files: each is a complete Pulumi TypeScript project, the GitOps workflow
 * signs in with OIDC and stores no Microsoft secret, and the READMEs document what users must set.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const EXAMPLES = path.resolve(__dirname, "../../examples");
const NAMES = ["basic", "dr-drill", "gitops", "m365-drill", "scheduled-drill"];
/** How each example finds what it restores: restore points looked up, or names the service resolves in bulk. */
const FINDS: Record<string, RegExp> = {
  basic: /npx m365-backup restore-points --site[\s\S]*getRestorePoints\(\{/,
  "dr-drill": /npx m365-backup restore-points --site/,
  gitops: /\*\*bulk addition request\*\*/,
  "m365-drill": /\*\*bulk request\*\*/,
  "scheduled-drill": /\*\*bulk restore\*\*/,
};
/** The Graph permissions each README must name. */
const PERMISSIONS: Record<string, string[]> = {
  basic: [
    "BackupRestore-Restore.ReadWrite.All",
    "BackupRestore-Restore.Read.All",
    "BackupRestore-Search.Read.All",
    "BackupRestore-Configuration.Read.All",
  ],
  "dr-drill": [
    "BackupRestore-Restore.ReadWrite.All",
    "BackupRestore-Restore.Read.All",
    "BackupRestore-Search.Read.All",
    "BackupRestore-Configuration.Read.All",
  ],
  gitops: ["BackupRestore-Restore.ReadWrite.All", "BackupRestore-Restore.Read.All"],
  "m365-drill": ["BackupRestore-Restore.ReadWrite.All"],
  "scheduled-drill": ["BackupRestore-Restore.ReadWrite.All", "BackupRestore-Restore.Read.All"],
};

function read(...parts: string[]): string {
  return fs.readFileSync(path.join(EXAMPLES, ...parts), "utf8");
}

/** Every file of an example, relative to it, dot folders included. */
function filesOf(example: string): string[] {
  const root = path.join(EXAMPLES, example);
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe.each(NAMES)("examples/%s", (example) => {
  it("is a Pulumi Node.js project whose main is the TypeScript index.ts", () => {
    const project = parse(read(example, "Pulumi.yaml"));
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true } });
    expect(project.main).toBe("index.ts");
    expect(JSON.parse(read(example, "tsconfig.json")).files).toEqual(["index.ts"]);
  });

  it("depends on the published package and a Pulumi SDK that sends stack config to dynamic providers", () => {
    const pkg = JSON.parse(read(example, "package.json"));
    expect(pkg.dependencies).toEqual({ "@pulumi/pulumi": "^3.139.0", "pulumi-m365-backup": "^0.1.0" });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(["@types/node", "typescript"]);
  });

  it("documents the Graph permissions, how it finds what to restore and how to run it", () => {
    const readme = read(example, "README.md");
    for (const permission of PERMISSIONS[example]!) expect(readme).toContain(permission);
    expect(readme).toMatch(FINDS[example]!);
    expect(readme).not.toMatch(/az rest|curl /);
    for (const command of ["npm install", "pulumi stack init", "pulumi config set"]) expect(readme).toContain(command);
  });

  it("holds no credential: nothing shaped like a secret, key or token in any file", () => {
    for (const file of filesOf(example)) {
      const text = read(example, file);
      expect({
        file,
        secretLooking: text.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----|eyJ[\w-]{10,}\.[\w-]{10,}|[\w~.-]{3}8Q~[\w~.-]{31,}/g),
      }).toEqual({
        file,
        secretLooking: null,
      });
    }
  });
});

describe("examples/gitops workflow", () => {
  const workflow = parse(read("gitops", ".github", "workflows", "restore-drill.yml"));

  it("previews on pull requests and runs up on pushes to main", () => {
    expect(workflow.on).toEqual({ pull_request: { branches: ["main"] }, push: { branches: ["main"] } });
    const steps = (job: string) => workflow.jobs[job].steps.find((s: { uses?: string }) => s.uses === "pulumi/actions@v6").with;
    expect(workflow.jobs.preview.if).toBe("github.event_name == 'pull_request'");
    expect(steps("preview")).toMatchObject({ command: "preview", "comment-on-pr": true });
    expect(workflow.jobs.up.if).toBe("github.event_name == 'push'");
    expect(steps("up")).toMatchObject({ command: "up" });
  });

  it("may request an OIDC token, only reads the repository, and writes only the preview comment", () => {
    expect(workflow.permissions).toEqual({ "id-token": "write", contents: "read" });
    expect(workflow.jobs.preview.permissions).toEqual({ "id-token": "write", contents: "read", "pull-requests": "write" });
    expect(workflow.jobs.up.permissions).toBeUndefined();
  });

  it("signs in with OIDC from repository variables; its only secret is the Pulumi backend token", () => {
    expect(workflow.env).toEqual({
      ARM_USE_OIDC: "true",
      ARM_CLIENT_ID: "${{ vars.ARM_CLIENT_ID }}",
      ARM_TENANT_ID: "${{ vars.ARM_TENANT_ID }}",
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
    });
    const text = read("gitops", ".github", "workflows", "restore-drill.yml");
    expect(text.match(/secrets\.\w+/g)).toEqual(["secrets.PULUMI_ACCESS_TOKEN"]);
    expect(text).not.toMatch(/CLIENT_SECRET|clientSecret|CLIENT_CERTIFICATE/);
  });

  it("sets up Node 20 and installs from the lock file in both jobs", () => {
    for (const job of ["preview", "up"]) {
      const steps = workflow.jobs[job].steps as { uses?: string; run?: string; with?: Record<string, unknown> }[];
      expect(steps.map((s) => s.uses ?? s.run)).toEqual(["actions/checkout@v4", "actions/setup-node@v4", "npm ci", "pulumi/actions@v6"]);
      expect(steps[1].with).toEqual({ "node-version": 20, cache: "npm" });
    }
  });
});

describe("examples/posture", () => {
  it("is a Pulumi TypeScript project on the published package", () => {
    const project = parse(read("posture", "Pulumi.yaml"));
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true } });
    expect(project.main).toBe("index.ts");
    expect(JSON.parse(read("posture", "tsconfig.json")).files).toEqual(["index.ts"]);
    expect(JSON.parse(read("posture", "package.json")).dependencies).toEqual({
      "@pulumi/pulumi": "^3.139.0",
      "pulumi-m365-backup": "^0.1.0",
    });
  });

  it("documents the permissions, what removal does to backups, adoption with retainOnDelete, and how to run it", () => {
    const readme = read("posture", "README.md");
    for (const text of [
      "BackupRestore-Configuration.ReadWrite.All",
      "BackupRestore-Configuration.Read.All",
      "keeps the backups already taken, and bills them",
      "adoptExisting",
      "retainOnDelete",
      "PolicyCreationNotAllowed",
      "npm install",
      "pulumi stack init",
      "pulumi config set",
    ]) {
      expect(readme).toContain(text);
    }
  });

  it("previews pull requests, applies main, and fails a nightly refresh-preview when the tenant drifted", () => {
    const workflow = parse(read("posture", ".github", "workflows", "posture.yml"));
    const step = (job: string) => workflow.jobs[job].steps.find((s: { uses?: string }) => s.uses === "pulumi/actions@v6").with;
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push", "schedule"]);
    expect(step("preview")).toMatchObject({ command: "preview", refresh: true, "comment-on-pr": true });
    expect(step("up")).toMatchObject({ command: "up" });
    expect(workflow.jobs.drift.if).toBe("github.event_name == 'schedule'");
    expect(step("drift")).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true });
    const text = read("posture", ".github", "workflows", "posture.yml");
    expect(text.match(/secrets\.\w+/g)).toEqual(["secrets.PULUMI_ACCESS_TOKEN"]);
    expect(text).not.toMatch(/CLIENT_SECRET|clientSecret|CLIENT_CERTIFICATE/);
  });
});

describe("examples/policy-pack", () => {
  it("is a Node.js policy pack on @pulumi/policy and the published package, with a version (the policy SDK requires one)", () => {
    expect(parse(read("policy-pack", "PulumiPolicy.yaml")).runtime).toBe("nodejs");
    const pkg = JSON.parse(read("policy-pack", "package.json"));
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies).toEqual({ "@pulumi/policy": "^1.21.0", "@pulumi/pulumi": "^3.139.0", "pulumi-m365-backup": "^0.1.0" });
    expect(JSON.parse(read("policy-pack", "tsconfig.json")).files).toEqual(["index.ts", "rules.ts"]);
  });

  it("names every policy it ships, how a ticket is given, and why the shrink rule runs after the update", () => {
    const readme = read("policy-pack", "README.md");
    const index = read("policy-pack", "index.ts");
    const names = [...index.matchAll(/name: "([a-z-]+)"/g)].map((m) => m[1]);
    expect(names).toHaveLength(6);
    for (const name of names) expect(readme).toContain(`| \`${name}\` |`);
    for (const text of ["pulumi stack tag set change-ticket", "--policy-pack-config", "AnalyzeStack", "removeRequested"])
      expect(readme).toContain(text);
  });
});

describe("examples/scheduled-drill workflow", () => {
  const text = read("scheduled-drill", ".github", "workflows", "scheduled-drill.yml");
  const workflow = parse(text);
  const job = workflow.jobs.drill;
  type Step = {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    "continue-on-error"?: unknown;
  };
  const steps = job.steps as Step[];
  const step = (name: string) => steps.find((s) => s.name === name)!;

  it("runs on the first of every month (and on demand), one run at a time, never cancelling a running restore", () => {
    expect(Object.keys(workflow.jobs)).toEqual(["drill"]);
    // minute hour day-of-month month day-of-week: once a month, on its first day.
    expect(workflow.on).toEqual({ schedule: [{ cron: "0 6 1 * *" }], workflow_dispatch: {} });
    expect(job.concurrency).toEqual({ group: "scheduled-drill", "cancel-in-progress": false });
    // The job outlives the drill's default wait.
    const wait = Number(read("scheduled-drill", "index.ts").match(/getNumber\("timeoutMinutes"\) \?\? (\d+)/)![1]);
    expect(job["timeout-minutes"]).toBeGreaterThan(wait);
  });

  it("may request an OIDC token and only reads the repository; signs in with OIDC; its only secret is the Pulumi backend token", () => {
    expect(workflow.permissions).toEqual({ "id-token": "write", contents: "read" });
    expect(job.permissions).toBeUndefined();
    expect(workflow.env).toEqual({
      ARM_USE_OIDC: "true",
      ARM_CLIENT_ID: "${{ vars.ARM_CLIENT_ID }}",
      ARM_TENANT_ID: "${{ vars.ARM_TENANT_ID }}",
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
      PULUMI_STACK: "${{ vars.PULUMI_STACK }}",
    });
    expect(text.match(/secrets\.\w+/g)).toEqual(["secrets.PULUMI_ACCESS_TOKEN"]);
    expect(text).not.toMatch(/CLIENT_SECRET|clientSecret|CLIENT_CERTIFICATE/);
  });

  it("installs, then runs up with this month as the drillId; a failed drill fails that step and so the job", () => {
    expect(steps.map((s) => s.name ?? s.uses ?? s.run)).toEqual([
      "actions/checkout@v4",
      "actions/setup-node@v4",
      "npm ci",
      "pulumi/actions@v6",
      "This month",
      "Run the drill",
      "Write the drill report",
      "actions/upload-artifact@v4",
    ]);
    expect(steps[1]!.with).toEqual({ "node-version": 20, cache: "npm" });
    // The Pulumi action only installs the CLI here: no command of its own.
    expect(steps[3]!.with).toBeUndefined();
    expect(step("This month")).toEqual({ name: "This month", id: "month", run: 'echo "month=$(date -u +%Y-%m)" >> "$GITHUB_OUTPUT"' });
    expect(step("Run the drill")).toEqual({
      name: "Run the drill",
      run: 'pulumi up --yes --stack "$PULUMI_STACK" --config drillId=${{ steps.month.outputs.month }}',
    });
  });

  it("writes the Markdown report to the job summary and uploads the JSON report, after a failed drill too", () => {
    expect(step("Write the drill report")).toEqual({
      name: "Write the drill report",
      if: "${{ !cancelled() }}",
      run: [
        'pulumi stack export --stack "$PULUMI_STACK" --file state.json',
        'npx m365-backup drill-report state.json >> "$GITHUB_STEP_SUMMARY"',
        "npx m365-backup drill-report state.json --json > drill-report.json",
        "",
      ].join("\n"),
    });
    expect(steps[7]).toEqual({
      uses: "actions/upload-artifact@v4",
      if: "${{ !cancelled() }}",
      with: { name: "drill-report-${{ steps.month.outputs.month }}", path: "drill-report.json", "retention-days": 90 },
    });
  });
});
