/**
 * The TypeScript blocks of Markdown pages, compiled as a consumer compiles them: each block is its
 * own module in a project whose node_modules links this package (its built declarations), Pulumi
 * and the policy SDK; every diagnostic is reported at the page's own file and line.
 *
 * A block fenced ```` ```ts ```` (or `typescript`) is a complete module. A block fenced
 * ```` ```ts snippet ```` is an intentional fragment: it is compiled as the body of an async function
 * with `pulumi` and every export of the package in scope, so it may use them without imports and may
 * `await`; anything else it names must still exist. Other flags are refused, so that a typo cannot
 * skip a block.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/** One TypeScript block of a page. */
export interface Snippet {
  /** The page, relative to the repository root. */
  file: string;
  /** The page's line of the block's first code line (1-based). */
  line: number;
  code: string;
  /** Marked `snippet`: compiled inside a function, with the package's exports in scope. */
  partial: boolean;
}

const LANGUAGES = new Set(["ts", "typescript"]);
const FLAGS = new Set(["snippet"]);

/** The TypeScript blocks of one page; throws on an unknown flag or an unclosed fence. */
export function extractSnippets(file: string, text: string): Snippet[] {
  const lines = text.split("\n");
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const close = lines.findIndex((line, j) => j > i && line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, "") === "");
    if (close < 0) throw new Error(`${file}:${i + 1}: the code block opened here is never closed`);
    const [language = "", ...flags] = info.trim().split(/\s+/);
    if (LANGUAGES.has(language.toLowerCase())) {
      const unknown = flags.filter((flag) => !FLAGS.has(flag));
      if (unknown.length > 0)
        throw new Error(`${file}:${i + 1}: unknown code block flag(s) ${unknown.join(", ")} (known: ${[...FLAGS].join(", ")})`);
      const code = lines
        .slice(i + 1, close)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join("\n");
      snippets.push({ file, line: i + 2, code, partial: flags.includes("snippet") });
    }
    i = close;
  }
  return snippets;
}

/** README.md and every page under docs/ but the generated API reference and the research notes. */
export function documentationPages(root: string): string[] {
  const docs = path.join(root, "docs");
  const pages = (fs.readdirSync(docs, { recursive: true }) as string[])
    .filter((name) => name.endsWith(".md"))
    .map((name) => path.join("docs", name))
    .filter((page) => !page.startsWith(path.join("docs", "api") + path.sep) && !page.startsWith(path.join("docs", "research") + path.sep))
    .sort();
  return ["README.md", ...pages];
}

/** A fragment's scope: Pulumi and the package's exports, and an async function to run in. */
function prelude(exportNames: readonly string[]): string[] {
  return [
    `import * as pulumi from "@pulumi/pulumi";`,
    `import { ${exportNames.join(", ")} } from "pulumi-m365-backup";`,
    `export async function snippet(): Promise<void> {`,
  ];
}

/** The module text of a block, and how many lines come before its code. */
function moduleOf(snippet: Snippet, exportNames: readonly string[]): { text: string; offset: number } {
  if (!snippet.partial) return { text: `${snippet.code}\nexport {};\n`, offset: 0 };
  const head = prelude(exportNames);
  return { text: [...head, snippet.code, "}", ""].join("\n"), offset: head.length };
}

/**
 * Type-checks the blocks in `projectDir` (a directory whose node_modules holds the package) with
 * `compilerOptions`, and returns every diagnostic as `<page>:<line>: error TS<code>: <message>`.
 */
export function typeCheckSnippets(
  projectDir: string,
  snippets: readonly Snippet[],
  exportNames: readonly string[],
  compilerOptions: ts.CompilerOptions,
): string[] {
  const modules = snippets.map((snippet, index) => {
    const name = path.join(projectDir, `snippet-${index}.ts`);
    const { text, offset } = moduleOf(snippet, exportNames);
    fs.writeFileSync(name, text);
    return { name, offset, snippet };
  });
  const program = ts.createProgram(
    modules.map((m) => m.name),
    { ...compilerOptions, noEmit: true },
  );
  // @pulumi/policy 1.21's own index.d.ts names members its proxy.d.ts does not declare: without
  // skipLibCheck every consumer sees that, whatever the page says, so it is not the page's error.
  const foreign = (diagnostic: ts.Diagnostic) =>
    diagnostic.file !== undefined && /node_modules[\\/]@pulumi[\\/]policy[\\/]/.test(diagnostic.file.fileName);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => !foreign(diagnostic))
    .map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      const module = modules.find((m) => diagnostic.file !== undefined && path.resolve(diagnostic.file.fileName) === path.resolve(m.name));
      if (module === undefined || diagnostic.file === undefined || diagnostic.start === undefined) {
        return `${diagnostic.file?.fileName ?? "(project)"}: error TS${diagnostic.code}: ${message}`;
      }
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      return `${module.snippet.file}:${module.snippet.line + line - module.offset}: error TS${diagnostic.code}: ${message}`;
    });
}
