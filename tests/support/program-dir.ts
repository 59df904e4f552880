/**
 * Program directories with the package installed the way a consumer has it (linked), and the
 * `__provider` text the program side produces.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The repository root, which is the pulumi-m365-backup package. */
export const repoRoot = path.resolve(__dirname, "..", "..");

/** The test-only echo provider package (program side `index.js`, engine side `engine.js`). */
export const echoProviderDir = path.join(__dirname, "fixtures", "echo-provider");

/**
 * Makes a fresh temp dir with package.json and node_modules links to this package, to
 * `@pulumi/pulumi` (which a consumer installs beside it and from which the engine starts the host)
 * and to any `extraPackages` (name -> directory).
 */
export function makeProgramDir(extraPackages: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-program-"));
  const links: Record<string, string> = {
    "pulumi-m365-backup": repoRoot,
    "@pulumi/pulumi": path.join(repoRoot, "node_modules", "@pulumi", "pulumi"),
    ...extraPackages,
  };
  const dependencies = Object.fromEntries(Object.entries(links).map(([name, target]) => [name, `link:${target}`]));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "program", private: true, dependencies }, null, 2));
  for (const [name, target] of Object.entries(links)) {
    const linkPath = path.join(dir, "node_modules", name);
    fs.mkdirSync(path.dirname(linkPath), { recursive: true });
    fs.symlinkSync(target, linkPath, "dir");
  }
  return dir;
}

// A child process, because setMocks is process-global; the script prints the __provider input.
const SERIALIZE_SCRIPT = `
const pulumi = require("@pulumi/pulumi");
const [modulePath, exportName, argsJson] = process.argv.slice(1);
pulumi.runtime.setMocks({
  newResource(args) {
    let text = args.inputs.__provider;
    if (text && typeof text === "object") text = text.value;
    process.stdout.write(JSON.stringify({ provider: text }));
    return { id: "probe-id", state: args.inputs };
  },
  call() { return {}; },
}, "project", "stack", false);
const Resource = require(modulePath)[exportName];
new Resource("probe", JSON.parse(argsJson));
`;

function serializeInChild(modulePath: string, exportName: string, args: Record<string, unknown>): string {
  const stdout = execFileSync(process.execPath, ["-e", SERIALIZE_SCRIPT, modulePath, exportName, JSON.stringify(args)], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  const text = (JSON.parse(stdout) as { provider?: unknown }).provider;
  if (typeof text !== "string") throw new Error(`${exportName} produced no __provider text: ${stdout}`);
  return text;
}

const cache = new Map<string, string>();

function cached(key: string, make: () => string): Promise<string> {
  if (!cache.has(key)) cache.set(key, make());
  return Promise.resolve(cache.get(key)!);
}

/** The `__provider` text of a resource class of dist/provider (run `npm run build` first); cached per test file. */
export function serializedProviderText(resource = "SharePointRestoreSession"): Promise<string> {
  return cached(resource, () => serializeInChild(path.join(repoRoot, "dist", "provider"), resource, {}));
}

/** The `__provider` text of any resource of this package (its export name and arguments that construct it); cached per test file. */
export function serializedResourceProviderText(exportName: string, args: Record<string, unknown>): Promise<string> {
  return cached(`m365:${exportName}`, () => serializeInChild(path.join(repoRoot, "dist", "provider"), exportName, args));
}

/** The `__provider` text of the echo fixture's resource; cached per test file. */
export function serializedEchoProviderText(): Promise<string> {
  return cached("echo", () => serializeInChild(echoProviderDir, "Echo", { label: "probe" }));
}
