/** GET .../restorePoints/{id} (spec path, no docs page), with `$expand=protectionUnit` naming its unit. */
import { jsonResponse, type RouteHandler } from "../context";
import { GraphHttpError } from "../errors";
import { restorePointById } from "../tenant/units";
import { odataContext } from "../views/common";
import { restorePointView } from "../views/restore-points";

/**
 * Answers a restore point that exists now. An unknown or expired one is 404 `RestorePointNotFound`:
 * undocumented (no docs page for this call), named after the service's other `…NotFound` codes.
 */
export const getRestorePoint: RouteHandler = (_request, context) => {
  const point = restorePointById(context.tenant, context.params.restorePointId!, context.nowMs);
  if (!point) throw new GraphHttpError(404, "RestorePointNotFound", `Restore point '${context.params.restorePointId}' was not found.`);
  const expand = (context.query.get("$expand") ?? "").split(",").map((s) => s.trim().toLowerCase());
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "solutions/backupRestore/restorePoints/$entity"),
    ...restorePointView(point, expand.includes("protectionunit")),
  });
};
