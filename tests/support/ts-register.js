/**
 * `node -r tests/support/ts-register.js file.ts`: runs TypeScript sources without a build, by
 * transpiling each .ts file with the project's own `typescript` (no type check). Used by tests that
 * spawn the emulator CLI from source, by the benchmarks and by the chaos run's workers. Transpiled
 * files are kept in the OS temp directory, keyed by path, size, modification time and compiler
 * version, so the many processes that load the same sources transpile each file once.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

/** The compiler, loaded on the first file not transpiled yet (it takes a while to load). */
let ts;
const typescript = () => (ts ??= require("typescript"));
const version = require("typescript/package.json").version;
const cacheDir = path.join(os.tmpdir(), "m365-backup-ts-register");

require.extensions[".ts"] = (module, filename) => {
  const stat = fs.statSync(filename);
  const key = crypto.createHash("sha1").update(`${filename}\0${stat.size}\0${stat.mtimeMs}\0${version}`).digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  let outputText;
  try {
    outputText = fs.readFileSync(cached, "utf8");
  } catch {
    const compiler = typescript();
    outputText = compiler.transpileModule(fs.readFileSync(filename, "utf8"), {
      fileName: filename,
      compilerOptions: { module: compiler.ModuleKind.CommonJS, target: compiler.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    // Written under a unique name, then renamed: concurrent processes never read half a file.
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, outputText);
    fs.renameSync(temporary, cached);
  }
  module._compile(outputText, filename);
};
