/** Protection units: at the root (`<units>`, `protectionUnits/microsoft.graph.<type>`, `protectionUnits/{id}`) and under each policy. */
import { jsonResponse, routeWorkload, type RouteHandler } from "../context";
import { page } from "../paging";
import { liveUnitsOf, liveUnitsOfWorkload, type UnitAt } from "../tenant/units";
import { odataContext } from "../views/common";
import { unitView } from "../views/protection";
import type { RouteContext } from "../context";
import { policyFromPath, unitFromPath } from "./policy-lookup";

/** GET .../<units> and .../protectionUnits/microsoft.graph.<type>: every unit of the workload that is not removed. */
export const listUnits: RouteHandler = (request, context) => {
  const workload = routeWorkload(context);
  const units = liveUnitsOfWorkload(context.tenant, workload.name, context.nowMs);
  return jsonResponse(
    200,
    page(request, context, views(units, context), odataContext(context, `solutions/backupRestore/${workload.protectionUnit.collection}`)),
  );
};

/** GET .../<policies>/{policyId}/<units> */
export const listPolicyUnits: RouteHandler = (request, context) => {
  const workload = routeWorkload(context);
  const policy = policyFromPath(context);
  const fragment = `solutions/backupRestore/${workload.protectionPolicy.collection}('${policy.id}')/${workload.protectionUnit.collection}`;
  return jsonResponse(
    200,
    page(request, context, views(liveUnitsOf(context.tenant, policy, context.nowMs), context), odataContext(context, fragment)),
  );
};

/** GET .../<units>/{unitId}, .../protectionUnits/{unitId} and .../<policies>/{policyId}/<units>/{unitId} */
export const getUnit: RouteHandler = (_request, context) => {
  const policy = context.params.policyId === undefined ? undefined : policyFromPath(context);
  const { unit, status } = unitFromPath(context, policy);
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "solutions/backupRestore/protectionUnits/$entity"),
    ...unitView(unit, status, context.tenant.directory, context.delegated),
  });
};

function views(units: UnitAt[], context: RouteContext): Record<string, unknown>[] {
  return units.map(({ unit, status }) =>
    unitView(unit, status as Exclude<typeof status, "removed">, context.tenant.directory, context.delegated),
  );
}
