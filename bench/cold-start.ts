/**
 * Host cold start: from spawning the dynamic-provider host to its first create answered, for this
 * package (a draft session on the emulator) and for a no-op provider (the echo test fixture), run
 * alternately so both see the same machine load. Also lists and times, each in a fresh process, what
 * a first restore session loads, which names what to load lazily when the ratio is too high.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { startHost, urnFor } from "../harness";
import type { Emulator } from "../emulator";
import { echoProviderDir, makeProgramDir, serializedEchoProviderText, serializedProviderText } from "../tests/support/program-dir";
import { emulatorConfig, hostEnv, median, restorePointIds, ROOT, round } from "./support";

/** Medians in milliseconds, their ratio, and startup require times. */
export interface ColdStartResult {
  runs: number;
  providerMs: number;
  noopMs: number;
  ratio: number;
  /**
   * Milliseconds to load, each in a fresh process from the package root: every package a first
   * SharePoint restore session loads, and `pulumi-m365-backup/engine` itself with that kind built.
   */
  requireMs: Record<string, number>;
  /** Packages a first SharePoint restore session loads in the host (the engine and its kind), with how many of their files. */
  loadedByEngine: Record<string, number>;
}

/** The engine as the serialized providers require it. */
const ENGINE = path.join(ROOT, "dist", "provider", "engine");

// Requires the engine and runs a SharePoint restore session's check (which builds the kind, as a
// first create does), then groups every loaded file by package (own files under "pulumi-m365-backup").
const LOADED_SCRIPT = `
const started = process.hrtime.bigint();
const engine = require(process.argv[1]);
Promise.resolve(engine.sharePoint.check({}, { siteRestoreArtifacts: [{ restorePointId: "rp" }] })).then(() => {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const counts = {};
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(file);
    const name = match ? match[1] : "pulumi-m365-backup";
    counts[name] = (counts[name] || 0) + 1;
  }
  process.stdout.write(JSON.stringify({ ms, counts }));
});
`;

/** One host: spawn, configure, check, create; returns the milliseconds until create was answered. */
async function timeFirstCreate(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  config: Record<string, string>;
  urn: string;
  inputs: Record<string, unknown>;
}): Promise<number> {
  const started = performance.now();
  const host = await startHost({ cwd: options.cwd, env: options.env });
  try {
    await host.configure(options.config);
    const checked = await host.check(options.urn, {}, options.inputs);
    await host.create(options.urn, checked.inputs);
    return performance.now() - started;
  } finally {
    await host.close();
  }
}

/** Runs `runs` cold starts of each host, alternating, and times the startup requires. */
export async function measureColdStart(emulator: Emulator, runs: number): Promise<ColdStartResult> {
  const programDir = makeProgramDir({ "echo-provider": echoProviderDir });
  const echoStore = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "m365-bench-echo-")), "store.json");
  const [restorePointId] = restorePointIds(emulator, 1);
  const provider = {
    cwd: programDir,
    env: hostEnv(emulator),
    config: emulatorConfig(emulator),
    urn: urnFor("cold"),
    inputs: {
      __provider: await serializedProviderText(),
      siteRestoreArtifacts: [{ restorePointId }],
      destinationType: "new",
      activate: false,
    },
  };
  const noop = {
    cwd: programDir,
    env: hostEnv(emulator, { ECHO_STORE: echoStore }),
    config: {},
    urn: urnFor("cold", "pulumi-nodejs:dynamic/echo:Echo"),
    inputs: { __provider: await serializedEchoProviderText(), label: "cold" },
  };
  // One unmeasured start of each warms the file cache, as any earlier run on the machine would.
  await timeFirstCreate(provider);
  await timeFirstCreate(noop);
  const providerMs: number[] = [];
  const noopMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    providerMs.push(await timeFirstCreate(provider));
    noopMs.push(await timeFirstCreate(noop));
  }
  const loaded = loadedByFirstKind();
  const requireMs: Record<string, number> = { "pulumi-m365-backup/engine": round(loaded.ms, 1) };
  for (const name of Object.keys(loaded.counts).filter((n) => n !== "pulumi-m365-backup")) requireMs[name] = round(timeRequire(name), 1);
  return {
    runs,
    providerMs: round(median(providerMs), 1),
    noopMs: round(median(noopMs), 1),
    ratio: round(median(providerMs) / median(noopMs)),
    requireMs,
    loadedByEngine: loaded.counts,
  };
}

/** What requiring the engine and building its first kind loads, and how long it takes, in a fresh process. */
function loadedByFirstKind(): { ms: number; counts: Record<string, number> } {
  const child = spawnSync(process.execPath, ["-e", LOADED_SCRIPT, ENGINE], { cwd: ROOT, encoding: "utf8" });
  if (child.status !== 0) throw new Error(`requiring the engine failed: ${child.stderr.trim()}`);
  return JSON.parse(child.stdout) as { ms: number; counts: Record<string, number> };
}

/** Milliseconds `require(specifier)` takes in a fresh Node process started in the package root. */
function timeRequire(specifier: string): number {
  const script = `const t = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const child = spawnSync(process.execPath, ["-e", script, specifier], { cwd: ROOT, encoding: "utf8" });
  if (child.status !== 0) throw new Error(`require(${specifier}) failed: ${child.stderr.trim()}`);
  return Number(child.stdout);
}
