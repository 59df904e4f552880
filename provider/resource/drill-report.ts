/**
 * Program side: renders the `drillReport` output for people (Markdown) or tools (JSON). Pure: no
 * Graph, no engine, no zod, so it runs inside `apply` in any Pulumi program.
 */
import type { DrillReport, DrillReportSite } from "./outputs";

/** The formats `renderDrillReport` writes. */
export type DrillReportFormat = "markdown" | "json";

/** Renders a drill report as a Markdown document or as indented JSON. */
export function renderDrillReport(report: DrillReport, format: DrillReportFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  if (format !== "markdown") throw new RangeError(`unknown drill report format ${JSON.stringify(format)}; use "markdown" or "json"`);
  const lines = [
    `# DR drill report${report.drillId !== undefined ? `: ${cell(report.drillId)}` : ""}`,
    "",
    "| | |",
    "|---|---|",
    `| Restore session | ${cell(report.sessionId)} |`,
    `| Status | ${cell(report.status)} |`,
    `| Activated | ${cell(report.activatedDateTime)} |`,
    `| Completed | ${cell(report.completedDateTime)} |`,
    `| Restore duration (RTO) | ${duration(report.restoreDurationSeconds)} |`,
    `| Worst data age (RPO) | ${duration(report.worstDataAgeSeconds)} |`,
    "",
    "| Site | Restore point | Protected at | Data age | Status | Restored to | Duration | Error |",
    "|---|---|---|---|---|---|---|---|",
    ...report.sites.map(siteRow),
  ];
  return `${lines.join("\n")}\n`;
}

function siteRow(site: DrillReportSite): string {
  const name = site.siteWebUrl ?? site.siteId ?? "";
  const error = site.error ? [site.error.code, site.error.message].filter(Boolean).join(": ") : undefined;
  const cells = [
    name,
    site.restorePointId,
    site.protectionDateTime,
    duration(site.dataAgeSeconds),
    site.status,
    site.restoredSiteWebUrl,
    duration(site.durationSeconds),
    error,
  ];
  return `| ${cells.map(cell).join(" | ")} |`;
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
