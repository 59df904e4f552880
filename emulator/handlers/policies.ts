/** Protection policies: the three collections and the generic `protectionPolicies`. */
import { jsonResponse, type RouteHandler } from "../context";
import { page } from "../paging";
import { statusOfPolicy } from "../tenant/units";
import { odataContext } from "../views/common";
import { policyView } from "../views/protection";
import { policyFromPath } from "./policy-lookup";

/** GET .../<policies> and .../protectionPolicies */
export const listPolicies: RouteHandler = (request, context) => {
  const policies = context.tenant.store
    .listPolicies()
    .filter((p) => p.deletedDateTime === undefined && (!context.workload || p.workload === context.workload.name));
  const collection = context.workload?.protectionPolicy.collection ?? "protectionPolicies";
  const views = policies.map((p) => policyView(p, statusOfPolicy(context.tenant, p, context.nowMs)));
  return jsonResponse(200, page(request, context, views, odataContext(context, `solutions/backupRestore/${collection}`)));
};

/** GET .../<policies>/{policyId} and .../protectionPolicies/{policyId} */
export const getPolicy: RouteHandler = (_request, context) => {
  const policy = policyFromPath(context);
  return jsonResponse(200, {
    "@odata.context": odataContext(context, "solutions/backupRestore/protectionPolicies/$entity"),
    ...policyView(policy, statusOfPolicy(context.tenant, policy, context.nowMs)),
  });
};
