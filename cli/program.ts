/**
 * The finder CLI's commands: list protection units, find restore points, show the service status,
 * print a ready artifacts block, and render the drill reports a stack's state holds. Each command reads its settings from the environment (the
 * variables the stack config falls back to), builds the same Graph client as the provider, and asks
 * through the same lookups as the program-side functions.
 */
import * as fs from "node:fs";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { ConfigurationError, ENVIRONMENT_FALLBACKS, resolveSettings } from "../provider/config";
import { LookupArgumentError } from "../provider/functions/lookup-argument-error";
import { findRestorePoints, isIsoTime, listProtectionUnits, nameFilterOf, readServiceStatus } from "../provider/functions/lookups";
import { createGraphClient, type GraphClient } from "../provider/graph";
import { renderDrillReport } from "../provider/report";
import { drillReportsFromState, type StoredResource } from "../provider/resources/stored-reports";
import { EXCHANGE, ONEDRIVE, SHAREPOINT, type Workload } from "../provider/workloads";
import { EXIT, NotFoundError, exitCodeOf } from "./exit-codes";
import { formatJson, formatTable } from "./output";
import { renderSnippet, type Found } from "./snippet";
import { TARGET_OPTIONS, resolveTargets, targetsOf, type ResolvedTarget } from "./targets";

/** Where the CLI writes; the process's streams unless a caller embeds it. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const SETTINGS_HELP = `
Settings come from environment variables, the same ones the provider reads after stack config:
  M365_BACKUP_GRAPH_ENDPOINT   Graph origin (default https://graph.microsoft.com)
  M365_BACKUP_ACCESS_TOKEN     a ready Graph token, or sign in with:
  ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET (or ARM_CLIENT_CERTIFICATE_PATH), ARM_USE_OIDC,
  ARM_USE_MSI, ARM_USE_CLI (AZURE_* names work too), or the Azure default credential chain.
  M365_BACKUP_DEBUG=true       log every Graph request to stderr

Exit codes: 0 done, 1 Graph or sign-in failed, 2 usage error, 3 bad setting, 4 not found
(a named site, user or mailbox is not protected or has no restore point in the window; for
drill-report, no restore session with a report in the state).`;

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    // commander has printed its own usage errors and help already.
    if (!isCommanderError(error)) io.stderr(`m365-backup: ${describe(error)}\n`);
    return code;
  }
}

function buildProgram(io: Io): Command {
  const program = new Command("m365-backup")
    .description("Find Microsoft 365 Backup Storage protection units and restore points, and check the service status.")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", SETTINGS_HELP);

  for (const workload of [SHAREPOINT, ONEDRIVE, EXCHANGE]) addListCommand(program, workload, io);

  addTargetOptions(program.command("restore-points"))
    .description("Find one restore point for each named site, OneDrive or mailbox (the newest in the window, or the oldest).")
    .option("--json", "print JSON instead of a table")
    .addHelpText("after", SETTINGS_HELP)
    .action(async (options: Record<string, unknown>) => {
      const { found, missing } = await findForTargets(graphFrom(io), options, "restore-points");
      const rows = [
        ...found.map(({ target, point }) => ({ ...targetFields(target), restorePoint: point })),
        ...missing.map((target) => ({ ...targetFields(target), restorePoint: null })),
      ];
      if (options.json === true) io.stdout(formatJson({ restorePoints: rows }));
      else
        io.stdout(
          formatTable(
            rows.map(({ restorePoint, ...row }) => ({ ...row, ...restorePoint, restorePointId: restorePoint?.id })),
            ["object", "given", "protectionUnitId", "restorePointId", "protectionDateTime", "expirationDateTime", "tags"],
          ),
        );
      reportMissing(missing, options);
    });

  program
    .command("status")
    .description("Show the tenant's Microsoft 365 Backup Storage status (enabled, disabled, protectionChangeLocked, restoreLocked).")
    .option("--json", "print JSON instead of a table")
    .addHelpText("after", SETTINGS_HELP)
    .action(async (options: { json?: boolean }) => {
      const status = await readServiceStatus(graphFrom(io), "m365-backup status");
      if (options.json === true) io.stdout(formatJson(status));
      else {
        const rows = Object.entries(status).map(([field, value]) => ({ field, value: typeof value === "string" ? value : who(value) }));
        io.stdout(formatTable(rows, ["field", "value"]));
      }
    });

  addTargetOptions(program.command("snippet"))
    .description(
      "Print a TypeScript module with a ready siteRestoreArtifacts / driveRestoreArtifacts / mailboxRestoreArtifacts array for the named objects.",
    )
    .addHelpText("after", SETTINGS_HELP)
    .action(async (options: Record<string, unknown>) => {
      const { found, missing } = await findForTargets(graphFrom(io), options, "snippet");
      reportMissing(missing, options);
      io.stdout(renderSnippet(found, choiceText(options)));
    });

  program
    .command("drill-report")
    .description(
      "Render the drill reports of the restore sessions in a stack's state (`pulumi stack export`), failed drills included; no Graph request.",
    )
    .argument("<state-file>", "the output of `pulumi stack export` (or the engine harness's state file)")
    .option("--json", "print JSON instead of Markdown")
    .action((file: string, options: { json?: boolean }) => {
      const reports = drillReportsFromState(storedResources(file));
      if (reports.length === 0) throw new NotFoundError(`${file}: no restore session with a drill report`);
      io.stdout(renderDrillReport(reports, options.json === true ? "json" : "markdown"));
    });

  return program;
}

/** The resources of a state file: `deployment.resources` of an export, or `resources` of the harness's state. */
function storedResources(file: string): StoredResource[] {
  let state: { deployment?: { resources?: unknown }; resources?: unknown };
  try {
    state = JSON.parse(fs.readFileSync(file, "utf8")) as typeof state;
  } catch (error) {
    throw new Error(`cannot read ${file} as a Pulumi state export: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const resources = state?.deployment?.resources ?? state?.resources;
  if (!Array.isArray(resources)) throw new Error(`${file} is not a Pulumi state export: it has no deployment.resources`);
  return resources as StoredResource[];
}

/** `sites`, `drives`, `mailboxes`: one workload's protection units, filtered. */
function addListCommand(program: Command, workload: Workload, io: Io): void {
  const { key, name, collection } = workload.protectionUnit;
  const command = { siteProtectionUnits: "sites", driveProtectionUnits: "drives", mailboxProtectionUnits: "mailboxes" }[collection];
  const nameOption = name === "siteWebUrl" ? "url-contains" : "email-contains";
  program
    .command(command)
    .description(`List the tenant's ${workload.title} protection units (every page), optionally filtered.`)
    .option("--policy <id>", "only the units of this protection policy")
    .option(
      "--status <status>",
      "only units with this status (protected, protectRequested, unprotectRequested, unprotected, removeRequested)",
    )
    .option(
      `--${nameOption} <text>`,
      name === "siteWebUrl"
        ? "only sites whose URL contains this text (Graph gives site URLs to signed-in users only)"
        : "only units whose email contains this text",
    )
    .option("--json", "print JSON instead of a table")
    .addHelpText("after", SETTINGS_HELP)
    .action(async (options: { policy?: string; status?: string; urlContains?: string; emailContains?: string; json?: boolean }) => {
      const contains = nameOption === "url-contains" ? options.urlContains : options.emailContains;
      const args = {
        ...(options.policy !== undefined ? { policyId: options.policy } : {}),
        ...(options.status !== undefined ? { status: options.status } : {}),
        ...(contains !== undefined ? { [nameFilterOf(workload)]: contains } : {}),
      };
      const protectionUnits = await listProtectionUnits(graphFrom(io), workload, args, `m365-backup ${command}`);
      if (options.json === true) io.stdout(formatJson({ protectionUnits }));
      else
        io.stdout(
          formatTable(protectionUnits as unknown as Record<string, unknown>[], [
            "id",
            key,
            name,
            "siteName",
            "displayName",
            "status",
            "policyId",
          ]),
        );
    });
}

/** `--site`, `--user`, `--mailbox` (each repeatable) and the window options. */
function addTargetOptions(command: Command): Command {
  for (const { flag, placeholder, workload } of TARGET_OPTIONS) {
    const { key, name } = workload.protectionUnit;
    command.option(`--${flag} <${placeholder}>`, `a ${workload.noun.one} by ${name}, ${key} or protection unit id (repeatable)`, collect);
  }
  return command
    .option("--before <time>", "only restore points taken at or before this time (ISO 8601; default now)", parseTime)
    .option("--after <time>", "only restore points taken at or after this time (ISO 8601)", parseTime)
    .option("--oldest", "the oldest restore point in the window instead of the newest")
    .option("--fast", "only fast-restore points");
}

/** Resolves the named objects and finds one restore point each, as `getRestorePoints` does. */
async function findForTargets(
  graph: GraphClient,
  options: Record<string, unknown>,
  command: string,
): Promise<{ found: Found[]; missing: ResolvedTarget[] }> {
  const targets = targetsOf(options);
  if (targets.length === 0) throw new LookupArgumentError("site", `m365-backup ${command} needs at least one --site, --user or --mailbox`);
  const resolved = await resolveTargets(graph, targets);
  const result = await findRestorePoints(
    graph,
    {
      protectionUnitIds: resolved.map((t) => t.unitId),
      ...(options.after !== undefined ? { startDateTime: options.after as string } : {}),
      ...(options.before !== undefined ? { endDateTime: options.before as string } : {}),
      restorePointPreference: options.oldest === true ? "oldest" : "latest",
      ...(options.fast === true ? { fastRestoreOnly: true } : {}),
    },
    `m365-backup ${command}`,
  );
  const byUnit = new Map(result.restorePoints.map((point) => [point.protectionUnitId.toLowerCase(), point]));
  const found: Found[] = [];
  const missing: ResolvedTarget[] = [];
  for (const target of resolved) {
    const point = byUnit.get(target.unitId.toLowerCase());
    if (point === undefined) missing.push(target);
    else found.push({ target, point });
  }
  return { found, missing };
}

function reportMissing(missing: readonly ResolvedTarget[], options: Record<string, unknown>): void {
  if (missing.length === 0) return;
  const tag = options.fast === true ? " fast-restore" : "";
  throw new NotFoundError(`${missing.map((t) => t.label).join(", ")}: no${tag} restore point ${windowText(options)}`);
}

/** The window as words: `at or after A and at or before B`. */
function windowText(options: Record<string, unknown>): string {
  const after = options.after !== undefined ? `at or after ${String(options.after)} and ` : "";
  return `${after}at or before ${options.before !== undefined ? String(options.before) : "now"}`;
}

/** How the snippet's points were chosen, for its header. */
function choiceText(options: Record<string, unknown>): string {
  const which = options.oldest === true ? "the oldest" : "the newest";
  const tag = options.fast === true ? " fast-restore" : "";
  return `for each object, ${which}${tag} restore point ${windowText(options)}`;
}

function targetFields(target: ResolvedTarget): { object: string; given: string; protectionUnitId: string } {
  return { object: target.workload.noun.one, given: target.given, protectionUnitId: target.unitId };
}

/** The Graph client from the environment; settings are read only when a command runs. */
function graphFrom(io: Io): GraphClient {
  const settings = resolveSettings({ get: () => undefined }, io.env);
  const log = (line: string) => io.stderr(`[m365-backup] ${line}\n`);
  return createGraphClient(settings, { log, logRequests: settings.debug === true });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** An ISO 8601 date and time with a zone, or a date (midnight UTC), as Graph takes it. */
function parseTime(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return `${value}T00:00:00Z`;
  if (isIsoTime(value)) return value;
  throw new InvalidArgumentError(`expected an ISO 8601 date and time with a zone, such as 2026-11-20T08:00:00Z, or a date`);
}

function who(value: unknown): string {
  const set = value as { application?: { displayName?: string }; user?: { displayName?: string } } | undefined;
  return set?.user?.displayName ?? set?.application?.displayName ?? JSON.stringify(value);
}

function describe(error: unknown): string {
  if (error instanceof ConfigurationError) {
    const variables = ENVIRONMENT_FALLBACKS[error.key] ?? [];
    const from = variables.length > 0 ? ` (environment: ${variables.join(" or ")})` : "";
    return `bad setting ${error.key}${from}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function isCommanderError(error: unknown): boolean {
  return error instanceof CommanderError;
}
