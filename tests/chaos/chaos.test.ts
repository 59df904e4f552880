/**
 * The short mode of `npm run chaos`: the seeds in chaos/regressions.json, each a walk that once broke
 * an invariant, replayed exactly (same seed, same steps) through the CLI, which runs them on worker
 * processes. Every walk must hold every invariant.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { regressions } from "../../chaos/run";
import { repoRoot } from "../support/program-dir";

/** A guard against a hung run; a healthy one takes about 40 s on 2 cores. */
jest.setTimeout(300_000);

/** Walks sleep through most of their retries, so more walks than cores run at once; longest first (run.ts). */
const WORKERS = 6;

test("every recorded regression seed holds every invariant again", async () => {
  const recorded = regressions();
  expect(recorded.length).toBeGreaterThan(0);
  const run = spawn(
    process.execPath,
    [
      "-r",
      path.join(repoRoot, "tests", "support", "ts-register.js"),
      path.join(repoRoot, "chaos", "run.ts"),
      "--regressions",
      "--workers",
      String(Math.min(recorded.length, WORKERS)),
    ],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  run.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  run.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => run.on("close", resolve));
  const verdicts = stdout.split("\n").filter((line) => /^\[\d+\/\d+\] seed /.test(line));
  expect(verdicts.map((line) => line.replace(/^\[\d+\/\d+\] /, "").replace(/: .*, (ok|VIOLATION.*)$/, ": $1")).sort()).toEqual(
    recorded.map((r) => `seed ${r.seed}: ok`).sort(),
  );
  for (const { seed, steps } of recorded) expect(verdicts.find((line) => line.includes(`seed ${seed}:`))).toContain(`: ${steps} steps,`);
  expect({ code, stderr: stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
});
