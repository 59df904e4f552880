/**
 * Where a restored artifact lands, per workload: the one place the three workloads truly differ in
 * restore results. Sites and OneDrives restore to the original site (`inPlace`) or a new
 * `<name>-restored-<n>` site (`new`); mailboxes restore into the mailbox (`inPlace`) or into a new
 * `<name>-restored-<n>` folder of the same mailbox (`new`). Values are keyed by Graph's field
 * names (`restoredFields` of the workload descriptor).
 */
import { createHash } from "node:crypto";
import type { RestoredField, WorkloadName } from "../provider/workloads";
import { deterministicGuid } from "./ids";
import type { StoredArtifact } from "./store";
import type { Directory } from "./tenant/directory";

/** Restored field values of an artifact; undefined until its destination is known. */
export type RestoredValues = Partial<Record<RestoredField, string | number>>;

type RestoredTarget = (artifact: StoredArtifact, directory: Directory, hits: number | undefined) => RestoredValues | undefined;

const SHAREPOINT_HOST = "contoso.sharepoint.com";

const site: RestoredTarget = (artifact, directory) => {
  const original = directory.siteById(artifact.key);
  if (!original) return undefined;
  if (artifact.destinationType === "inPlace")
    return { restoredSiteId: original.siteId, restoredSiteName: original.siteName, restoredSiteWebUrl: original.siteWebUrl };
  const slug = original.siteWebUrl.slice(original.siteWebUrl.lastIndexOf("/") + 1);
  return newSite(original.siteId, `${slug}-restored-${artifact.restoredNumber}`);
};

const drive: RestoredTarget = (artifact, directory) => {
  const user = directory.userById(artifact.key);
  if (!user) return undefined;
  if (artifact.destinationType === "inPlace") {
    return { restoredSiteId: user.oneDrive.siteId, restoredSiteName: user.displayName, restoredSiteWebUrl: user.oneDrive.webUrl };
  }
  const local = user.email.slice(0, user.email.indexOf("@")).replace(/\./g, "-");
  return newSite(user.oneDrive.siteId, `${local}-onedrive-restored-${artifact.restoredNumber}`);
};

const mailbox: RestoredTarget = (artifact, directory, hits) => {
  const found = directory.mailboxById(artifact.key);
  if (!found) return undefined;
  const local = found.email.slice(0, found.email.indexOf("@"));
  const folderName = artifact.destinationType === "inPlace" ? local : `${local}-restored-${artifact.restoredNumber}`;
  return {
    restoredFolderId: deterministicGuid(`restored-folder/${found.directoryObjectId}/${folderName}`),
    restoredFolderName: folderName,
    // Granular restores bring back what the artifact search found; whole mailboxes a fixed number per mailbox.
    restoredItemCount: hits ?? 50 + (createHash("sha256").update(found.directoryObjectId).digest().readUInt16BE(0) % 450),
  };
};

/** Per workload, where its artifacts are restored. */
export const RESTORED_TARGETS: Record<WorkloadName, RestoredTarget> = { sharePoint: site, oneDrive: drive, exchange: mailbox };

function newSite(originalSiteId: string, name: string): RestoredValues {
  return {
    restoredSiteId: `${SHAREPOINT_HOST},${deterministicGuid(`restored/${originalSiteId}/${name}`)},${deterministicGuid(`restored-web/${originalSiteId}/${name}`)}`,
    restoredSiteName: name,
    restoredSiteWebUrl: `https://${SHAREPOINT_HOST}/sites/${name}`,
  };
}
