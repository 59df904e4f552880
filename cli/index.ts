#!/usr/bin/env node
/** `m365-backup`: the finder CLI (see docs/cli.md). */
import { run } from "./program";

void run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
