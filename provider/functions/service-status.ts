/** `getBackupServiceStatus` and its output form: whether Microsoft 365 Backup Storage is on in the tenant. */
import * as pulumi from "@pulumi/pulumi";
import { lookup } from "./run";
import type { BackupServiceStatus } from "./types";

/**
 * The tenant's Microsoft 365 Backup Storage status (`enabled`, `disabled`, `protectionChangeLocked`,
 * `restoreLocked`), why it is disabled, and until when. Needs `BackupRestore-Control.Read.All`.
 */
export function getBackupServiceStatus(): Promise<BackupServiceStatus> {
  return lookup("getBackupServiceStatus", {}, (graph, lookups) => lookups.readServiceStatus(graph, "getBackupServiceStatus"));
}

/** `getBackupServiceStatus` as an Output, for programs that combine it with other Outputs. */
export function getBackupServiceStatusOutput(): pulumi.Output<BackupServiceStatus> {
  return pulumi.output(getBackupServiceStatus());
}
