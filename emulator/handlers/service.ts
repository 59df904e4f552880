/**
 * The tenant's Backup Storage status: `GET /solutions/backupRestore`, and the rule that a status
 * other than `enabled` forbids writes. Which writes each status forbids, and the 403 codes, are not
 * documented: `disabled` forbids every write except restores until `restoreAllowedTillDateTime`
 * (our reading of the field's name), `protectionChangeLocked` forbids policy writes,
 * `restoreLocked` restore writes. The codes name the status: `BackupServiceDisabled`,
 * `ProtectionChangeLocked`, `RestoreLocked`.
 */
import { jsonResponse, type RouteHandler, type TenantState } from "../context";
import { GraphHttpError } from "../errors";
import { identitySet, odataContext } from "../views/common";

/** What a route writes, for the service-status rule. */
export type WriteKind = "restore" | "protection";

/** GET /solutions/backupRestore */
export const getServiceRoot: RouteHandler = (_request, context) => {
  const status = context.tenant.store.serviceStatus;
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "solutions/backupRestore/$entity"),
    serviceStatus: {
      status: status.status,
      disableReason: status.disableReason,
      gracePeriodDateTime: status.gracePeriodDateTime,
      restoreAllowedTillDateTime: status.restoreAllowedTillDateTime,
      lastModifiedBy: identitySet(status.lastModifiedBy),
      lastModifiedDateTime: status.lastModifiedDateTime,
    },
  });
};

/** Throws 403 when the service status forbids this kind of write now. */
export function checkServiceAllows(kind: WriteKind, tenant: TenantState, nowMs: number): void {
  const { status, restoreAllowedTillDateTime } = tenant.store.serviceStatus;
  if (status === "enabled") return;
  if (status === "disabled") {
    const restoresAllowed = kind === "restore" && restoreAllowedTillDateTime !== null && nowMs < Date.parse(restoreAllowedTillDateTime);
    if (!restoresAllowed)
      throw new GraphHttpError(403, "BackupServiceDisabled", "Microsoft 365 Backup Storage is disabled in this tenant.");
    return;
  }
  if (status === "protectionChangeLocked" && kind === "protection") {
    throw new GraphHttpError(403, "ProtectionChangeLocked", "Protection changes are locked in this tenant.");
  }
  if (status === "restoreLocked" && kind === "restore") {
    throw new GraphHttpError(403, "RestoreLocked", "Restores are locked in this tenant.");
  }
}
