/**
 * A DR drill across the three workloads a Microsoft 365 tenant backs up: sites, users' OneDrives and
 * mailboxes are restored to new locations, each at its newest restore point at or before the
 * drill's point in time, and the stack exports one report with the restore duration (RTO) and the
 * age of the restored data (RPO) per workload.
 *
 * Everything is named the way an application sign-in (a pipeline) can name it: sites by URL,
 * OneDrives and mailboxes by email, through bulk restores that the service resolves. Change
 * `drillId` (for example to the month) to run the drill again; nothing else re-runs a restore.
 */
import * as pulumi from "@pulumi/pulumi";
import { ExchangeRestoreSession, OneDriveRestoreSession, renderDrillReport, SharePointRestoreSession } from "pulumi-m365-backup";

const config = new pulumi.Config();
const pointInTime = config.get("pointInTime");
const window = pointInTime !== undefined ? { protectionTimePeriod: { endDateTime: pointInTime } } : {};
const drill = {
  destinationType: "new" as const,
  activate: true,
  waitForCompletion: { timeoutMinutes: config.getNumber("timeoutMinutes") ?? 240 },
  drillId: config.require("drillId"),
};

const sites = new SharePointRestoreSession("sites", {
  bulkRestore: { siteWebUrls: config.requireObject<string[]>("siteWebUrls"), restorePointPreference: "latest", ...window },
  ...drill,
});
const oneDrives = new OneDriveRestoreSession("onedrives", {
  bulkRestore: { drives: config.requireObject<string[]>("userEmails"), restorePointPreference: "latest", ...window },
  ...drill,
});
const mailboxes = new ExchangeRestoreSession("mailboxes", {
  bulkRestore: { mailboxes: config.requireObject<string[]>("mailboxEmails"), restorePointPreference: "latest", ...window },
  ...drill,
});

const sessions = [sites, oneDrives, mailboxes];

/** One Markdown document for the drill's record: an overview, then a section per workload. */
export const drillReport = pulumi
  .all(sessions.map((s) => s.drillReport))
  .apply((reports) => renderDrillReport(reports.filter(Boolean), "markdown"));
/** The same evidence as JSON, for tools. */
export const drillReportJson = pulumi
  .all(sessions.map((s) => s.drillReport))
  .apply((reports) => renderDrillReport(reports.filter(Boolean), "json"));
export const statuses = pulumi.all(sessions.map((s) => s.status));
