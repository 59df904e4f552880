/**
 * Restore points are never stored: they sit on a grid derived from the virtual clock (every 10
 * minutes for the last 14 days, weekly back to one year) and exist only while their protection unit
 * was protected. A point's id names its unit and time, so any id can be checked without a lookup table.
 */
import type { WorkloadName } from "../../provider/workloads";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Spacing of recent (fast) restore points. */
export const FAST_INTERVAL_MS = 10 * MINUTE;
/** Spacing of older restore points. */
export const WEEKLY_INTERVAL_MS = 7 * DAY;
/** How long fast restore points are kept. */
export const FAST_WINDOW_MS = 14 * DAY;
/** Retention of every restore point. */
export const RETENTION_MS = 365 * DAY;

/** A time range `[fromMs, untilMs]` during which a unit was protected (a point taken at the instant protection ended counts). */
export interface Interval {
  fromMs: number;
  untilMs: number;
}

/** Which grid points to list. */
export interface GridQuery {
  nowMs: number;
  order: "latest" | "oldest";
  limit: number;
  fromMs?: number;
  toMs?: number;
  fastOnly?: boolean;
}

/**
 * The id suffix Microsoft's examples show per workload (`<guid>_<seconds>_14_1` for sites,
 * `_11_7` for OneDrives, `_12_2` for mailboxes); opaque to clients, kept for realism.
 */
const ID_SUFFIX: Record<WorkloadName, string> = { sharePoint: "14_1", oneDrive: "11_7", exchange: "12_2" };
const ID_PATTERN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_(\d+)_(\d+_\d+)$/i;

/** The id of the restore point a unit got at `protectionMs`. */
export function restorePointId(unitId: string, workload: WorkloadName, protectionMs: number): string {
  return `${unitId}_${protectionMs / 1000}_${ID_SUFFIX[workload]}`;
}

/** The unit id and protection time an id names, or undefined for a string that is not one of ours. */
export function parseRestorePointId(id: string): { unitId: string; protectionMs: number } | undefined {
  const match = ID_PATTERN.exec(id);
  if (!match) return undefined;
  return { unitId: match[1]!.toLowerCase(), protectionMs: Number(match[2]) * 1000 };
}

/** True when a grid point exists at `t` at time `nowMs` (inside retention, on the grid for its age). */
export function isOnGrid(t: number, nowMs: number): boolean {
  const age = nowMs - t;
  if (age < 0 || age >= RETENTION_MS) return false;
  if (age < FAST_WINDOW_MS) return t % FAST_INTERVAL_MS === 0;
  return t % WEEKLY_INTERVAL_MS === 0;
}

/** True when `t` lies in one of the intervals. */
export function isWithin(t: number, intervals: readonly Interval[]): boolean {
  return intervals.some((i) => t >= i.fromMs && t <= i.untilMs);
}

/** `fastRestore` for points younger than the fast window, else `none`. */
export function tagsAt(protectionMs: number, nowMs: number): "fastRestore" | "none" {
  return nowMs - protectionMs < FAST_WINDOW_MS ? "fastRestore" : "none";
}

/** Grid times inside the intervals and the query's window, newest or oldest first, at most `limit`. */
export function gridTimes(intervals: readonly Interval[], query: GridQuery): number[] {
  const ordered = [...intervals].sort((a, b) => (query.order === "latest" ? b.fromMs - a.fromMs : a.fromMs - b.fromMs));
  const found: number[] = [];
  for (const interval of ordered) {
    if (found.length >= query.limit) break;
    const fromMs = Math.max(query.fromMs ?? -Infinity, interval.fromMs);
    const toMs = Math.min(query.toMs ?? Infinity, interval.untilMs);
    if (fromMs > toMs) continue;
    found.push(...windowTimes({ ...query, fromMs, toMs, limit: query.limit - found.length }));
  }
  return found;
}

/** Grid times inside [fromMs, toMs], on the 10-minute grid for 14 days and the weekly grid up to a year. */
function windowTimes(query: GridQuery & { fromMs: number; toMs: number }): number[] {
  const { nowMs } = query;
  const from = Math.max(query.fromMs, nowMs - RETENTION_MS + 1);
  const to = Math.min(query.toMs, nowMs);
  const fastStart = Math.max(from, nowMs - FAST_WINDOW_MS + 1);
  const weeklyEnd = Math.min(to, nowMs - FAST_WINDOW_MS);
  const fast = { first: ceilTo(fastStart, FAST_INTERVAL_MS), last: floorTo(to, FAST_INTERVAL_MS), step: FAST_INTERVAL_MS };
  const weekly = query.fastOnly
    ? { first: 1, last: 0, step: WEEKLY_INTERVAL_MS }
    : { first: ceilTo(from, WEEKLY_INTERVAL_MS), last: floorTo(weeklyEnd, WEEKLY_INTERVAL_MS), step: WEEKLY_INTERVAL_MS };
  const segments = query.order === "latest" ? [fast, weekly] : [weekly, fast];
  const found: number[] = [];
  for (const { first, last, step } of segments) {
    if (first > last) continue;
    if (query.order === "latest") {
      for (let t = last; t >= first && found.length < query.limit; t -= step) found.push(t);
    } else {
      for (let t = first; t <= last && found.length < query.limit; t += step) found.push(t);
    }
  }
  return found;
}

function floorTo(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

function ceilTo(t: number, step: number): number {
  return Math.ceil(t / step) * step;
}
