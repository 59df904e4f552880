/**
 * State footprint: the bytes of the serialized provider (`__provider`) of the shipped resource and
 * of the capturing baseline, and the bytes one resource takes in the stored state.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { serializedProviderText } from "../tests/support/program-dir";
import type { StateResource } from "../harness";
import { ROOT } from "./support";

/** The baseline's serialized size, or why it could not be serialized. */
export type BaselineFootprint = { providerBytes: number } | { error: string };

/** Bytes of the shipped resource's `__provider` text (from dist/provider: build first). */
export async function providerBytes(): Promise<number> {
  return Buffer.byteLength(await serializedProviderText(), "utf8");
}

// A child process, because setMocks is process-global. It prints the __provider size, or the error
// Pulumi's closure serializer raised (it surfaces as a rejected registration).
const BASELINE_SCRIPT = `
const pulumi = require("@pulumi/pulumi");
const report = (result) => { process.stdout.write(JSON.stringify(result)); process.exit(0); };
process.on("unhandledRejection", (error) => report({ error: String(error && error.message || error) }));
pulumi.runtime.setMocks({
  newResource(args) {
    let text = args.inputs.__provider;
    if (text && typeof text === "object") text = text.value;
    report({ providerBytes: Buffer.byteLength(String(text), "utf8") });
    return { id: "probe-id", state: args.inputs };
  },
  call() { return {}; },
}, "project", "stack", false);
const { BaselineSession } = require(process.argv[1]);
new BaselineSession("probe", { siteRestoreArtifacts: [{ restorePointId: "probe" }] });
`;

/** Serializes the baseline provider the way `pulumi up` would, in a child process. */
export function baselineFootprint(): BaselineFootprint {
  const child = spawnSync(
    process.execPath,
    ["-r", path.join(ROOT, "tests", "support", "ts-register.js"), "-e", BASELINE_SCRIPT, path.join(__dirname, "baseline-provider.ts")],
    { cwd: ROOT, encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  try {
    return JSON.parse(child.stdout) as BaselineFootprint;
  } catch {
    return {
      error: `the serializer child exited with ${child.status ?? child.signal}: ${child.stderr.trim().split("\n").slice(-3).join(" ")}`,
    };
  }
}

/** Median bytes one resource takes in the stored state (URN, type, id, inputs and outputs, as JSON). */
export function stateBytesPerResource(resources: StateResource[]): number {
  if (resources.length === 0) throw new RangeError("no resources in the state");
  const sizes = resources.map((r) => Buffer.byteLength(JSON.stringify(r), "utf8")).sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)];
}
