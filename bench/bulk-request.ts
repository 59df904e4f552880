/**
 * A bulk restore of many sites named by URL (one bulk addition request), through the provider host:
 * `up` creates the empty session, posts the request, activates and waits; `refresh` reads the
 * session, the request and every artifact the service added; `destroy` deletes the finished request
 * and forgets the activated session. When the activation is served, the emulator's virtual clock
 * jumps past the end of the restore, so the wait ends at its next poll.
 */
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { measuredStack, type CommandFigures } from "./measured-stack";
import { protectedSites, resourceBytes, ROOT, round } from "./support";

/** The figures of the bulk restore, and its commands. */
export interface BulkRequestResult {
  sites: number;
  requests: number;
  /** Failed steps, sites not restored and names the service could not resolve. */
  failed: number;
  wallSeconds: number;
  hostCpuSeconds: number;
  /** The resource in the state after refresh, as compact JSON. */
  stateBytes: number;
  succeeded: number;
  commands: CommandFigures[];
  peakRssMb: number;
}

const ACTIVATE = /\/restoreSessions\/[^/]+\/activate$/;

/** Polls the journal until the activation is served, then moves the virtual clock past the restore's end. */
function finishRestoreOnActivation(emulator: Emulator, sites: number): () => void {
  const timer = setInterval(() => {
    if (emulator.journal.entries().some((e) => e.method === "POST" && ACTIVATE.test(e.path) && e.status === 200)) {
      clearInterval(timer);
      // emulator/progress.ts: site i starts 5 min + i x 30 s after activation and takes at most 40 min.
      emulator.clock.advance((5 + sites * 0.5 + 45) * 60_000);
    }
  }, 10);
  return () => clearInterval(timer);
}

/** Bulk-restores `sites` sites by URL and measures each command. */
export async function measureBulkRequest(sites: number, latencyMs: number): Promise<BulkRequestResult> {
  const emulator = await startEmulator({ sites, latencyMs });
  try {
    const { SharePointRestoreSession } = require(path.join(ROOT, "dist", "provider")) as typeof import("../provider");
    const siteWebUrls = protectedSites(emulator, sites).map((s) => s.siteWebUrl);
    const stack = measuredStack({
      emulator,
      latencyMs,
      program: async () => {
        new SharePointRestoreSession("bulk", {
          bulkRestore: { siteWebUrls },
          activate: true,
          waitForCompletion: { pollIntervalSeconds: 1, timeoutMinutes: 30 },
        });
      },
    });
    emulator.journal.clear();
    const stopWatching = finishRestoreOnActivation(emulator, sites);
    const commands: CommandFigures[] = [];
    let stateBytes = 0;
    let succeeded = 0;
    let unresolved = 0;
    try {
      commands.push(await stack.run("up"));
      commands.push(await stack.run("refresh"));
      const [resource] = stack.state().resources;
      if (resource !== undefined) {
        stateBytes = resourceBytes(resource);
        const artifacts = (resource.outputs.siteRestoreArtifacts ?? []) as { status?: string }[];
        succeeded = artifacts.filter((a) => a.status === "succeeded").length;
        unresolved = (resource.outputs.bulkRequest as { error?: unknown } | undefined)?.error === undefined ? 0 : 1;
      }
      commands.push(await stack.run("destroy"));
    } finally {
      stopWatching();
    }
    const failedSteps = commands.filter((c) => c.error !== undefined).length;
    return {
      sites,
      requests: commands.reduce((sum, c) => sum + c.requests, 0),
      failed: failedSteps + (sites - succeeded) + unresolved,
      wallSeconds: round(commands.reduce((sum, c) => sum + c.wallSeconds, 0)),
      hostCpuSeconds: round(commands.reduce((sum, c) => sum + c.hostCpuMs, 0) / 1000, 3),
      stateBytes,
      succeeded,
      commands,
      peakRssMb: stack.peakRssMb(),
    };
  } finally {
    await emulator.close();
  }
}
