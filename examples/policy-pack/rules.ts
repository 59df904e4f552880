/**
 * The rules' logic as plain functions of what the policy host hands a pack: a resource's properties,
 * its provider's properties (for dynamic resources, the whole stack config), the stack's tags and
 * the environment. index.ts wires them into policies.
 */
import { DEFAULT_GRAPH_ENDPOINT, ENVIRONMENT_FALLBACKS, type RestoreSessionSettingsArgs } from "pulumi-m365-backup";
import type { Unwrap } from "@pulumi/pulumi";

/** A restore session's common settings, as the policy host shows them (inputs, resolved). */
export type SessionSettings = Unwrap<RestoreSessionSettingsArgs>;

/** Each policy's settings and their defaults (the CLI fills them from the schema; a pack run without the CLI still has them). */
export const DEFAULTS = {
  /** A change ticket for an in-place restore is this stack tag (`pulumi stack tag set change-ticket CHG0012345`). */
  ticketTag: "change-ticket",
  /** What a ticket looks like: ServiceNow `CHG0012345`, Jira `OPS-123`. */
  ticketPattern: "^(CHG\\d{7}|[A-Z][A-Z0-9]+-\\d+)$",
  /** Sites, OneDrives or mailboxes in one session, listed and bulk names together. */
  maxItems: 100,
  /** Units one update may take out of a protection policy. */
  maxUnitsRemoved: 10,
  /** The environment variable that names the branch a CI build runs for (GitHub Actions). */
  branchEnvVar: "GITHUB_REF_NAME",
  releaseBranches: ["main"],
};

/** How many objects a session restores: each listed artifact and each name of its bulk restore. */
export function itemCount(lists: (readonly unknown[] | undefined)[]): number {
  return lists.reduce<number>((sum, list) => sum + (Array.isArray(list) ? list.length : 0), 0);
}

/** Why an in-place restore is not authorized, or undefined when it is (or is not in place). */
export function inPlaceProblem(
  props: SessionSettings,
  stackTags: ReadonlyMap<string, string>,
  ticketTag: string,
  ticketPattern: string,
): string | undefined {
  if (props.destinationType !== "inPlace") return undefined;
  if (props.allowInPlaceRestore !== true) return "an in-place restore rolls production data back: set allowInPlaceRestore: true";
  if (props.drillId) return undefined;
  const ticket = stackTags.get(ticketTag);
  if (ticket !== undefined && new RegExp(ticketPattern).test(ticket)) return undefined;
  return ticket === undefined
    ? `an in-place restore needs a drillId or a change ticket: set the stack tag with \`pulumi stack tag set ${ticketTag} <ticket>\``
    : `the stack tag ${ticketTag} is ${JSON.stringify(ticket)}, which is not a change ticket (${ticketPattern})`;
}

/** What a drill is missing to wait for its restore and fail on errors, or [] when it is a proper drill (or no drill). */
export function drillProblems(props: SessionSettings): string[] {
  if (!props.drillId) return [];
  const problems: string[] = [];
  if (props.activate !== true) problems.push("activate: true (a drill that does not start restores nothing)");
  if (props.waitForCompletion === undefined || props.waitForCompletion === false)
    problems.push("waitForCompletion (true, or { timeoutMinutes })");
  if (props.failOn !== undefined && props.failOn !== "completedWithError") {
    problems.push(`failOn "completedWithError" (the default) instead of ${JSON.stringify(props.failOn)}`);
  }
  return problems;
}

/** Where a dynamic resource's provider signs in: the tenant and the Graph origin, from stack config, then the environment, as the provider reads them. */
export function target(
  providerProps: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv,
): { tenantId?: string; graphEndpoint: string } {
  const read = (key: string): string | undefined => {
    const configured = providerProps?.[`m365-backup:${key}`];
    if (typeof configured === "string" && configured.trim() !== "") return configured.trim();
    for (const variable of ENVIRONMENT_FALLBACKS[key] ?? []) {
      const value = env[variable]?.trim();
      if (value) return value;
    }
    return undefined;
  };
  const tenantId = read("tenantId");
  return { ...(tenantId !== undefined ? { tenantId } : {}), graphEndpoint: origin(read("graphEndpoint") ?? DEFAULT_GRAPH_ENDPOINT) };
}

/** A URL's origin, for comparing endpoints written with or without a trailing slash or in another case. */
export function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url.toLowerCase();
  }
}

/** The settings of the production rule. */
export interface ProductionSettings {
  productionTenantIds: string[];
  productionGraphEndpoints: string[];
  branchEnvVar: string;
  releaseBranches: string[];
}

/** Why a restore session may not run from this build, or undefined when it may. */
export function branchBuildProblem(
  settings: ProductionSettings,
  providerProps: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const branch = env[settings.branchEnvVar]?.trim();
  // Not a CI build (the variable is unset), or a build of a release branch.
  if (!branch || settings.releaseBranches.includes(branch)) return undefined;
  const { tenantId, graphEndpoint } = target(providerProps, env);
  const tenants = settings.productionTenantIds.map((id) => id.toLowerCase());
  const isProductionTenant = tenantId !== undefined && tenants.includes(tenantId.toLowerCase());
  const isProductionEndpoint = settings.productionGraphEndpoints.map(origin).includes(graphEndpoint);
  if (!isProductionTenant && !isProductionEndpoint) return undefined;
  const where = isProductionTenant ? `the production tenant ${tenantId}` : `the production Graph endpoint ${graphEndpoint}`;
  return (
    `restore sessions against ${where} run only from ${settings.releaseBranches.join(", ")}; ` +
    `this build is for ${JSON.stringify(branch)} (${settings.branchEnvVar})`
  );
}

/** A protection unit as a policy's stored outputs list it. */
export interface StoredUnit {
  id?: string;
  siteId?: string;
  directoryObjectId?: string;
  status?: string;
}

/** The units an update asked Graph to take out of a policy: those its stored outputs show as `removeRequested`. */
export function unitsBeingRemoved(units: readonly StoredUnit[] | undefined): string[] {
  return (units ?? [])
    .filter((unit) => unit.status === "removeRequested")
    .map((unit) => unit.siteId ?? unit.directoryObjectId ?? unit.id ?? "?");
}
