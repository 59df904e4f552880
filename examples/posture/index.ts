/**
 * The tenant's backup posture: which SharePoint sites, OneDrives and mailboxes Microsoft 365 Backup
 * protects, as three protection policies. Every input is stack config, so a pull request that edits
 * `Pulumi.<stack>.yaml` is the whole change: its preview says what will be protected and what will
 * stop being protected, and merging it applies that.
 */
import * as pulumi from "@pulumi/pulumi";
import { ExchangeProtectionPolicy, OneDriveProtectionPolicy, SharePointProtectionPolicy } from "pulumi-m365-backup";

const config = new pulumi.Config();

// Take over policies an admin already made in the Microsoft 365 admin center (Graph allows one
// active policy per workload), and leave them in place if this stack is ever destroyed.
const adoptExisting = config.getBoolean("adoptExisting") ?? false;
const options: pulumi.CustomResourceOptions = adoptExisting ? { retainOnDelete: true } : {};

/**
 * Sites whose name or URL contains one of these words. Graph allows 10 keywords a rule, and each
 * word is used twice here (name and URL), so a rule takes five words.
 */
function keywordRules(keywords: string[]): { expression: string }[] {
  const rules: { expression: string }[] = [];
  for (let i = 0; i < keywords.length; i += 5) {
    const terms = keywords.slice(i, i + 5).flatMap((k) => [`(displayName -contains '${k}')`, `(webUrl -contains '${k}')`]);
    rules.push({ expression: `(${terms.join(" -or ")})` });
  }
  return rules;
}

// Members of these groups are protected in OneDrive and Exchange, and Graph keeps following the
// groups' membership (a dynamic rule), so joiners are protected without a pull request.
const protectedGroupIds = config.requireObject<string[]>("protectedGroupIds");

const sites = new SharePointProtectionPolicy(
  "sharepoint",
  {
    displayName: config.get("sharePointPolicyName") ?? "SharePoint: business-critical sites",
    siteWebUrls: config.getObject<string[]>("siteWebUrls"),
    siteInclusionRules: keywordRules(config.getObject<string[]>("siteKeywords") ?? []),
    adoptExisting,
  },
  options,
);

const drives = new OneDriveProtectionPolicy(
  "onedrive",
  {
    displayName: config.get("oneDrivePolicyName") ?? "OneDrive: members of the protected groups",
    driveInclusionRules: [{ groupIds: protectedGroupIds, autoApply: true }],
    userEmails: config.getObject<string[]>("extraUsers"),
    adoptExisting,
  },
  options,
);

const mailboxes = new ExchangeProtectionPolicy(
  "exchange",
  {
    displayName: config.get("exchangePolicyName") ?? "Exchange: members of the protected groups and shared mailboxes",
    mailboxInclusionRules: [{ groupIds: protectedGroupIds, autoApply: true }],
    mailboxEmails: config.getObject<string[]>("sharedMailboxes"),
    adoptExisting,
  },
  options,
);

/** What a reviewer checks after a merge: each policy's status, how many objects it holds, and names the service could not resolve. */
function summary(
  policy: SharePointProtectionPolicy | OneDriveProtectionPolicy | ExchangeProtectionPolicy,
  units: pulumi.Output<{ status?: string }[]>,
  jobs: pulumi.Output<{ error?: { details?: { message?: string }[] } }[]>,
) {
  return pulumi.all([policy.id, policy.status, units, jobs]).apply(([id, status, held = [], sent = []]) => ({
    id,
    status,
    protected: held.filter((u) => u.status === "protected").length,
    pending: held.filter((u) => u.status === "protectRequested").length,
    unresolvedNames: sent.flatMap((job) => (job.error?.details ?? []).map((d) => d.message ?? "")),
  }));
}

export const sharePoint = summary(sites, sites.siteProtectionUnits, sites.siteProtectionUnitsBulkAdditionJobs);
export const oneDrive = summary(drives, drives.driveProtectionUnits, drives.driveProtectionUnitsBulkAdditionJobs);
export const exchange = summary(mailboxes, mailboxes.mailboxProtectionUnits, mailboxes.mailboxProtectionUnitsBulkAdditionJobs);
