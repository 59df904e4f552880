#!/usr/bin/env node
/**
 * `m365-backup-emulator`: runs the emulator until SIGINT/SIGTERM and prints what a client needs
 * (URL, CA path, tenant, demo app and token).
 */
import { parseArgs } from "node:util";
import { parseFaultRule } from "./faults";
import { startEmulator, type EmulatorOptions } from "./index";

const USAGE = `Usage: m365-backup-emulator [--port N] [--host H] [--state file.json] [--speed X] [--sites N]
       [--users N] [--mailboxes N] [--no-seed-policies]
       [--latency MS] [--fault '<json FaultRule>']... [--cert cert.pem --key key.pem]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      state: { type: "string" },
      speed: { type: "string" },
      sites: { type: "string" },
      users: { type: "string" },
      mailboxes: { type: "string" },
      "no-seed-policies": { type: "boolean" },
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
    users: optionalNumber(values.users, "--users"),
    mailboxes: optionalNumber(values.mailboxes, "--mailboxes"),
    seedPolicies: values["no-seed-policies"] ? false : undefined,
    latencyMs: optionalNumber(values.latency, "--latency"),
    tls: values.cert && values.key ? { certPath: values.cert, keyPath: values.key } : undefined,
  };
  const faults = (values.fault ?? []).map(parseFaultRule);
  const emulator = await startEmulator(options);
  for (const rule of faults) emulator.faults.add(rule);
  // Handlers first: whoever reads the output may stop the emulator as soon as the last line is out.
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  console.log(`Graph emulator listening on ${emulator.url}`);
  console.log(`URL:            ${emulator.url}`);
  console.log(`CA certificate: ${emulator.caPath}   (export NODE_EXTRA_CA_CERTS=${emulator.caPath})`);
  console.log(`Tenant id:      ${emulator.tenantId}`);
  console.log(`Demo client id: ${emulator.demoApp.clientId}`);
  console.log(`Demo secret:    ${emulator.demoApp.clientSecret}   (a fixed demo value, not a real secret)`);
  console.log(`Access token:   ${emulator.accessToken}`);
  const tenant = emulator.tenant;
  console.log(
    `Tenant:         ${tenant.sites().length} sites, ${tenant.users().length} users, ${tenant.mailboxes().length} mailboxes, ` +
      `${tenant.policies().length} protection policies`,
  );
  // The variable names are the provider's settings (provider/config.ts), which the emulator may not import.
  console.log("To point a stack or a shell at it, export:");
  console.log(`  export NODE_EXTRA_CA_CERTS=${emulator.caPath}`);
  console.log(`  export M365_BACKUP_GRAPH_ENDPOINT=${emulator.url}`);
  console.log(`  export M365_BACKUP_ACCESS_TOKEN=${emulator.accessToken}`);
  console.log("or, to sign in with the demo application's secret instead of the token:");
  console.log(`  export AZURE_AUTHORITY_HOST=${emulator.url} AZURE_TENANT_ID=${emulator.tenantId}`);
  console.log(`  export AZURE_CLIENT_ID=${emulator.demoApp.clientId} AZURE_CLIENT_SECRET=${emulator.demoApp.clientSecret}`);
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
