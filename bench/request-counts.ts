/**
 * Graph requests per operation, counted in the emulator's journal, against the fewest the API
 * allows: create in draft 1, create and activate 2, read 1 plus the artifact pages, diff 0,
 * delete 1, and a no-op `up` 0 writes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineHarness, startHost, urnFor, type Host } from "../harness";
import type { Emulator } from "../emulator";
import { makeProgramDir, serializedProviderText } from "../tests/support/program-dir";
import { emulatorConfig, hostEnv, restorePointIds, ROOT, tally } from "./support";

/** Operations measured, each a request count. */
export interface RequestCounts {
  create: number;
  createActivate: number;
  read: number;
  diff: number;
  delete: number;
  /** Writes (POST, PATCH, PUT, DELETE) during an `up` with nothing to change. */
  noopUp: number;
}

/** The emulator's artifact page size when the client sets no `$top`. */
const ARTIFACT_PAGE_SIZE = 100;

/** The fewest requests the API allows for each operation; read is for a one-site session (one artifact page). */
export const MINIMUM_REQUESTS: RequestCounts = {
  create: 1,
  createActivate: 2,
  read: 1 + Math.ceil(1 / ARTIFACT_PAGE_SIZE),
  diff: 0,
  delete: 1,
  noopUp: 0,
};

/** The counts, and the operations that failed (their count is what they sent before failing). */
export interface RequestCountResult {
  counts: RequestCounts;
  failed: { operation: keyof RequestCounts; error: string }[];
}

/** Runs each operation once against `emulator` and counts the Graph requests it made. */
export async function countRequests(emulator: Emulator): Promise<RequestCountResult> {
  const [draftPoint, activatedPoint, stackPoint] = restorePointIds(emulator, 3);
  const programDir = makeProgramDir();
  const host = await startHost({ cwd: programDir, env: hostEnv(emulator) });
  try {
    await host.configure(emulatorConfig(emulator));
    const providerText = await serializedProviderText();
    const inputsFor = (restorePointId: string, activate: boolean) =>
      host
        .check(
          urnFor("counted"),
          {},
          { __provider: providerText, siteRestoreArtifacts: [{ restorePointId }], destinationType: "new", activate },
        )
        .then((checked) => checked.inputs);

    const draftInputs = await inputsFor(draftPoint, false);
    const activatedInputs = await inputsFor(activatedPoint, true);
    const urn = urnFor("counted");
    const failed: RequestCountResult["failed"] = [];
    const counted = async (
      name: keyof RequestCounts,
      operation: () => Promise<unknown>,
      count = () => tally(emulator.journal.entries()).served,
    ) => {
      emulator.journal.clear();
      await operation().catch((error: unknown) =>
        failed.push({ operation: name, error: error instanceof Error ? error.message : String(error) }),
      );
      return count();
    };

    let draft = { id: "", properties: {} as Record<string, unknown> };
    const counts: RequestCounts = {
      create: await counted("create", async () => (draft = await host.create(urn, draftInputs))),
      createActivate: await counted("createActivate", () => host.create(urn, activatedInputs)),
      read: await counted("read", () => host.read(draft.id, urn, draft.properties, draftInputs)),
      diff: await counted("diff", () => host.diff(draft.id, urn, draft.properties, draftInputs, draftInputs)),
      delete: await counted("delete", () => host.delete(draft.id, urn, draft.properties, draftInputs)),
      noopUp: 0,
    };
    const stack = oneSessionStack(emulator, programDir, stackPoint);
    counts.noopUp = await counted(
      "noopUp",
      () => upTwice(emulator, stack),
      () => tally(emulator.journal.entries()).writes,
    );
    await stack.destroy().catch((error: unknown) => failed.push({ operation: "noopUp", error: `destroy after it: ${String(error)}` }));
    return { counts, failed };
  } finally {
    await closeQuietly(host);
  }
}

/** A stack of one draft session. */
function oneSessionStack(emulator: Emulator, programDir: string, restorePointId: string) {
  // The program side from dist, the same code the host's `__provider` loads.

  const { SharePointRestoreSession } = require(path.join(ROOT, "dist", "provider")) as typeof import("../provider");
  return engineHarness({
    projectName: "bench",
    stackName: "noop",
    program: async () => {
      new SharePointRestoreSession("noop", { siteRestoreArtifacts: [{ restorePointId }], destinationType: "new", activate: false });
    },
    config: emulatorConfig(emulator),
    statePath: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "m365-bench-noop-")), "state.json"),
    workDir: programDir,
    env: hostEnv(emulator),
  });
}

/** Runs `up` twice; the journal then holds only the second's requests, which must change nothing. */
async function upTwice(emulator: Emulator, stack: ReturnType<typeof oneSessionStack>): Promise<void> {
  await stack.up();
  emulator.journal.clear();
  const second = await stack.up();
  const changed = second.changes.create + second.changes.update + second.changes.replace + second.changes.delete;
  if (changed !== 0) throw new Error(`the second up changed ${changed} resource(s); expected none`);
}

async function closeQuietly(host: Host): Promise<void> {
  await host.close().catch(() => undefined);
}
