#!/usr/bin/env node
/**
 * `m365-backup-emulator`: runs the emulator until SIGINT/SIGTERM and prints what a client needs
 * (URL, CA path, tenant, demo app and token), and the `export` lines the finder CLI and the
 * provider read from the environment.
 */
import { parseArgs } from "node:util";
import { parseFaultRule } from "./faults";
import { startEmulator, type EmulatorOptions } from "./index";

const USAGE = `Usage: m365-backup-emulator [--port N] [--host H] [--state file.json] [--speed X] [--sites N]
       [--latency MS] [--fault '<json FaultRule>']... [--cert cert.pem --key key.pem]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      state: { type: "string" },
      speed: { type: "string" },
      sites: { type: "string" },
      latency: { type: "string" },
      fault: { type: "string", multiple: true },
      cert: { type: "string" },
      key: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if ((values.cert === undefined) !== (values.key === undefined)) throw new Error("--cert and --key go together");
  const options: EmulatorOptions = {
    host: values.host,
    port: optionalNumber(values.port, "--port"),
    statePath: values.state,
    speed: optionalNumber(values.speed, "--speed"),
    sites: optionalNumber(values.sites, "--sites"),
    latencyMs: optionalNumber(values.latency, "--latency"),
    tls: values.cert && values.key ? { certPath: values.cert, keyPath: values.key } : undefined,
  };
  const faults = (values.fault ?? []).map(parseFaultRule);
  const emulator = await startEmulator(options);
  for (const rule of faults) emulator.faults.add(rule);
  console.log(`Graph emulator listening on ${emulator.url}`);
  console.log(`URL:            ${emulator.url}`);
  console.log(`CA certificate: ${emulator.caPath}   (export NODE_EXTRA_CA_CERTS=${emulator.caPath})`);
  console.log(`Tenant id:      ${emulator.tenantId}`);
  console.log(`Demo client id: ${emulator.demoApp.clientId}`);
  console.log(`Demo secret:    ${emulator.demoApp.clientSecret}   (a fixed demo value, not a real secret)`);
  console.log(`Access token:   ${emulator.accessToken}`);
  // The variables the finder CLI (`m365-backup`) and the provider read, ready to paste into another shell.
  console.log(`\nTo use it from another shell (m365-backup, pulumi up), export:`);
  console.log(`export NODE_EXTRA_CA_CERTS=${emulator.caPath}`);
  console.log(`export M365_BACKUP_GRAPH_ENDPOINT=${emulator.url}`);
  console.log(`export M365_BACKUP_ACCESS_TOKEN=${emulator.accessToken}`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function optionalNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number, got '${value}'`);
  return n;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(2);
});
