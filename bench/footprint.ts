/**
 * The serialized providers' footprint: the bytes of each shipped resource kind's `__provider` (every
 * resource stores it twice, in its inputs and outputs) and what the capturing baseline would store.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { serializedProviderText } from "../tests/support/program-dir";
import { ROOT } from "./support";

/** The baseline's serialized size, or why it could not be serialized. */
export type BaselineFootprint = { providerBytes: number } | { error: string };

/** Bytes of each built kind's `__provider` text (from dist/provider: build first), by resource class. */
export async function providerBytes(resourceClasses: readonly string[]): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const resourceClass of resourceClasses)
    sizes[resourceClass] = Buffer.byteLength(await serializedProviderText(resourceClass), "utf8");
  return sizes;
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
