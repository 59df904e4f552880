/**
 * One throttle per host process: when Graph answers 429 with Retry-After, every concurrent request
 * to that origin waits it out, from any client in the process. In process, against the
 * emulator's real TLS server. Time is the emulator's virtual clock, frozen and moved only by the
 * test, so the pause is measured exactly, however busy the machine.
 */
import { SHAREPOINT } from "../../provider/workloads";
import { startEmulator, type Emulator } from "../../emulator";
import type { Settings } from "../../provider/config";
import { createGraphClient, MAX_CONCURRENT_REQUESTS, ThrottleGate } from "../../provider/graph";
import { throttleGateFor } from "../../provider/graph/throttle-gate";
import { testCa } from "../support/test-ca";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa(), speed: 0 });
});
afterAll(() => emulator.close());

const UNITS = "/v1.0/solutions/backupRestore/protectionUnits/microsoft.graph.siteProtectionUnit";

/**
 * Sleeps in the emulator's virtual time: a sleeper wakes when `advance` moves the clock past its
 * time, and `asleep(n)` resolves once n sleepers wait.
 */
class VirtualTimers {
  private readonly sleepers: { wakeAt: number; wake: () => void }[] = [];
  private readonly watchers: { count: number; resolve: () => void }[] = [];

  constructor(private readonly clock: Emulator["clock"]) {}

  readonly now = (): number => this.clock.now().getTime();

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.sleepers.push({ wakeAt: this.now() + ms, wake: resolve });
      for (const watcher of this.watchers.filter((w) => this.sleepers.length >= w.count)) watcher.resolve();
    });

  get sleeping(): number {
    return this.sleepers.length;
  }

  asleep(count: number): Promise<void> {
    if (this.sleepers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ count, resolve }));
  }

  advance(ms: number): void {
    this.clock.advance(ms);
    const due = this.sleepers.filter((s) => s.wakeAt <= this.now());
    for (const sleeper of due) this.sleepers.splice(this.sleepers.indexOf(sleeper), 1);
    for (const sleeper of due) sleeper.wake();
  }
}

test("after one 429 with Retry-After 2, no request from any client reaches Graph until the 2 seconds are over", async () => {
  const settings: Settings = {
    graphEndpoint: emulator.url,
    apiVersion: "v1.0",
    credentials: { kind: "accessToken", token: emulator.accessToken },
  };
  // Two clients, as two resources would have, sharing their origin's gate (the next test shows a client
  // takes the process-wide gate by default); this gate and the clients' sleeps run on virtual time.
  const timers = new VirtualTimers(emulator.clock);
  const gate = new ThrottleGate(MAX_CONCURRENT_REQUESTS, timers.now);
  const [first, second] = [1, 2].map(() => createGraphClient(settings, { throttle: gate, sleep: timers.sleep }));
  emulator.faults.add({
    method: "GET",
    path: "/solutions/backupRestore/protectionUnits/microsoft.graph.siteProtectionUnit",
    status: 429,
    retryAfterSeconds: 2,
    times: 1,
  });
  const journal = () => emulator.journal.entries().filter((entry) => entry.path === UNITS);

  const throttled = first!.listProtectionUnits(SHAREPOINT);
  await timers.asleep(1);
  const throttledAt = Date.parse(journal()[0]!.time);
  const followers = Array.from({ length: 8 }, (_, n) => (n % 2 === 0 ? first! : second!).listProtectionUnits(SHAREPOINT));
  await timers.asleep(9);
  expect(journal().map((entry) => entry.status)).toEqual([429]);

  timers.advance(1_999);
  expect(timers.sleeping).toBe(9);
  timers.advance(1);
  const results = await Promise.all([throttled, ...followers]);

  expect(results.map((units) => units.length)).toEqual(Array(9).fill(emulator.tenant.sites().filter((s) => s.protectionUnitId).length));
  const entries = journal();
  expect(entries.map((entry) => entry.status)).toEqual([429, ...Array(9).fill(200)]);
  // The clock stood still but for the test's two steps: every request after the 429 went out exactly when the pause ended.
  expect(entries.slice(1).map((entry) => Date.parse(entry.time) - throttledAt)).toEqual(Array(9).fill(2_000));
  // The window was halved by the 429 and has grown back by one per success since, to the cap.
  expect(gate.concurrency).toBe(16);
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
    path: "/solutions/backupRestore/protectionUnits/microsoft.graph.siteProtectionUnit",
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
