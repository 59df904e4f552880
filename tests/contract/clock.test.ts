/** The virtual clock's speed factor, driven by jest's fake system time (no real waiting). */
import { VirtualClock } from "../../emulator/clock";

const START = Date.parse("2026-11-28T21:00:00.000Z");

beforeEach(() => jest.useFakeTimers({ now: START }));
afterEach(() => jest.useRealTimers());

it("runs `speed` virtual milliseconds per real millisecond and jumps with advance", () => {
  const clock = new VirtualClock(new Date(START), 60);
  jest.setSystemTime(START + 1000);
  expect(clock.now().toISOString()).toBe("2026-11-28T21:01:00.000Z");
  clock.advance(60 * 60_000);
  expect(clock.now().toISOString()).toBe("2026-11-28T22:01:00.000Z");
  clock.setSpeed(0);
  jest.setSystemTime(START + 60_000);
  expect(clock.now().toISOString()).toBe("2026-11-28T22:01:00.000Z");
  expect(() => clock.advance(-1)).toThrow(RangeError);
  expect(() => clock.setSpeed(-2)).toThrow(RangeError);
});
