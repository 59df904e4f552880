/**
 * Policy packs served as the CLI serves them: the pack's files copied into a fresh directory whose
 * node_modules links `@pulumi/policy`, `@pulumi/pulumi` and this package (as a pack author installs
 * them), then `run-policy-pack` started there through the harness's Analyzer client.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startPolicyPack, type PolicyConfig, type PolicyPackHost } from "../../harness";
import { makeProgramDir, repoRoot } from "./program-dir";

/** The pack's own files (no node_modules), copied into a program directory. */
function packDir(source: string): string {
  const dir = makeProgramDir({ "@pulumi/policy": path.join(repoRoot, "node_modules", "@pulumi", "policy") });
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    if (entry.isFile() && entry.name !== "package-lock.json") fs.copyFileSync(path.join(source, entry.name), path.join(dir, entry.name));
  }
  return dir;
}

/** A served pack and the directory it runs in (`close` stops it and removes the directory). */
export interface ServedPack {
  pack: PolicyPackHost;
  dir: string;
  close(): Promise<void>;
}

/** Serves the pack in `source` with its policies' config and the environment the CLI would give it. */
export async function servePack(
  source: string,
  options: { config?: Record<string, PolicyConfig>; env?: NodeJS.ProcessEnv } = {},
): Promise<ServedPack> {
  const dir = packDir(source);
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const pack = await startPolicyPack({ cwd: dir, env: options.env ?? process.env, config: options.config ?? {} }).catch(
    (error: unknown) => {
      remove();
      throw error;
    },
  );
  return { pack, dir, close: async () => (await pack.close(), remove()) };
}
