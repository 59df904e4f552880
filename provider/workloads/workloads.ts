/**
 * What differs between the three Microsoft 365 Backup workloads, as data.
 *
 * Everything workload-specific that the engine, the Graph client, the emulator and the docs need is
 * here: Graph collection and property names, protection-unit keys, the fields a restored artifact
 * reports, and the names of the program-side inputs. Code that branches on a workload name outside
 * this folder is a smell: add a field here instead, or a named hook where the behaviour truly
 * differs. Facts: `docs/research/graph-backuprestore-workloads.md`.
 */

/** The three workloads Microsoft 365 Backup protects. */
export type WorkloadName = "sharePoint" | "oneDrive" | "exchange";

/** The restore-session side of a workload. */
export interface RestoreSessionShape {
  /** Program-side class name, also the Pulumi type name. */
  resourceType: "SharePointRestoreSession" | "OneDriveRestoreSession" | "ExchangeRestoreSession";
  /** Collection under `/solutions/backupRestore` that POST creates in (and PATCH addresses). */
  collection: "sharePointRestoreSessions" | "oneDriveForBusinessRestoreSessions" | "exchangeRestoreSessions";
  /** `@odata.type` of a session of this workload in the tenant-wide list. */
  odataType: string;
  /** Standard artifacts: the create property, the list path segment, and (with `@delta`) the PATCH property. */
  artifacts: "siteRestoreArtifacts" | "driveRestoreArtifacts" | "mailboxRestoreArtifacts";
  /** Item-level artifacts, where the engine supports them (Exchange only). */
  granularArtifacts?: "granularMailboxRestoreArtifacts";
  /** Bulk addition requests under a session. */
  bulkRequests:
    | "siteRestoreArtifactsBulkAdditionRequests"
    | "driveRestoreArtifactsBulkAdditionRequests"
    | "mailboxRestoreArtifactsBulkAdditionRequests";
  /** The names a bulk request resolves on the service side (URLs or emails); also the `bulkRestore` input key. */
  bulkNames: "siteWebUrls" | "drives" | "mailboxes";
  /** Kind of name in `bulkNames`, for validation and messages. */
  bulkNameKind: "url" | "email";
  /** What a restored artifact reports about where it landed, in Graph's names. */
  restoredFields: readonly RestoredField[];
  /** The one restored field that tells a person where to look (report column). */
  restoredLocation: "restoredSiteWebUrl" | "restoredFolderName";
}

/** Fields a restored artifact reports, across workloads. */
export type RestoredField =
  "restoredSiteId" | "restoredSiteName" | "restoredSiteWebUrl" | "restoredFolderId" | "restoredFolderName" | "restoredItemCount";

/** The protection-unit side of a workload: what a site, a OneDrive or a mailbox is called in Graph. */
export interface ProtectionUnitShape {
  /** Collection under the root (all units of the tenant) and under each policy. */
  collection: "siteProtectionUnits" | "driveProtectionUnits" | "mailboxProtectionUnits";
  /** `@odata.type` of a unit. */
  odataType: string;
  /** The unit's key to the protected object, as Graph names it (also the by-id input key of artifacts). */
  key: "siteId" | "directoryObjectId";
  /** The unit's human name, as Graph names it (also the by-name input key of artifacts). */
  name: "siteWebUrl" | "email";
  /** Kind of name, for validation and messages. */
  nameKind: "url" | "email";
  /**
   * Whether Graph returns `name` to application callers. Documented as delegated-only for site URLs;
   * not stated for emails, so the engine treats both as "may be missing" and says why when it is.
   */
  nameForApplications: "never" | "unstated";
}

/** The protection-policy side of a workload. */
export interface ProtectionPolicyShape {
  /** Program-side class name, also the Pulumi type name. */
  resourceType: "SharePointProtectionPolicy" | "OneDriveProtectionPolicy" | "ExchangeProtectionPolicy";
  /** Collection under `/solutions/backupRestore` (POST, GET, PATCH). */
  collection: "sharePointProtectionPolicies" | "oneDriveForBusinessProtectionPolicies" | "exchangeProtectionPolicies";
  /** `@odata.type` of a policy. */
  odataType: string;
  /** Inclusion rules under the policy, and the property that holds a rule's expression. */
  rules: "siteInclusionRules" | "driveInclusionRules" | "mailboxInclusionRules";
  ruleExpression: "siteExpression" | "driveExpression" | "mailboxExpression";
  /**
   * What a rule's expression matches: site names and URLs by keyword (`displayName -contains`,
   * `webUrl -contains`, `lastModifiedDateTime -ge`), or members of groups (`memberOf -any (group.id -in [...])`).
   */
  ruleKind: "siteKeywords" | "groupMembership";
  /** Whether rules may be dynamic (`isAutoApplyEnabled`); never for SharePoint. */
  dynamicRules: boolean;
  /** Protection-unit bulk addition jobs under the policy, and the property holding their names. */
  bulkJobs: "siteProtectionUnitsBulkAdditionJobs" | "driveProtectionUnitsBulkAdditionJobs" | "mailboxProtectionUnitsBulkAdditionJobs";
  bulkJobNames: "siteWebUrls" | "drives" | "mailboxes";
  /** Program-side input names: units by id, units by name. */
  unitIdsInput: "siteIds" | "userIds" | "mailboxIds";
  unitNamesInput: "siteWebUrls" | "userEmails" | "mailboxEmails";
}

/** One workload, described completely. */
export interface Workload {
  name: WorkloadName;
  /** How people name the workload: "SharePoint", "OneDrive", "Exchange". */
  title: "SharePoint" | "OneDrive" | "Exchange";
  /** How people name one protected object and several: "site"/"sites", "OneDrive"/"OneDrives", "mailbox"/"mailboxes". */
  noun: { one: string; many: string };
  restoreSession: RestoreSessionShape;
  protectionUnit: ProtectionUnitShape;
  protectionPolicy: ProtectionPolicyShape;
}

/** SharePoint sites. */
export const SHAREPOINT: Workload = {
  name: "sharePoint",
  title: "SharePoint",
  noun: { one: "site", many: "sites" },
  restoreSession: {
    resourceType: "SharePointRestoreSession",
    collection: "sharePointRestoreSessions",
    odataType: "#microsoft.graph.sharePointRestoreSession",
    artifacts: "siteRestoreArtifacts",
    bulkRequests: "siteRestoreArtifactsBulkAdditionRequests",
    bulkNames: "siteWebUrls",
    bulkNameKind: "url",
    restoredFields: ["restoredSiteId", "restoredSiteName", "restoredSiteWebUrl"],
    restoredLocation: "restoredSiteWebUrl",
  },
  protectionUnit: {
    collection: "siteProtectionUnits",
    odataType: "#microsoft.graph.siteProtectionUnit",
    key: "siteId",
    name: "siteWebUrl",
    nameKind: "url",
    nameForApplications: "never",
  },
  protectionPolicy: {
    resourceType: "SharePointProtectionPolicy",
    collection: "sharePointProtectionPolicies",
    odataType: "#microsoft.graph.sharePointProtectionPolicy",
    rules: "siteInclusionRules",
    ruleExpression: "siteExpression",
    ruleKind: "siteKeywords",
    dynamicRules: false,
    bulkJobs: "siteProtectionUnitsBulkAdditionJobs",
    bulkJobNames: "siteWebUrls",
    unitIdsInput: "siteIds",
    unitNamesInput: "siteWebUrls",
  },
};

/** OneDrive for Business accounts, one per user. */
export const ONEDRIVE: Workload = {
  name: "oneDrive",
  title: "OneDrive",
  noun: { one: "OneDrive", many: "OneDrives" },
  restoreSession: {
    resourceType: "OneDriveRestoreSession",
    collection: "oneDriveForBusinessRestoreSessions",
    odataType: "#microsoft.graph.oneDriveForBusinessRestoreSession",
    artifacts: "driveRestoreArtifacts",
    bulkRequests: "driveRestoreArtifactsBulkAdditionRequests",
    bulkNames: "drives",
    bulkNameKind: "email",
    // A OneDrive is a site: a `new` restore makes a new site, `inPlace` restores into the same drive.
    restoredFields: ["restoredSiteId", "restoredSiteName", "restoredSiteWebUrl"],
    restoredLocation: "restoredSiteWebUrl",
  },
  protectionUnit: {
    collection: "driveProtectionUnits",
    odataType: "#microsoft.graph.driveProtectionUnit",
    key: "directoryObjectId",
    name: "email",
    nameKind: "email",
    nameForApplications: "unstated",
  },
  protectionPolicy: {
    resourceType: "OneDriveProtectionPolicy",
    collection: "oneDriveForBusinessProtectionPolicies",
    odataType: "#microsoft.graph.oneDriveForBusinessProtectionPolicy",
    rules: "driveInclusionRules",
    ruleExpression: "driveExpression",
    ruleKind: "groupMembership",
    dynamicRules: true,
    bulkJobs: "driveProtectionUnitsBulkAdditionJobs",
    bulkJobNames: "drives",
    unitIdsInput: "userIds",
    unitNamesInput: "userEmails",
  },
};

/** Exchange Online mailboxes (primary and archive). */
export const EXCHANGE: Workload = {
  name: "exchange",
  title: "Exchange",
  noun: { one: "mailbox", many: "mailboxes" },
  restoreSession: {
    resourceType: "ExchangeRestoreSession",
    collection: "exchangeRestoreSessions",
    odataType: "#microsoft.graph.exchangeRestoreSession",
    artifacts: "mailboxRestoreArtifacts",
    granularArtifacts: "granularMailboxRestoreArtifacts",
    bulkRequests: "mailboxRestoreArtifactsBulkAdditionRequests",
    bulkNames: "mailboxes",
    bulkNameKind: "email",
    // `new` restores into a new folder of the same mailbox; `inPlace` into the mailbox itself.
    restoredFields: ["restoredFolderId", "restoredFolderName", "restoredItemCount"],
    restoredLocation: "restoredFolderName",
  },
  protectionUnit: {
    collection: "mailboxProtectionUnits",
    odataType: "#microsoft.graph.mailboxProtectionUnit",
    key: "directoryObjectId",
    name: "email",
    nameKind: "email",
    nameForApplications: "unstated",
  },
  protectionPolicy: {
    resourceType: "ExchangeProtectionPolicy",
    collection: "exchangeProtectionPolicies",
    odataType: "#microsoft.graph.exchangeProtectionPolicy",
    rules: "mailboxInclusionRules",
    ruleExpression: "mailboxExpression",
    ruleKind: "groupMembership",
    dynamicRules: true,
    bulkJobs: "mailboxProtectionUnitsBulkAdditionJobs",
    bulkJobNames: "mailboxes",
    unitIdsInput: "mailboxIds",
    unitNamesInput: "mailboxEmails",
  },
};

/** Every workload, in the order docs and reports list them. */
export const WORKLOADS: readonly Workload[] = [SHAREPOINT, ONEDRIVE, EXCHANGE];

/** The workload with this name. */
export function workload(name: WorkloadName): Workload {
  const found = WORKLOADS.find((w) => w.name === name);
  if (!found) throw new RangeError(`unknown workload ${JSON.stringify(name)}`);
  return found;
}

/** The workload whose restore sessions or policies carry this `@odata.type`, if any. */
export function workloadOfODataType(odataType: string | undefined): Workload | undefined {
  if (odataType === undefined) return undefined;
  const wanted = odataType.replace(/^#/, "").toLowerCase();
  return WORKLOADS.find((w) =>
    [w.restoreSession.odataType, w.protectionPolicy.odataType, w.protectionUnit.odataType].some(
      (t) => t.replace(/^#/, "").toLowerCase() === wanted,
    ),
  );
}

/** Builds something per workload once, on first use (input rules, say), and hands back the same one after. */
export function perWorkload<T>(build: (workload: Workload) => T): (workload: Workload) => T {
  const built = new Map<WorkloadName, T>();
  return (workload) => {
    if (!built.has(workload.name)) built.set(workload.name, build(workload));
    return built.get(workload.name)!;
  };
}
