#!/usr/bin/env node
/**
 * `npm test` entry (after `npm run build`): makes the test CA once with the emulator's own
 * dist/emulator/tls.js, then starts jest with NODE_EXTRA_CA_CERTS pointing at it. Node reads that
 * variable only at process start, so it must be set before jest (and its workers) start.
 */
"use strict";
const { existsSync } = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");

const root = path.resolve(__dirname, "../..");
const caDir = path.join(root, ".test-ca");
const certPath = path.join(caDir, "cert.pem");
const keyPath = path.join(caDir, "key.pem");

async function main() {
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    const { writeCertificate } = require(path.join(root, "dist", "emulator", "tls.js"));
    await writeCertificate(caDir);
  }
  const jest = spawn(process.execPath, [path.join(root, "node_modules", "jest", "bin", "jest.js"), ...process.argv.slice(2)], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath },
  });
  jest.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
