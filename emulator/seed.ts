/**
 * The deterministic demo tenant: one SharePoint protection policy, protected sites with their
 * protection units, and one unprotected site. Restore points are derived from the virtual clock
 * (every 10 minutes for 14 days, weekly back to one year) instead of being stored.
 */
import { deterministicGuid } from "./ids";

/** A seeded SharePoint site and its protection unit (`protectionUnitId` is "" for the unprotected site). */
export interface SeedSite {
  siteId: string;
  siteWebUrl: string;
  siteName: string;
  protectionUnitId: string;
}

/** A seeded site with what the emulator needs beyond the public view. */
export interface TenantSite extends SeedSite {
  siteGuid: string;
  protected: boolean;
}

/** The seeded SharePoint protection policy. */
export interface SeedPolicy {
  id: string;
  displayName: string;
  createdDateTime: string;
}

/** A restore point computed from the grid. */
export interface DerivedRestorePoint {
  id: string;
  site: TenantSite;
  protectionMs: number;
  tags: "fastRestore" | "none";
}

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

const NAMED_SITES = [
  "finance",
  "hr",
  "legal",
  "marketing",
  "engineering",
  "sales",
  "operations",
  "it",
  "research",
  "support",
  "executive",
  "projects",
];
const HOST = "contoso.sharepoint.com";

/** The whole seeded tenant. */
export class SeedTenant {
  readonly policy: SeedPolicy;
  readonly sites: TenantSite[];
  private readonly byUnitId = new Map<string, TenantSite>();
  private readonly byUnitGuid = new Map<string, TenantSite>();

  constructor(
    readonly tenantId: string,
    siteCount: number,
  ) {
    this.policy = {
      id: deterministicGuid(`${tenantId}/policy`),
      displayName: "SharePoint sites protection policy",
      createdDateTime: "2025-01-06T09:00:00Z",
    };
    this.sites = [];
    for (let i = 0; i < siteCount; i++) this.sites.push(makeSite(tenantId, siteName(i), true));
    // One site outside the policy: no protection unit, so no restore points.
    this.sites.push(makeSite(tenantId, "archive-unprotected", false));
    for (const site of this.sites.filter((s) => s.protected)) {
      this.byUnitId.set(site.protectionUnitId.toLowerCase(), site);
      this.byUnitGuid.set(site.siteGuid, site);
    }
  }

  /** Sites that have a protection unit (all of them are covered by the policy). */
  protectedSites(): TenantSite[] {
    return this.sites.filter((s) => s.protected);
  }

  /** The site whose protection unit has this id. */
  siteByUnitId(unitId: string): TenantSite | undefined {
    return this.byUnitId.get(unitId.toLowerCase());
  }

  /** The site with this Graph site id or web URL (case-insensitive, trailing slash ignored). */
  siteByIdOrUrl(value: string): TenantSite | undefined {
    const wanted = value.toLowerCase().replace(/\/+$/, "");
    return this.sites.find((s) => s.siteId.toLowerCase() === wanted || s.siteWebUrl.toLowerCase() === wanted);
  }

  /** Parses one of this tenant's restore-point ids; undefined when it names no current restore point. */
  restorePoint(id: string, nowMs: number): DerivedRestorePoint | undefined {
    const match = /^([0-9a-f-]{36})_(\d+)_14_1$/.exec(id);
    if (!match) return undefined;
    const site = this.byUnitGuid.get(match[1]!);
    const protectionMs = Number(match[2]) * 1000;
    if (!site || !site.protected || !isOnGrid(protectionMs, nowMs)) return undefined;
    return derive(site, protectionMs, nowMs);
  }

  /** The newest restore point of a protected site. */
  latestRestorePoint(site: TenantSite, nowMs: number): DerivedRestorePoint | undefined {
    return this.restorePoints(site, { nowMs, order: "latest", limit: 1 })[0];
  }

  /** Restore points of a site inside [from, to], newest or oldest first, at most `limit`. */
  restorePoints(
    site: TenantSite,
    query: { nowMs: number; order: "latest" | "oldest"; limit: number; fromMs?: number; toMs?: number; fastOnly?: boolean },
  ): DerivedRestorePoint[] {
    if (!site.protected) return [];
    const { nowMs } = query;
    const from = Math.max(query.fromMs ?? -Infinity, nowMs - RETENTION_MS + 1);
    const to = Math.min(query.toMs ?? Infinity, nowMs);
    const fastStart = Math.max(from, nowMs - FAST_WINDOW_MS + 1);
    const weeklyEnd = Math.min(to, nowMs - FAST_WINDOW_MS);
    const fast = { first: ceilTo(fastStart, FAST_INTERVAL_MS), last: floorTo(to, FAST_INTERVAL_MS), step: FAST_INTERVAL_MS };
    const weekly = query.fastOnly
      ? { first: 1, last: 0, step: WEEKLY_INTERVAL_MS }
      : { first: ceilTo(from, WEEKLY_INTERVAL_MS), last: floorTo(weeklyEnd, WEEKLY_INTERVAL_MS), step: WEEKLY_INTERVAL_MS };
    const segments = query.order === "latest" ? [fast, weekly] : [weekly, fast];
    const found: DerivedRestorePoint[] = [];
    for (const { first, last, step } of segments) {
      if (first > last) continue;
      if (query.order === "latest") {
        for (let t = last; t >= first && found.length < query.limit; t -= step) found.push(derive(site, t, nowMs));
      } else {
        for (let t = first; t <= last && found.length < query.limit; t += step) found.push(derive(site, t, nowMs));
      }
    }
    return found;
  }
}

function siteName(index: number): string {
  return index < NAMED_SITES.length ? NAMED_SITES[index]! : `site-${String(index + 1).padStart(4, "0")}`;
}

function makeSite(tenantId: string, name: string, isProtected: boolean): TenantSite {
  const siteGuid = deterministicGuid(`${tenantId}/site/${name}`);
  const webGuid = deterministicGuid(`${tenantId}/web/${name}`);
  return {
    siteId: `${HOST},${siteGuid},${webGuid}`,
    siteWebUrl: `https://${HOST}/sites/${name}`,
    siteName: displayName(name),
    protectionUnitId: isProtected ? deterministicGuid(`${tenantId}/unit/${name}`) : "",
    siteGuid,
    protected: isProtected,
  };
}

function displayName(name: string): string {
  if (name.length <= 2) return name.toUpperCase();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** True when a restore point exists at `t`: the 10-minute grid for 14 days, the weekly grid for a year. */
function isOnGrid(t: number, nowMs: number): boolean {
  const age = nowMs - t;
  if (age < 0 || age >= RETENTION_MS) return false;
  if (age < FAST_WINDOW_MS) return t % FAST_INTERVAL_MS === 0;
  return t % WEEKLY_INTERVAL_MS === 0;
}

function derive(site: TenantSite, protectionMs: number, nowMs: number): DerivedRestorePoint {
  return {
    id: `${site.siteGuid}_${protectionMs / 1000}_14_1`,
    site,
    protectionMs,
    tags: nowMs - protectionMs < FAST_WINDOW_MS ? "fastRestore" : "none",
  };
}

function floorTo(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

function ceilTo(t: number, step: number): number {
  return Math.ceil(t / step) * step;
}
