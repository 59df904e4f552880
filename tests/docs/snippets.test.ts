/**
 * Docs cannot rot: every TypeScript block of README.md and docs/ (not the generated API reference,
 * not the research notes) compiles against the built package as a consumer compiles it, strict and
 * with the tsconfig `pulumi new typescript` writes; a failure names the page and its line. The
 * settings table is the package's own list of environment fallbacks, and every relative link lands
 * on a file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { declaredExports } from "../support/pack";
import { documentationPages, extractSnippets, typeCheckSnippets, type Snippet } from "../support/doc-snippets";
import { makeProgramDir, repoRoot } from "../support/program-dir";

const { ENVIRONMENT_FALLBACKS } = require(path.join(repoRoot, "dist", "provider")) as typeof import("../../provider");

const PAGES = documentationPages(repoRoot);
const read = (page: string) => fs.readFileSync(path.join(repoRoot, page), "utf8");
const SNIPPETS: Snippet[] = PAGES.flatMap((page) => extractSnippets(page, read(page)));
const EXPORTS = declaredExports(path.join(repoRoot, "dist", "provider", "index.d.ts"));

/** A consumer of this package with strict settings, as this repository compiles. */
const STRICT: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  types: ["node"],
  skipLibCheck: true,
};
/** The tsconfig.json of `pulumi new typescript`: no skipLibCheck, no esModuleInterop. */
const PULUMI_DEFAULT: ts.CompilerOptions = {
  strict: true,
  outDir: "bin",
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  sourceMap: true,
  experimentalDecorators: true,
  pretty: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
};

let projectDir: string;
beforeAll(() => {
  projectDir = makeProgramDir({
    "@pulumi/policy": path.join(repoRoot, "node_modules", "@pulumi", "policy"),
    "@types/node": path.join(repoRoot, "node_modules", "@types", "node"),
  });
});
afterAll(() => fs.rmSync(projectDir, { recursive: true, force: true }));

describe("the documentation's TypeScript", () => {
  it("has an example on the overview, the README and every resource and function page", () => {
    const withCode = new Set(SNIPPETS.map((s) => s.file));
    const pages = PAGES.filter(
      (page) => page === "README.md" || page === path.join("docs", "_index.md") || /^docs\/(resources|functions)\/(?!_index)/.test(page),
    );
    expect(pages.length).toBeGreaterThanOrEqual(1 + 1 + 8 + 5);
    expect(pages.filter((page) => !withCode.has(page))).toEqual([]);
  });

  it.each([
    ["strict", STRICT],
    ["Pulumi's default tsconfig", PULUMI_DEFAULT],
  ])("every block type-checks against the package (%s)", (_name, options) => {
    expect(typeCheckSnippets(projectDir, SNIPPETS, EXPORTS, options)).toEqual([]);
  });

  it("few blocks are fragments, each marked `ts snippet`", () => {
    expect(SNIPPETS.filter((s) => s.partial).map((s) => `${s.file}:${s.line}`).length).toBeLessThanOrEqual(3);
  });
});

describe("the snippet checker itself", () => {
  const page = [
    "# A page",
    "",
    "```ts",
    'import { SharePointRestoreSession } from "pulumi-m365-backup";',
    'new SharePointRestoreSession("x", { destinationType: "sideways" });',
    "```",
    "",
    "- a list item:",
    "  ```ts snippet",
    '  const session = new SharePointRestoreSession("y", {});',
    "  const n: number = session.urn;",
    "  ```",
    "",
    "```sh",
    "echo not checked",
    "```",
  ].join("\n");

  it("reports a broken block at the page's own file and line, fragments included", () => {
    const snippets = extractSnippets("docs/broken.md", page);
    expect(snippets.map((s) => [s.line, s.partial])).toEqual([
      [4, false],
      [10, true],
    ]);
    const errors = typeCheckSnippets(projectDir, snippets, EXPORTS, STRICT);
    expect(errors.map((e) => e.slice(0, e.indexOf(": error")))).toEqual(["docs/broken.md:5", "docs/broken.md:11"]);
    expect(errors[0]).toContain(`'"sideways"'`);
  });

  it("refuses an unknown flag instead of skipping the block", () => {
    expect(() => extractSnippets("docs/typo.md", "```ts snipet\nconst a = 1;\n```\n")).toThrow(
      "docs/typo.md:1: unknown code block flag(s) snipet",
    );
  });
});

describe("the rest of the pages", () => {
  it("the settings table lists exactly the package's keys and environment variables, in order", () => {
    const text = read(path.join("docs", "installation-configuration.md"));
    const start = text.indexOf("| Key | Environment variables |");
    const table = text.slice(start, text.indexOf("\n\n", start));
    const rows = [...table.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map(([, key, variables]) => [
      key,
      variables!.includes("config only") ? [] : [...variables!.matchAll(/`(\w+)`/g)].map((m) => m[1]),
    ]);
    expect(Object.fromEntries(rows)).toEqual(ENVIRONMENT_FALLBACKS);
    expect(rows.map(([key]) => key)).toEqual(Object.keys(ENVIRONMENT_FALLBACKS));
  });

  it("every relative link lands on a file of the repository", () => {
    const broken = PAGES.flatMap((page) =>
      [...read(page).matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1]!)
        .filter((target) => !/^(https?:|mailto:|#)/.test(target))
        .filter((target) => !fs.existsSync(path.resolve(repoRoot, path.dirname(page), target.split("#")[0]!)))
        .map((target) => `${page}: ${target}`),
    );
    expect(broken).toEqual([]);
  });
});
