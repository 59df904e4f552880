/**
 * The package as a consumer gets it: packed with `npm pack`, installed from the tarball into a fresh
 * project, and probed from that project in child processes, so that every `require` resolves from
 * the project's own node_modules (its own `@pulumi/pulumi` included) and never from this repository.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { repoRoot } from "./program-dir";

/** The tarball `npm pack` wrote and the paths it holds, relative to the package root. */
export interface PackedPackage {
  tarball: string;
  files: string[];
}

/** What a type-check printed and how it exited. */
export interface TypeCheckResult {
  status: number | null;
  output: string;
}

// `npm test` runs jest under npm, which exports npm_* variables for this repo, among them
// npm_config_local_prefix: a nested npm would install into this repo instead of the temp project.
function npmEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")));
}

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, env: npmEnvironment(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * Packs this repository into `destination` without lifecycle scripts, so dist/ must already be
 * built (`npm test` builds it before jest starts).
 */
export function packPackage(destination: string): PackedPackage {
  const engineEntry = path.join(repoRoot, "dist", "provider", "engine", "index.js");
  if (!fs.existsSync(engineEntry)) throw new Error(`${engineEntry} is missing: run \`npm run build\` before the pack test`);
  const [report] = JSON.parse(npm(["pack", "--ignore-scripts", "--pack-destination", destination, "--json"], repoRoot)) as {
    filename: string;
    files: { path: string }[];
  }[];
  return { tarball: path.join(destination, report.filename), files: report.files.map((file) => file.path) };
}

/** Makes `projectDir` a fresh private project and installs the tarball into it, from the npm cache where it can. */
export function installTarball(tarball: string, projectDir: string): void {
  fs.mkdirSync(projectDir, { recursive: true });
  fs.writeFileSync(path.join(projectDir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }, null, 2));
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], projectDir);
}

/** Runs a CommonJS script with `node -e` in `projectDir` (so `require` resolves from there) and returns its stdout. */
export function runInProject(projectDir: string, script: string, args: string[] = []): string {
  return execFileSync(process.execPath, ["-e", script, ...args], { cwd: projectDir, encoding: "utf8" });
}

// setMocks is process-global and must be the same @pulumi/pulumi instance the installed package
// loads, which is the project's hoisted copy; the script prints the __provider input of the
// resource class named in argv (constructed without arguments: check, not the class, validates).
const SERIALIZE_SCRIPT = `
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({
  newResource(args) {
    let text = args.inputs.__provider;
    if (text && typeof text === "object") text = text.value;
    process.stdout.write(JSON.stringify({ provider: text }));
    return { id: "probe-id", state: args.inputs };
  },
  call() { return {}; },
}, "project", "stack", false);
const Resource = require("pulumi-m365-backup")[process.argv[1]];
new Resource("probe", {});
`;

/** The `__provider` text that the package installed in `projectDir` produces for one resource class (default SharePointRestoreSession). */
export function installedProviderText(projectDir: string, resource = "SharePointRestoreSession"): string {
  const stdout = runInProject(projectDir, SERIALIZE_SCRIPT, [resource]);
  const text = (JSON.parse(stdout) as { provider?: unknown }).provider;
  if (typeof text !== "string") throw new Error(`the installed ${resource} produced no __provider text: ${stdout}`);
  return text;
}

/** The names a declaration file exports (types and values), sorted, as the TypeScript checker sees them. */
export function declaredExports(declarationFile: string): string[] {
  const program = ts.createProgram([declarationFile], { noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(declarationFile)!);
  if (module === undefined) throw new Error(`${declarationFile} is not a module`);
  return checker
    .getExportsOfModule(module)
    .map((symbol) => symbol.name)
    .sort();
}

/**
 * Writes `files` (name -> source) and a tsconfig.json with `compilerOptions` into `projectDir` and
 * runs this repository's TypeScript compiler on them with `--noEmit`.
 */
export function typeCheckInProject(
  projectDir: string,
  files: Record<string, string>,
  compilerOptions: Record<string, unknown>,
): TypeCheckResult {
  for (const [name, source] of Object.entries(files)) fs.writeFileSync(path.join(projectDir, name), source);
  const tsconfig = { compilerOptions: { ...compilerOptions, noEmit: true }, files: Object.keys(files) };
  fs.writeFileSync(path.join(projectDir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: projectDir, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
