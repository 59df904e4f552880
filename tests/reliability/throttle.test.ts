/**
 * One throttle per host process: when Graph answers 429 with Retry-After, every concurrent request
 * to that origin waits it out, from any client in the process. In process, against the
 * emulator's real TLS server.
 */
import { SHAREPOINT } from "../../provider/workloads";
import { startEmulator, type Emulator } from "../../emulator";
import type { Settings } from "../../provider/config";
import { createGraphClient } from "../../provider/graph";
import { throttleGateFor } from "../../provider/graph/throttle-gate";
import { testCa } from "../support/test-ca";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
});
afterAll(() => emulator.close());

const UNITS = "/v1.0/solutions/backupRestore/siteProtectionUnits";

/** Resolves once the journal holds a 429, i.e. the first request has been told to wait. */
async function throttleSeen(): Promise<void> {
  while (!emulator.journal.entries().some((entry) => entry.status === 429)) await new Promise((resolve) => setTimeout(resolve, 10));
}

test("after one 429 with Retry-After 2, no request from any client reaches Graph until the 2 seconds are over", async () => {
  const settings: Settings = {
    graphEndpoint: emulator.url,
    apiVersion: "v1.0",
    credentials: { kind: "accessToken", token: emulator.accessToken },
  };
  // Two clients, as two resources would have: the gate is per origin and process, not per client.
  const [first, second] = [createGraphClient(settings), createGraphClient(settings)];
  emulator.faults.add({ method: "GET", path: "/solutions/backupRestore/siteProtectionUnits", status: 429, retryAfterSeconds: 2, times: 1 });

  const throttled = first.listProtectionUnits(SHAREPOINT);
  await throttleSeen();
  const followers = Array.from({ length: 8 }, (_, n) => (n % 2 === 0 ? first : second).listProtectionUnits(SHAREPOINT));
  const results = await Promise.all([throttled, ...followers]);

  expect(results.map((units) => units.length)).toEqual(Array(9).fill(emulator.tenant.sites().filter((s) => s.protectionUnitId).length));
  const entries = emulator.journal.entries().filter((entry) => entry.path === UNITS);
  expect(entries.map((entry) => entry.status)).toEqual([429, ...Array(9).fill(200)]);
  const pauseEnds = Date.parse(entries[0]!.time) + 2_000;
  // The emulator's clock runs at speed 1 from the real now: its journal times are ours.
  expect(entries.slice(1).filter((entry) => Date.parse(entry.time) < pauseEnds)).toEqual([]);
  // The window was halved by the 429 and has grown back by one per success since, to the cap.
  expect(throttleGateFor(emulator.url).concurrency).toBe(16);
});

test("the window halves per throttle: three 429s without Retry-After take it from 16 to 2, and the success then widens it to 3", async () => {
  const settings: Settings = {
    graphEndpoint: emulator.url,
    apiVersion: "v1.0",
    credentials: { kind: "accessToken", token: emulator.accessToken },
  };
  const client = createGraphClient(settings, { retry: { baseDelayMs: 50, maxDelayMs: 50 } });
  const gate = throttleGateFor(emulator.url);
  emulator.faults.clear();
  emulator.faults.add({
    method: "GET",
    path: "/solutions/backupRestore/siteProtectionUnits",
    status: 429,
    retryAfterSeconds: null,
    times: 3,
  });
  const before = gate.concurrency;
  await expect(client.listProtectionUnits(SHAREPOINT)).resolves.toHaveLength(
    emulator.tenant.sites().filter((s) => s.protectionUnitId).length,
  );
  // 16 -> 8 -> 4 -> 2 on the throttles, then +1 for the success.
  expect([before, gate.concurrency]).toEqual([16, 3]);
});
