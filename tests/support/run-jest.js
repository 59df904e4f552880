#!/usr/bin/env node
/**
 * `npm test` entry (after `npm run build`): makes the test CA once with the emulator's own
 * dist/emulator/tls.js, then starts jest with NODE_EXTRA_CA_CERTS pointing at it. Node reads that
 * variable only at process start, so it must be set before jest (and its workers) start.
 */
"use strict";
const { existsSync, readFileSync, rmSync } = require("node:fs");
const os = require("node:os");
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
  // jest's JSON report gives the plain "N passed, N failed" closing line that CI reads.
  const report = path.join(os.tmpdir(), `m365-backup-jest-${process.pid}.json`);
  const args = [path.join(root, "node_modules", "jest", "bin", "jest.js"), "--json", `--outputFile=${report}`, ...process.argv.slice(2)];
  const jest = spawn(process.execPath, args, {
    cwd: root,
    stdio: ["inherit", "ignore", "inherit"],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath },
  });
  jest.on("exit", (code, signal) => {
    if (existsSync(report)) {
      const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(report, "utf8"));
      rmSync(report, { force: true });
      console.log(`jest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped`);
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
