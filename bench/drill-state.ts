/**
 * The stored state of a completed drill of many sites: one session, activated with a drill id, run
 * to completion on the emulator's virtual clock and refreshed, as `pulumi refresh` leaves it. What is
 * counted is the resource as the state file records it (URN, type, id, inputs and outputs, each with
 * `__provider`), as compact JSON, divided by the sites.
 */
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { measuredStack } from "./measured-stack";
import { protectedSites, resourceBytes, ROOT, round } from "./support";

/** How the program names its sites. */
export type SiteNaming = "restorePointId" | "siteId";

/** Bytes of one completed drill's resource, per site, and where they go. */
export interface DrillStateResult {
  sites: number;
  naming: SiteNaming;
  /** The session's status after the refresh (`completed` when every site was restored). */
  status: string;
  succeeded: number;
  resourceBytes: number;
  bytesPerSite: number;
  /** The program's entry per site, as the inputs store it. */
  inputBytesPerSite: number;
  /** The stored artifact per site, in the outputs. */
  artifactBytesPerSite: number;
  /** What the resource stores once, whatever its size: `__provider` twice, the session's fields, the drill summary, the URN. */
  sharedBytes: number;
}

/** Minutes a restore of `sites` sites takes on the emulator's clock, with an hour to spare (emulator/progress.ts). */
function restoreMinutes(sites: number): number {
  return 5 + sites * 0.5 + 45 + 60;
}

/** Drills `sites` sites named as `naming` says, and measures the stored state. */
export async function measureDrillState(sites: number, naming: SiteNaming): Promise<DrillStateResult> {
  const emulator = await startEmulator({ sites });
  try {
    const { SharePointRestoreSession } = require(path.join(ROOT, "dist", "provider")) as typeof import("../provider");
    const entries = protectedSites(emulator, sites).map((s) =>
      naming === "siteId" ? { siteId: s.siteId } : { restorePointId: emulator.tenant.latestRestorePointId(s.siteId) },
    );
    const stack = measuredStack({
      emulator,
      latencyMs: 0,
      program: async () => {
        new SharePointRestoreSession("drill", { siteRestoreArtifacts: entries, activate: true, drillId: "bench" });
      },
    });
    const up = await stack.run("up");
    if (up.error !== undefined) throw new Error(`the drill's up failed: ${up.error}`);
    emulator.clock.advance(restoreMinutes(sites) * 60_000);
    const refresh = await stack.run("refresh");
    if (refresh.error !== undefined) throw new Error(`the drill's refresh failed: ${refresh.error}`);
    const [resource] = stack.state().resources;
    if (resource === undefined) throw new Error("the drill left no resource in the state");
    const artifacts = resource.outputs.siteRestoreArtifacts as { status?: string }[];
    const total = resourceBytes(resource);
    const inputBytes = Buffer.byteLength(JSON.stringify(resource.inputs.siteRestoreArtifacts), "utf8");
    const artifactBytes = Buffer.byteLength(JSON.stringify(artifacts), "utf8");
    // An activated session is only forgotten on destroy: no Graph call, nothing left behind.
    await stack.run("destroy");
    return {
      sites,
      naming,
      status: String(resource.outputs.status),
      succeeded: artifacts.filter((a) => a.status === "succeeded").length,
      resourceBytes: total,
      bytesPerSite: round(total / sites, 1),
      inputBytesPerSite: round(inputBytes / sites, 1),
      artifactBytesPerSite: round(artifactBytes / sites, 1),
      sharedBytes: total - inputBytes - artifactBytes,
    };
  } finally {
    await emulator.close();
  }
}
