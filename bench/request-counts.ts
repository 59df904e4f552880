/**
 * Graph requests per operation and resource kind, counted in the emulator's journal: create, diff
 * and delete through one provider host, a no-op `up` (the second of two) through the engine
 * harness, then create and activate. Each kind runs against an emulator shaped for it (kinds.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../emulator";
import { engineHarness, startHost, urnFor, type Host } from "../harness";
import { makeProgramDir, serializedProviderText } from "../tests/support/program-dir";
import { OPERATIONS, type Operation, type RequestCounts, type ResourceKind } from "./kinds";
import { emulatorConfig, hostEnv, ROOT, tally } from "./support";

/** The counts of one kind, and the operations that failed (their count is what they sent before failing). */
export interface KindCounts {
  counts: RequestCounts;
  failed: { operation: Operation; error: string }[];
}

/** True when the built package exports the kind's resource class. */
export function isBuilt(kind: ResourceKind): boolean {
  const provider = require(path.join(ROOT, "dist", "provider")) as Record<string, unknown>;
  return typeof provider[kind.resourceClass] === "function";
}

/** Runs each operation of `kind` once against `emulator` and counts the Graph requests it made. */
export async function countRequests(emulator: Emulator, kind: ResourceKind): Promise<KindCounts> {
  const programDir = makeProgramDir();
  const type = `pulumi-nodejs:dynamic/m365-backup:${kind.resourceClass}`;
  const urn = urnFor("counted", type);
  const providerText = await serializedProviderText(kind.resourceClass);
  const host = await startHost({ cwd: programDir, env: hostEnv(emulator) });
  const failed: KindCounts["failed"] = [];
  const counted = async (operation: Operation, run: () => Promise<unknown>): Promise<number> => {
    emulator.journal.clear();
    await run().catch((error: unknown) => failed.push({ operation, error: error instanceof Error ? error.message : String(error) }));
    return tally(emulator.journal.entries()).served;
  };
  try {
    await host.configure(emulatorConfig(emulator));
    const checked = async (n: number, activate: boolean) =>
      (await host.check(urn, {}, { __provider: providerText, ...kind.inputs(emulator, n, activate) })).inputs;
    const draftInputs = await checked(0, false);
    const activeInputs = await checked(1, true);

    let draft = { id: "", properties: {} as Record<string, unknown> };
    const counts = {} as RequestCounts;
    counts.create = await counted("create", async () => (draft = await host.create(urn, draftInputs)));
    counts.diff = await counted("diff", () => host.diff(draft.id, urn, draft.properties, draftInputs, draftInputs));
    counts.delete = await counted("delete", () => host.delete(draft.id, urn, draft.properties, draftInputs));
    // The active object comes last: Graph refuses any new policy of a workload once one is active.
    const stack = oneResourceStack(emulator, kind, programDir, type);
    await stack.up().catch((error: unknown) => failed.push({ operation: "noopUp", error: `the first up: ${String(error)}` }));
    counts.noopUp = await counted("noopUp", async () => {
      const second = await stack.up();
      const changed = second.changes.create + second.changes.update + second.changes.replace + second.changes.delete;
      if (changed !== 0) throw new Error(`the second up changed ${changed} resource(s); expected none`);
    });
    await stack.destroy().catch((error: unknown) => failed.push({ operation: "noopUp", error: `destroy after it: ${String(error)}` }));
    counts.createActivate = await counted("createActivate", () => host.create(urn, activeInputs));
    return { counts: orderedCounts(counts), failed };
  } finally {
    await closeQuietly(host);
  }
}

/** A stack of one resource of `kind` (inactive, on its own protected object). */
function oneResourceStack(emulator: Emulator, kind: ResourceKind, programDir: string, type: string) {
  // The program side from dist, the same code the host's `__provider` loads.
  const provider = require(path.join(ROOT, "dist", "provider")) as Record<
    string,
    new (name: string, args: Record<string, unknown>) => { urn: unknown }
  >;
  const Resource = provider[kind.resourceClass]!;
  const inputs = kind.inputs(emulator, 2, false);
  return engineHarness({
    projectName: "bench",
    stackName: "noop",
    program: async () => {
      new Resource("noop", inputs);
    },
    config: emulatorConfig(emulator),
    statePath: path.join(fs.mkdtempSync(path.join(os.tmpdir(), `m365-bench-noop-${type.split(":").pop()}-`)), "state.json"),
    workDir: programDir,
    env: hostEnv(emulator),
  });
}

function orderedCounts(counts: RequestCounts): RequestCounts {
  return Object.fromEntries(OPERATIONS.map((op) => [op, counts[op]])) as RequestCounts;
}

async function closeQuietly(host: Host): Promise<void> {
  await host.close().catch(() => undefined);
}
