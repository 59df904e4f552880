/**
 * `npm run demo`: a DR drill on the embedded Graph emulator, with no tenant and no credentials.
 *
 * Steps: up, refresh, a second up that must change nothing, destroy. With a `pulumi` CLI (3.139 or
 * newer) on PATH it drives the CLI through the Automation API; without one it runs the same program
 * through the engine harness, which stands in for the CLI only there. Exits non-zero on any failure.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type Emulator } from "../emulator";
import { engineHarness, type StepResult } from "../harness";
import { drill } from "./program";

const ROOT = path.resolve(__dirname, "../..");
const PROJECT = "m365-backup-demo";
const STACK = "dr-drill";
/** Virtual minutes per real second while the drill runs: a multi-hour restore takes seconds. */
const EMULATOR_SPEED = 600;

type Step = "up" | "refresh" | "up (no changes expected)" | "destroy";
/** What a step shows: stack outputs after up, the refreshed session's state after refresh. */
type Runner = (step: Step) => Promise<{ outputs: Record<string, unknown>; changed: number }>;

async function main(): Promise<void> {
  const emulator = await startEmulator({ speed: EMULATOR_SPEED });
  try {
    process.env.NODE_EXTRA_CA_CERTS = emulator.caPath; // the provider host is a child process
    linkPackageIntoProgram();
    const config = demoConfig(emulator);
    const cli = pulumiCliVersion();
    const run = cli ? await cliRunner(config, emulator, cli) : harnessRunner(config);

    for (const step of ["up", "refresh", "up (no changes expected)", "destroy"] as Step[]) {
      console.log(`\n=== pulumi ${step} ===`);
      const { outputs, changed } = await run(step);
      if (step === "up (no changes expected)" && changed !== 0)
        throw new Error(`the second up changed ${changed} resource(s); expected none`);
      if (step !== "destroy") printOutputs(outputs);
    }
    console.log("\nDemo finished: the drill ran up, refresh, a no-op up and destroy.");
  } finally {
    await emulator.close();
  }
}

/** What the posture protects (every seeded object) and the drill restores (three of each), plus where and how to reach Graph. */
function demoConfig(emulator: Emulator): Record<string, string> {
  const sites = emulator.tenant
    .sites()
    .filter((s) => s.protectionUnitId)
    .slice(0, 3);
  const users = emulator.tenant
    .users()
    .filter((u) => u.protectionUnitId)
    .slice(0, 3);
  const mailboxes = emulator.tenant
    .mailboxes()
    .filter((m) => m.protectionUnitId)
    .slice(0, 3);
  console.log(`Emulator: ${emulator.url} (tenant ${emulator.tenantId})`);
  console.log(`Drill sites: ${sites.map((s) => s.siteWebUrl).join(", ")}`);
  console.log(`Drill OneDrives: ${users.map((u) => u.email).join(", ")}`);
  console.log(`Drill mailboxes: ${mailboxes.map((m) => m.email).join(", ")}`);
  const allProtected = <T extends { protectionUnitId: string }>(objects: T[]) => objects.filter((o) => o.protectionUnitId);
  return {
    "m365-backup:graphEndpoint": emulator.url,
    "m365-backup:accessToken": emulator.accessToken,
    [`${PROJECT}:protectedSiteIds`]: JSON.stringify(allProtected(emulator.tenant.sites()).map((s) => s.siteId)),
    [`${PROJECT}:protectedUserIds`]: JSON.stringify(allProtected(emulator.tenant.users()).map((u) => u.directoryObjectId)),
    [`${PROJECT}:protectedMailboxIds`]: JSON.stringify(allProtected(emulator.tenant.mailboxes()).map((m) => m.directoryObjectId)),
    [`${PROJECT}:siteIds`]: JSON.stringify(sites.map((s) => s.siteId)),
    [`${PROJECT}:userIds`]: JSON.stringify(users.map((u) => u.directoryObjectId)),
    [`${PROJECT}:mailboxEmails`]: JSON.stringify(mailboxes.map((m) => m.email)),
  };
}

/** The provider host loads `pulumi-m365-backup/engine` from the program's node_modules. */
function linkPackageIntoProgram(): void {
  const link = path.join(ROOT, "node_modules", "pulumi-m365-backup");
  if (!fs.existsSync(link)) fs.symlinkSync(ROOT, link, "dir");
}

function harnessRunner(config: Record<string, string>): Runner {
  console.log("No pulumi CLI (3.139 or newer) on PATH: running the same program through the engine harness,");
  console.log("which plays the engine's part against the real dynamic-provider host.");
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-backup-demo-"));
  const statePath = path.join(stateDir, "state.json");
  const stack = engineHarness({
    projectName: PROJECT,
    stackName: STACK,
    program: async () => drill(),
    config,
    statePath,
    workDir: ROOT,
    onLog: (text) => process.stdout.write(text.replace(/^(?=.)/gm, "  host: ")),
    onWarning: (message) => console.log(message.replace(/^(?=.)/gm, "  warning: ")),
    onEvent: (e) => {
      if (e.status !== "started")
        console.log(`  ${e.urn.split("::").pop()}  ${e.op.padEnd(8)} ${e.status}${e.detail ? `  ${e.detail}` : ""}`);
    },
  });
  const changedCount = (r: StepResult) => r.changes.create + r.changes.update + r.changes.replace + r.changes.delete;
  return async (step) => {
    const result = step === "refresh" ? await stack.refresh() : step === "destroy" ? await stack.destroy() : await stack.up();
    if (step === "refresh") {
      const state = JSON.parse(fs.readFileSync(statePath, "utf8")) as { resources: { type: string; outputs: Record<string, unknown> }[] };
      return { outputs: refreshedSummary(state.resources), changed: 0 };
    }
    return { outputs: result.outputs, changed: changedCount(result) };
  };
}

async function cliRunner(config: Record<string, string>, emulator: Emulator, version: string): Promise<Runner> {
  console.log(`Using the pulumi CLI ${version} through the Automation API.`);
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const backend = fs.mkdtempSync(path.join(os.tmpdir(), "m365-backup-demo-state-"));
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: STACK, workDir: ROOT },
    {
      envVars: {
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: crypto.randomBytes(24).toString("hex"),
        NODE_EXTRA_CA_CERTS: emulator.caPath,
      },
    },
  );
  for (const [key, value] of Object.entries(config)) await stack.setConfig(key, { value, secret: key.endsWith("accessToken") });
  const onEvent = (event: {
    resourcePreEvent?: { metadata: { urn: string; op: string } };
    resOutputsEvent?: { metadata: { urn: string; op: string } };
  }) => {
    const done = event.resOutputsEvent?.metadata;
    if (done) console.log(`  ${done.urn.split("::").pop()}  ${done.op.padEnd(8)} done`);
  };
  const outputs = async () => Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value]));
  return async (step) => {
    if (step === "refresh") {
      await stack.refresh({ onEvent });
      const { deployment } = await stack.exportStack();
      return { outputs: refreshedSummary(deployment.resources ?? []), changed: 0 };
    }
    if (step === "destroy") {
      await stack.destroy({ onEvent });
      return { outputs: {}, changed: 0 };
    }
    const result = await stack.up({ onEvent });
    const changes = result.summary.resourceChanges ?? {};
    const changed = Object.entries(changes)
      .filter(([op]) => op !== "same")
      .reduce((n, [, c]) => n + (c ?? 0), 0);
    return { outputs: await outputs(), changed };
  };
}

/** The CLI's version when one (3.139 or newer) is on PATH. */
function pulumiCliVersion(): string | undefined {
  try {
    const version = execFileSync("pulumi", ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
    return major > 3 || (major === 3 && minor >= 139) ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refresh updates resource state, not stack outputs (those change on the next up), so after a
 * refresh the demo shows each resource's refreshed state.
 */
function refreshedSummary(resources: readonly { type: string; outputs?: Record<string, unknown> }[]): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  for (const resource of resources) {
    const type = resource.type.split(":").pop() ?? resource.type;
    if (!type.endsWith("RestoreSession") && !type.endsWith("ProtectionPolicy")) continue;
    const outputs = resource.outputs ?? {};
    summary[type] = {
      status: outputs.status,
      completedDateTime: outputs.completedDateTime ?? null,
      count: outputs.restoreSessionArtifactCount,
    };
  }
  return summary;
}

function printOutputs(outputs: Record<string, unknown>): void {
  console.log("  outputs:");
  for (const [key, value] of Object.entries(outputs)) {
    // The drill report is Markdown: print it as it reads.
    if (key === "drillReport" && typeof value === "string") console.log(`    ${key}:\n${value.replace(/^/gm, "      ")}`);
    else console.log(`    ${key}: ${JSON.stringify(value)}`);
  }
}

main().catch((error: unknown) => {
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
