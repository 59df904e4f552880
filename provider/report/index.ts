/**
 * The drill report: what a DR drill must prove (how long the restore took, how old the restored
 * data was, what happened to each site, OneDrive or mailbox), derived from a restore session's
 * outputs, and rendered for people (Markdown) or tools (JSON).
 *
 * Pure and dependency-free (no Graph, no engine, no zod), so the engine uses it to store the
 * summary and a Pulumi program uses it inside `apply` to render the per-item rows, which are not
 * stored twice.
 */

/** Why something failed (Graph `publicError`). */
export interface ReportError {
  code?: string;
  message?: string;
  /** What the error is about (for a bulk restore, the name that could not be resolved), when Graph says. */
  target?: string;
  /** Graph's inner errors: for a bulk restore, one per name it could not resolve. */
  details?: ReportError[];
}

/** The fields of one restored artifact a report reads. */
export interface ReportArtifact {
  restorePointId: string;
  siteWebUrl?: string;
  siteId?: string;
  directoryObjectId?: string;
  email?: string;
  /** "inPlace" or "new": an in-place restore's `restoredSiteWebUrl` is the site or OneDrive itself. */
  destinationType?: string;
  requestedPointInTime?: string;
  protectionDateTime?: string;
  status?: string;
  startDateTime?: string;
  completionDateTime?: string;
  restoredSiteWebUrl?: string;
  restoredFolderName?: string;
  error?: ReportError;
}

/** The stored part of a drill report: the session's evidence, without per-item rows. */
export interface DrillSummary {
  sessionId: string;
  /** "SharePoint", "OneDrive" or "Exchange". */
  workload: string;
  drillId?: string;
  status: string;
  /** When the provider activated the session (Graph does not record it). */
  activatedDateTime?: string;
  completedDateTime?: string;
  /** Activation to completion: the measured RTO. */
  restoreDurationSeconds?: number;
  /** The largest per-item data age: the RPO actually achieved. */
  worstDataAgeSeconds?: number;
  /** Items restored, failed, and not finished. */
  succeeded: number;
  failed: number;
  pending: number;
  /** A bulk restore's resolution problem (names Graph could not resolve), as Graph reports it. */
  unresolvedNames?: ReportError;
}

/** One site, OneDrive or mailbox in the drill report. */
export interface DrillReportItem {
  /** The site URL or id, or the user's or mailbox's email or id, as the program named it. */
  name: string;
  restorePointId: string;
  /** The point in time the drill asked for, if any. */
  requestedPointInTime?: string;
  /** When the restored data was backed up. */
  protectionDateTime?: string;
  /** Requested point in time (or activation) minus protection time: how old the restored data is. */
  dataAgeSeconds?: number;
  status?: string;
  /** Where it was restored: the new site's URL, or the mailbox folder's name. */
  restoredTo?: string;
  startDateTime?: string;
  completionDateTime?: string;
  /** Start to completion of this item's restore. */
  durationSeconds?: number;
  error?: ReportError;
}

/** The evidence a DR drill leaves: the summary and one row per restored item. */
export interface DrillReport extends DrillSummary {
  items: DrillReportItem[];
}

/** The formats `renderDrillReport` writes. */
export type DrillReportFormat = "markdown" | "json";

/** One row per artifact, in the order the session lists them. */
export function drillReportItems(artifacts: readonly ReportArtifact[], activatedDateTime: string | undefined): DrillReportItem[] {
  return artifacts.map((a) => ({
    name: nameOf(a),
    restorePointId: a.restorePointId,
    requestedPointInTime: a.requestedPointInTime,
    protectionDateTime: a.protectionDateTime,
    dataAgeSeconds: secondsBetween(a.protectionDateTime, a.requestedPointInTime ?? activatedDateTime),
    status: a.status,
    restoredTo: a.restoredSiteWebUrl ?? a.restoredFolderName,
    startDateTime: a.startDateTime,
    completionDateTime: a.completionDateTime,
    durationSeconds: secondsBetween(a.startDateTime, a.completionDateTime),
    error: a.error,
  }));
}

/**
 * How a row is named: as the program named the item; for a bulk restore (whose items the service
 * adds, unnamed), in place, by the site or OneDrive it restored; else by its restore point.
 */
function nameOf(a: ReportArtifact): string {
  const named = a.siteWebUrl ?? a.email ?? a.siteId ?? a.directoryObjectId;
  const inPlace = a.destinationType === "inPlace" ? a.restoredSiteWebUrl : undefined;
  return named ?? inPlace ?? `restore point ${a.restorePointId}`;
}

/** The summary a session's state stores: timings, the worst data age, and counts. */
export function drillSummary(
  session: Omit<DrillSummary, "restoreDurationSeconds" | "worstDataAgeSeconds" | "succeeded" | "failed" | "pending">,
  artifacts: readonly ReportArtifact[],
): DrillSummary {
  const ages = drillReportItems(artifacts, session.activatedDateTime).flatMap((item) =>
    item.dataAgeSeconds === undefined ? [] : [item.dataAgeSeconds],
  );
  return {
    ...session,
    restoreDurationSeconds: secondsBetween(session.activatedDateTime, session.completedDateTime),
    worstDataAgeSeconds: ages.length > 0 ? Math.max(...ages) : undefined,
    succeeded: artifacts.filter((a) => a.status === "succeeded").length,
    failed: artifacts.filter((a) => a.status === "failed").length,
    pending: artifacts.filter((a) => a.status !== "succeeded" && a.status !== "failed").length,
  };
}

/** The full report of one session: its stored summary plus a row per artifact. */
export function drillReport(summary: DrillSummary, artifacts: readonly ReportArtifact[]): DrillReport {
  return { ...summary, items: drillReportItems(artifacts, summary.activatedDateTime) };
}

/** Row headings per workload: a SharePoint drill lists sites, OneDrive users, Exchange mailboxes. */
const ITEM_HEADING: Record<string, string> = { SharePoint: "Site", OneDrive: "User", Exchange: "Mailbox" };

/**
 * Renders one report, or several as one document (a drill across workloads), as Markdown or as
 * indented JSON.
 */
export function renderDrillReport(reports: DrillReport | readonly DrillReport[], format: DrillReportFormat): string {
  const list = Array.isArray(reports) ? (reports as readonly DrillReport[]) : [reports as DrillReport];
  if (format === "json") return `${JSON.stringify(Array.isArray(reports) ? list : list[0], null, 2)}\n`;
  if (format !== "markdown") throw new RangeError(`unknown drill report format ${JSON.stringify(format)}; use "markdown" or "json"`);
  const drillIds = [...new Set(list.map((r) => r.drillId).filter((id): id is string => id !== undefined))];
  const lines = [`# DR drill report${drillIds.length > 0 ? `: ${drillIds.map(cell).join(", ")}` : ""}`];
  if (list.length > 1) lines.push("", ...overview(list));
  for (const report of list) lines.push("", ...section(report, list.length > 1));
  return `${lines.join("\n")}\n`;
}

function overview(reports: readonly DrillReport[]): string[] {
  return [
    "| Workload | Restore session | Status | Restore duration (RTO) | Worst data age (RPO) | Succeeded | Failed |",
    "|---|---|---|---|---|---|---|",
    ...reports.map(
      (r) =>
        `| ${cell(r.workload)} | ${cell(r.sessionId)} | ${cell(r.status)} | ${duration(r.restoreDurationSeconds)} | ${duration(r.worstDataAgeSeconds)} | ${r.succeeded} | ${r.failed} |`,
    ),
  ];
}

function section(report: DrillReport, titled: boolean): string[] {
  const heading = ITEM_HEADING[report.workload] ?? "Item";
  return [
    ...(titled ? [`## ${cell(report.workload)}`, ""] : []),
    "| | |",
    "|---|---|",
    `| Workload | ${cell(report.workload)} |`,
    `| Restore session | ${cell(report.sessionId)} |`,
    `| Status | ${cell(report.status)} |`,
    `| Activated | ${cell(report.activatedDateTime)} |`,
    `| Completed | ${cell(report.completedDateTime)} |`,
    `| Restore duration (RTO) | ${duration(report.restoreDurationSeconds)} |`,
    `| Worst data age (RPO) | ${duration(report.worstDataAgeSeconds)} |`,
    `| Succeeded / failed / pending | ${report.succeeded} / ${report.failed} / ${report.pending} |`,
    ...(report.unresolvedNames !== undefined ? [`| Names not resolved | ${cell(namesText(report.unresolvedNames))} |`] : []),
    "",
    `| ${heading} | Restore point | Protected at | Data age | Status | Restored to | Duration | Error |`,
    "|---|---|---|---|---|---|---|---|",
    ...report.items.map(itemRow),
  ];
}

function itemRow(item: DrillReportItem): string {
  const cells = [
    item.name,
    item.restorePointId,
    item.protectionDateTime,
    duration(item.dataAgeSeconds),
    item.status,
    item.restoredTo,
    duration(item.durationSeconds),
    item.error ? errorText(item.error) : undefined,
  ];
  return `| ${cells.map(cell).join(" | ")} |`;
}

function errorText(error: ReportError): string {
  return [error.code, error.message].filter(Boolean).join(": ");
}

/** A bulk restore's resolution error with the names it lists, which are the evidence a reader needs. */
function namesText(error: ReportError): string {
  const names = (error.details ?? []).map((detail) => detail.target ?? detail.message).filter(Boolean);
  return names.length > 0 ? `${errorText(error)} (${names.join(", ")})` : errorText(error);
}

/** Table cells cannot hold pipes or line breaks; unknown values show as a dash. */
function cell(value: string | undefined): string {
  if (value === undefined || value === "") return "–";
  return value.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** `1h 02m 05s`, `4m 00s`, `12s`; a dash when unknown. */
export function duration(totalSeconds: number | undefined): string {
  if (totalSeconds === undefined) return "–";
  const sign = totalSeconds < 0 ? "-" : "";
  let rest = Math.abs(Math.round(totalSeconds));
  const days = Math.floor(rest / 86_400);
  rest %= 86_400;
  const hours = Math.floor(rest / 3600);
  rest %= 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (days > 0) return `${sign}${days}d ${pad(hours)}h ${pad(minutes)}m`;
  if (hours > 0) return `${sign}${hours}h ${pad(minutes)}m ${pad(seconds)}s`;
  if (minutes > 0) return `${sign}${minutes}m ${pad(seconds)}s`;
  return `${sign}${seconds}s`;
}

/** Whole seconds from `from` to `to`, or undefined when either is unknown. */
export function secondsBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isNaN(ms) ? undefined : Math.round(ms / 1000);
}
