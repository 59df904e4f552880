import { ThrottleGate, throttleGateFor } from "../../provider/graph/throttle-gate";

describe("ThrottleGate (AIMD)", () => {
  it("halves the window on every throttle down to 1, and grows it by one per success up to the cap", () => {
    const gate = new ThrottleGate(16, () => 0);
    const seen: number[] = [gate.concurrency];
    for (let i = 0; i < 5; i++) {
      gate.throttled(undefined);
      seen.push(gate.concurrency);
    }
    expect(seen).toEqual([16, 8, 4, 2, 1, 1]);
    for (let i = 0; i < 20; i++) gate.succeeded();
    expect(gate.concurrency).toBe(16);
  });

  it("keeps the longest pause it was told about, and reports what remains of it", () => {
    let now = 1_000;
    const gate = new ThrottleGate(16, () => now);
    expect(gate.pauseRemainingMs()).toBe(0);
    gate.throttled(2_000);
    gate.throttled(500);
    expect(gate.pauseRemainingMs()).toBe(2_000);
    now += 1_500;
    expect(gate.pauseRemainingMs()).toBe(500);
    now += 600;
    expect(gate.pauseRemainingMs()).toBe(0);
  });

  it("lets no more requests in flight than the window allows, and the next one in when a slot frees", async () => {
    const gate = new ThrottleGate(2, () => 0);
    const entered: number[] = [];
    const all = [1, 2, 3, 4].map((n) => gate.acquire().then(() => entered.push(n)));
    await Promise.resolve();
    await Promise.resolve();
    expect(entered).toEqual([1, 2]);
    gate.release();
    await Promise.resolve();
    await Promise.resolve();
    expect(entered).toEqual([1, 2, 3]);
    gate.release();
    await Promise.all(all);
    expect(entered).toEqual([1, 2, 3, 4]);
  });

  it("stops waiting for a slot when the request is aborted", async () => {
    const gate = new ThrottleGate(1, () => 0);
    await gate.acquire();
    const controller = new AbortController();
    const waiting = gate.acquire(controller.signal);
    controller.abort(new Error("attempt timed out"));
    await expect(waiting).rejects.toThrow("attempt timed out");
  });

  it("is one gate per origin per process", () => {
    expect(throttleGateFor("https://127.0.0.1:1")).toBe(throttleGateFor("https://127.0.0.1:1"));
    expect(throttleGateFor("https://127.0.0.1:1")).not.toBe(throttleGateFor("https://127.0.0.1:2"));
  });
});
