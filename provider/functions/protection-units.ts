/**
 * `getSiteProtectionUnits`, `getDriveProtectionUnits`, `getMailboxProtectionUnits` and their output
 * forms: the protected sites, OneDrives and mailboxes of the tenant, read in the program.
 */
import * as pulumi from "@pulumi/pulumi";
import { EXCHANGE, ONEDRIVE, SHAREPOINT, type Workload } from "../workloads/workloads";
import { lookup } from "./run";
import type {
  GetDriveProtectionUnitsArgs,
  GetDriveProtectionUnitsOutputArgs,
  GetDriveProtectionUnitsResult,
  GetMailboxProtectionUnitsArgs,
  GetMailboxProtectionUnitsOutputArgs,
  GetMailboxProtectionUnitsResult,
  GetSiteProtectionUnitsArgs,
  GetSiteProtectionUnitsOutputArgs,
  GetSiteProtectionUnitsResult,
  ProtectionUnitFilters,
} from "./types";

/**
 * The tenant's protected SharePoint sites (every page of `siteProtectionUnits`), optionally only one
 * policy's, one status, or URLs containing a text (`siteWebUrlContains` needs delegated sign-in:
 * Graph gives site URLs to signed-in users only). Needs `BackupRestore-Configuration.Read.All`.
 */
export function getSiteProtectionUnits(args: GetSiteProtectionUnitsArgs = {}): Promise<GetSiteProtectionUnitsResult> {
  return unitsOf(SHAREPOINT, "getSiteProtectionUnits", args);
}

/** `getSiteProtectionUnits` with arguments that may be Outputs; unknown while any of them is (during preview). */
export function getSiteProtectionUnitsOutput(args: GetSiteProtectionUnitsOutputArgs = {}): pulumi.Output<GetSiteProtectionUnitsResult> {
  return pulumi.output(args).apply((resolved) => getSiteProtectionUnits(resolved));
}

/**
 * The tenant's protected OneDrives (every page of `driveProtectionUnits`), optionally only one
 * policy's, one status, or emails containing a text. Needs `BackupRestore-Configuration.Read.All`.
 */
export function getDriveProtectionUnits(args: GetDriveProtectionUnitsArgs = {}): Promise<GetDriveProtectionUnitsResult> {
  return unitsOf(ONEDRIVE, "getDriveProtectionUnits", args);
}

/** `getDriveProtectionUnits` with arguments that may be Outputs; unknown while any of them is (during preview). */
export function getDriveProtectionUnitsOutput(args: GetDriveProtectionUnitsOutputArgs = {}): pulumi.Output<GetDriveProtectionUnitsResult> {
  return pulumi.output(args).apply((resolved) => getDriveProtectionUnits(resolved));
}

/**
 * The tenant's protected mailboxes (every page of `mailboxProtectionUnits`), optionally only one
 * policy's, one status, or emails containing a text. Needs `BackupRestore-Configuration.Read.All`.
 */
export function getMailboxProtectionUnits(args: GetMailboxProtectionUnitsArgs = {}): Promise<GetMailboxProtectionUnitsResult> {
  return unitsOf(EXCHANGE, "getMailboxProtectionUnits", args);
}

/** `getMailboxProtectionUnits` with arguments that may be Outputs; unknown while any of them is (during preview). */
export function getMailboxProtectionUnitsOutput(
  args: GetMailboxProtectionUnitsOutputArgs = {},
): pulumi.Output<GetMailboxProtectionUnitsResult> {
  return pulumi.output(args).apply((resolved) => getMailboxProtectionUnits(resolved));
}

// The three differ only in their workload; the result's fields are the ones Graph sends for it.
function unitsOf<R>(workload: Workload, fn: string, args: ProtectionUnitFilters): Promise<R> {
  return lookup(fn, args, async (graph, lookups) => ({
    protectionUnits: await lookups.listProtectionUnits(graph, workload, args as Record<string, unknown>, fn),
  })) as Promise<R>;
}
