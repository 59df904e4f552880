/**
 * The seeded directory: SharePoint sites, users (each with a OneDrive), mailboxes and groups, with
 * deterministic ids so tenants are identical from run to run. Objects are plain records indexed by
 * id, URL and email, so 10,000 sites and 10,000 users are built in well under a second.
 */
import type { WorkloadName } from "../../provider/workloads";
import { deterministicGuid } from "../ids";

/** A SharePoint site of the directory. */
export interface DirectorySite {
  siteId: string;
  siteWebUrl: string;
  siteName: string;
  /** When the site last changed (what `lastModifiedDateTime -ge` in site inclusion rules compares). */
  lastModifiedDateTime: string;
  /** Protected by the seeded SharePoint policy (all seeded sites but the one unprotected site). */
  seededProtected: boolean;
}

/** A user of the directory, with the OneDrive the backup service protects. */
export interface DirectoryUser {
  directoryObjectId: string;
  email: string;
  displayName: string;
  oneDrive: { siteId: string; webUrl: string };
  seededProtected: boolean;
}

/** A mailbox of the directory: a user's own (same directoryObjectId as the user) or a shared one. */
export interface DirectoryMailbox {
  directoryObjectId: string;
  email: string;
  displayName: string;
  kind: "user" | "shared";
  seededProtected: boolean;
}

/** A security group whose members drive and mailbox inclusion rules resolve to. */
export interface DirectoryGroup {
  id: string;
  displayName: string;
  /** directoryObjectIds of the member users. */
  memberIds: string[];
}

/** What a protection unit protects, whatever the workload: its key and its human name. */
export interface ProtectableObject {
  workload: WorkloadName;
  /** `siteId` for sites, `directoryObjectId` for OneDrives and mailboxes. */
  key: string;
  /** `siteWebUrl` for sites, `email` for OneDrives and mailboxes. */
  name: string;
  displayName: string;
  seededProtected: boolean;
}

/** How many objects to seed. */
export interface DirectorySize {
  sites: number;
  users: number;
  /** User mailboxes; beyond the user count the extra ones are shared mailboxes. */
  mailboxes: number;
}

const SHAREPOINT_HOST = "contoso.sharepoint.com";
const DAY = 24 * 3600 * 1000;
const SITES_CHANGED_FROM = Date.UTC(2025, 0, 6);
const ONEDRIVE_HOST = "contoso-my.sharepoint.com";
const MAIL_DOMAIN = "contoso.com";
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
const NAMED_USERS: [string, string][] = [
  ["adele", "Adele Vance"],
  ["alex", "Alex Wilber"],
  ["diego", "Diego Siciliani"],
  ["grady", "Grady Archie"],
  ["isaiah", "Isaiah Langer"],
  ["johanna", "Johanna Lorenz"],
  ["lee", "Lee Gu"],
  ["megan", "Megan Bowen"],
];
/** Shared mailboxes every tenant has, protected with the user mailboxes. */
const SHARED_MAILBOXES: [string, string][] = [
  ["support", "Support"],
  ["reception", "Reception"],
];
const UNPROTECTED_SITE = "archive-unprotected";
const UNPROTECTED_USER: [string, string] = ["unprotected.user", "Unprotected User"];

/** The seeded directory with its lookups. */
export class Directory {
  readonly sites: DirectorySite[] = [];
  readonly users: DirectoryUser[] = [];
  readonly mailboxes: DirectoryMailbox[] = [];
  readonly groups: DirectoryGroup[] = [];
  private readonly objects = new Map<WorkloadName, ProtectableObject[]>();
  private readonly byKey = new Map<string, ProtectableObject>();
  private readonly byName = new Map<string, ProtectableObject>();
  private readonly sitesById = new Map<string, DirectorySite>();
  private readonly usersById = new Map<string, DirectoryUser>();
  private readonly mailboxesById = new Map<string, DirectoryMailbox>();

  constructor(
    readonly tenantId: string,
    size: DirectorySize,
  ) {
    for (let i = 0; i < size.sites; i++) this.sites.push(this.site(siteSlug(i), true, i));
    this.sites.push(this.site(UNPROTECTED_SITE, false, size.sites));

    for (let i = 0; i < size.users; i++) this.users.push(this.user(...userName(i), true));
    const unprotectedUser = this.user(...UNPROTECTED_USER, false);
    this.users.push(unprotectedUser);

    const userMailboxes = Math.min(size.mailboxes, size.users);
    for (let i = 0; i < userMailboxes; i++) this.mailboxes.push(this.userMailbox(this.users[i]!, true));
    for (let i = 0; i < size.mailboxes - userMailboxes; i++)
      this.mailboxes.push(this.sharedMailbox(`shared-${pad(i + 1)}`, `Shared ${pad(i + 1)}`));
    for (const [local, name] of SHARED_MAILBOXES) this.mailboxes.push(this.sharedMailbox(local, name));
    this.mailboxes.push(this.userMailbox(unprotectedUser, false));

    const members = this.users.slice(0, size.users).map((u) => u.directoryObjectId);
    this.groups.push(this.group("All Company", members));
    this.groups.push(this.group("Finance", members.slice(0, 3)));
    this.groups.push(
      this.group(
        "Engineering",
        members.filter((_, i) => i % 2 === 1),
      ),
    );

    for (const site of this.sites) this.sitesById.set(normalize(site.siteId), site);
    for (const user of this.users) this.usersById.set(user.directoryObjectId, user);
    for (const mailbox of this.mailboxes) this.mailboxesById.set(mailbox.directoryObjectId, mailbox);
    this.index(
      "sharePoint",
      this.sites.map((s) => ({ key: s.siteId, name: s.siteWebUrl, displayName: s.siteName, seededProtected: s.seededProtected })),
    );
    this.index(
      "oneDrive",
      this.users.map((u) => ({ key: u.directoryObjectId, name: u.email, displayName: u.displayName, seededProtected: u.seededProtected })),
    );
    this.index(
      "exchange",
      this.mailboxes.map((m) => ({
        key: m.directoryObjectId,
        name: m.email,
        displayName: m.displayName,
        seededProtected: m.seededProtected,
      })),
    );
  }

  /** Every protectable object of a workload, seeded order. */
  objectsOf(workload: WorkloadName): ProtectableObject[] {
    return this.objects.get(workload) ?? [];
  }

  /** The object of a workload with this key (site id, directoryObjectId) or name (URL, email); case-insensitive. */
  find(workload: WorkloadName, keyOrName: string): ProtectableObject | undefined {
    const wanted = normalize(keyOrName);
    return this.byKey.get(`${workload}|${wanted}`) ?? this.byName.get(`${workload}|${wanted}`);
  }

  /** The object of a workload with exactly this key (case-insensitive). */
  byObjectKey(workload: WorkloadName, key: string): ProtectableObject | undefined {
    return this.byKey.get(`${workload}|${normalize(key)}`);
  }

  /** The object of a workload with exactly this name (URL or email, case-insensitive, trailing slash ignored). */
  byObjectName(workload: WorkloadName, name: string): ProtectableObject | undefined {
    return this.byName.get(`${workload}|${normalize(name)}`);
  }

  /** The user with this directoryObjectId. */
  userById(id: string): DirectoryUser | undefined {
    return this.usersById.get(normalize(id));
  }

  /** The mailbox with this directoryObjectId. */
  mailboxById(id: string): DirectoryMailbox | undefined {
    return this.mailboxesById.get(normalize(id));
  }

  /** The site with this site id. */
  siteById(id: string): DirectorySite | undefined {
    return this.sitesById.get(normalize(id));
  }

  /** The group with this id. */
  groupById(id: string): DirectoryGroup | undefined {
    return this.groups.find((g) => g.id === normalize(id));
  }

  private site(slug: string, seededProtected: boolean, index: number): DirectorySite {
    const siteGuid = deterministicGuid(`${this.tenantId}/site/${slug}`);
    const webGuid = deterministicGuid(`${this.tenantId}/web/${slug}`);
    return {
      siteId: `${SHAREPOINT_HOST},${siteGuid},${webGuid}`,
      siteWebUrl: `https://${SHAREPOINT_HOST}/sites/${slug}`,
      siteName: displayName(slug),
      // One site changed per day from the seed date on, so date rules select a predictable part.
      lastModifiedDateTime: new Date(SITES_CHANGED_FROM + index * DAY).toISOString(),
      seededProtected,
    };
  }

  private user(local: string, name: string, seededProtected: boolean): DirectoryUser {
    const email = `${local}@${MAIL_DOMAIN}`;
    const personal = email.replace(/[@.]/g, "_");
    return {
      directoryObjectId: deterministicGuid(`${this.tenantId}/user/${local}`),
      email,
      displayName: name,
      oneDrive: {
        siteId: `${ONEDRIVE_HOST},${deterministicGuid(`${this.tenantId}/onedrive/${local}`)},${deterministicGuid(`${this.tenantId}/onedrive-web/${local}`)}`,
        webUrl: `https://${ONEDRIVE_HOST}/personal/${personal}`,
      },
      seededProtected,
    };
  }

  private userMailbox(user: DirectoryUser, seededProtected: boolean): DirectoryMailbox {
    return { directoryObjectId: user.directoryObjectId, email: user.email, displayName: user.displayName, kind: "user", seededProtected };
  }

  private sharedMailbox(local: string, name: string): DirectoryMailbox {
    return {
      directoryObjectId: deterministicGuid(`${this.tenantId}/shared-mailbox/${local}`),
      email: `${local}@${MAIL_DOMAIN}`,
      displayName: name,
      kind: "shared",
      seededProtected: true,
    };
  }

  private group(name: string, memberIds: string[]): DirectoryGroup {
    return { id: deterministicGuid(`${this.tenantId}/group/${name}`), displayName: name, memberIds };
  }

  private index(workload: WorkloadName, entries: Omit<ProtectableObject, "workload">[]): void {
    const objects = entries.map((entry) => ({ workload, ...entry }));
    this.objects.set(workload, objects);
    for (const object of objects) {
      this.byKey.set(`${workload}|${normalize(object.key)}`, object);
      this.byName.set(`${workload}|${normalize(object.name)}`, object);
    }
  }
}

/** Lower case without a trailing slash: Graph compares ids, URLs and emails case-insensitively. */
export function normalize(value: string): string {
  return value.trim().toLowerCase().replace(/\/+$/, "");
}

function siteSlug(index: number): string {
  return index < NAMED_SITES.length ? NAMED_SITES[index]! : `site-${pad(index + 1)}`;
}

function userName(index: number): [string, string] {
  return index < NAMED_USERS.length ? NAMED_USERS[index]! : [`user-${pad(index + 1)}`, `User ${pad(index + 1)}`];
}

function pad(n: number): string {
  return String(n).padStart(4, "0");
}

function displayName(slug: string): string {
  if (slug.length <= 2) return slug.toUpperCase();
  return slug.charAt(0).toUpperCase() + slug.slice(1);
}
