/**
 * The tenant a walk runs against, and what its program can name. Every pool is taken from the
 * emulator's seeded tenant at the walk's fixed start time, so a seed always sees the same objects
 * and restore points.
 *
 * The program names objects so that every program the walk can write is one Graph can carry out,
 * whatever the policies are doing at the time: sessions restore restore points taken before the
 * walk (they stay valid while their units come and go) or, for the Exchange mailboxes the
 * retained mailbox policy always protects, mailboxes by email; bulk restores name users whose
 * restore points the service finds whatever protects them now.
 */
import type { Emulator, SeedGroup } from "../emulator";

/** An object the program can name: its key (site id, directory object id), its name (URL, email), and a restore point taken before the walk. */
export interface PoolObject {
  key: string;
  name: string;
  /** Display name (sites), for the site rules' keywords. */
  displayName: string;
  restorePointId: string;
}

/** What a walk's program names, by index into these pools. */
export interface Fixture {
  sites: PoolObject[];
  users: PoolObject[];
  mailboxes: PoolObject[];
  groups: SeedGroup[];
  /** The tenant's policies before the walk (the seeded OneDrive and Exchange ones), by id. */
  preexistingPolicyIds: Set<string>;
}

/** Seeded tenant size: enough objects for the pools below, small enough to list in one page. */
export const TENANT_SIZE = { sites: 16, users: 10 } as const;

/** Mailboxes the retained Exchange policy always protects, so sessions may name them by email. */
export const CORE_MAILBOXES = 3;

/**
 * Takes the pools and prepares the tenant: the seeded SharePoint policy is deleted out of band, so
 * the walk's SharePoint policy is created (not adopted); its units' restore points stay.
 */
export function prepareTenant(emulator: Emulator): Fixture {
  const { tenant } = emulator;
  const pool = <T extends { protectionUnitId: string }>(
    workload: "sharePoint" | "oneDrive" | "exchange",
    objects: T[],
    key: (o: T) => string,
    name: (o: T) => string,
    displayName: (o: T) => string,
  ): PoolObject[] =>
    objects
      .filter((o) => o.protectionUnitId !== "")
      .map((o) => ({
        key: key(o),
        name: name(o),
        displayName: displayName(o),
        restorePointId: tenant.latestRestorePointIdFor(workload, key(o)),
      }));
  const fixture: Fixture = {
    sites: pool(
      "sharePoint",
      tenant.sites(),
      (s) => s.siteId,
      (s) => s.siteWebUrl,
      (s) => s.siteName,
    ),
    users: pool(
      "oneDrive",
      tenant.users(),
      (u) => u.directoryObjectId,
      (u) => u.email,
      (u) => u.displayName,
    ),
    mailboxes: pool(
      "exchange",
      tenant.mailboxes(),
      (m) => m.directoryObjectId,
      (m) => m.email,
      (m) => m.displayName,
    ),
    groups: tenant.groups(),
    preexistingPolicyIds: new Set(),
  };
  for (const policy of tenant.policies()) {
    if (policy.workload === "sharePoint") tenant.deletePolicy(policy.id);
    else fixture.preexistingPolicyIds.add(policy.id);
  }
  return fixture;
}
