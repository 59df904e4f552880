/** How the finder CLI prints: aligned plain-text tables for people, JSON for scripts. */

/** A value as a table cell: text as is, nothing as `-`. */
function cell(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  return typeof value === "string" ? value.replace(/[\r\n\t]+/g, " ") : JSON.stringify(value);
}

/**
 * Rows as columns aligned with two spaces, headed by the field names (the same names `--json`
 * uses). Columns empty in every row are left out: site URLs, for instance, when Graph withholds them.
 */
export function formatTable(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const shown = columns.filter((column) => rows.some((row) => cell(row[column]) !== "-"));
  if (rows.length === 0 || shown.length === 0) return "(none)\n";
  const lines = [shown, ...rows.map((row) => shown.map((column) => cell(row[column])))];
  const widths = shown.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  return lines.map((line) => line.map((text, i) => (i === line.length - 1 ? text : text.padEnd(widths[i]!))).join("  ")).join("\n") + "\n";
}

/** Pretty JSON with a final newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
