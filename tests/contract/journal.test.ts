/** Contract: the journal's `handlingMs`, the emulator's own handling time without added latency or fault delays. */
import { performance } from "node:perf_hooks";
import { ROOT, RS, call, startFrozen } from "./emulator-helpers";

it("records handlingMs on every outcome, and leaves out a fault's delay", async () => {
  const emulator = await startFrozen();
  try {
    const delayMs = 300;
    emulator.faults.add({ path: `${ROOT}/restoreSessions`, latencyMs: delayMs, times: 1 });
    emulator.faults.add({ path: `${ROOT}/siteProtectionUnits`, status: 503, times: 1 });
    const started = performance.now();
    await call(emulator, "GET", RS);
    const waited = performance.now() - started;
    await call(emulator, "GET", `${ROOT}/siteProtectionUnits`);
    await call(emulator, "GET", RS, { token: null });
    const entries = emulator.journal.entries();
    expect(entries.map((e) => [e.outcome, e.status])).toEqual([
      ["fault", 200],
      ["fault", 503],
      ["response", 401],
    ]);
    for (const entry of entries) expect(entry.handlingMs).toEqual(expect.any(Number));
    for (const entry of entries) expect(entry.handlingMs).toBeGreaterThanOrEqual(0);
    // What the client waited is the handling plus at least the delay; timers may fire a millisecond early.
    expect(entries[0]!.handlingMs!).toBeLessThanOrEqual(waited - delayMs + 2);
  } finally {
    await emulator.close();
  }
});
