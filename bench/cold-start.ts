/**
 * Host cold start: from spawning the dynamic-provider host to its first create answered, for this
 * package (a draft session on the emulator) and for a no-op provider (the echo test fixture), run
 * alternately so both see the same machine load. Also times, each in a fresh process, the require
 * of what the engine loads at startup, which names what to load lazily when the ratio is too high.
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
  /** Milliseconds to require each module in a fresh process from the package root. */
  requireMs: Record<string, number>;
  /** Packages the engine loads when the host first requires it, with how many of their files. */
  loadedByEngine: Record<string, number>;
}

/** Modules the engine may load at startup (name -> what to require from the package root); each is timed on its own. */
const STARTUP_MODULES: Record<string, string> = {
  "pulumi-m365-backup/engine": path.join(ROOT, "dist", "provider", "engine"),
  "@azure/identity": "@azure/identity",
  "@microsoft/microsoft-graph-client": "@microsoft/microsoft-graph-client",
  zod: "zod",
  jose: "jose",
  ajv: "ajv",
};

// Requires the engine, then groups every loaded file by package (own files under "pulumi-m365-backup").
const LOADED_SCRIPT = `
require(process.argv[1]);
const counts = {};
for (const file of Object.keys(require.cache)) {
  const match = /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(file);
  const name = match ? match[1] : "pulumi-m365-backup";
  counts[name] = (counts[name] || 0) + 1;
}
process.stdout.write(JSON.stringify(counts));
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
  const requireMs = Object.fromEntries(
    Object.entries(STARTUP_MODULES).map(([name, specifier]) => [name, round(timeRequire(specifier), 1)]),
  );
  return {
    runs,
    providerMs: round(median(providerMs), 1),
    noopMs: round(median(noopMs), 1),
    ratio: round(median(providerMs) / median(noopMs)),
    requireMs,
    loadedByEngine: packagesLoadedByEngine(),
  };
}

/** Which packages (and how many of their files) requiring the engine loads, in a fresh process. */
function packagesLoadedByEngine(): Record<string, number> {
  const child = spawnSync(process.execPath, ["-e", LOADED_SCRIPT, STARTUP_MODULES["pulumi-m365-backup/engine"]], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(`requiring the engine failed: ${child.stderr.trim()}`);
  return JSON.parse(child.stdout) as Record<string, number>;
}

/** Milliseconds `require(specifier)` takes in a fresh Node process started in the package root. */
function timeRequire(specifier: string): number {
  const script = `const t = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const child = spawnSync(process.execPath, ["-e", script, specifier], { cwd: ROOT, encoding: "utf8" });
  if (child.status !== 0) throw new Error(`require(${name}) failed: ${child.stderr.trim()}`);
  return Number(child.stdout);
}
