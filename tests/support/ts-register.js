/**
 * `node -r tests/support/ts-register.js file.ts`: runs TypeScript sources without a build, by
 * transpiling each .ts file with the project's own `typescript` (no type check). Used by tests that
 * spawn the emulator CLI from source.
 */
"use strict";
const fs = require("node:fs");
const ts = require("typescript");

require.extensions[".ts"] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
