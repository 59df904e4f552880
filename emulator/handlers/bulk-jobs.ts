/**
 * Protection-unit bulk addition jobs (`<site|drive|mailbox>ProtectionUnitsBulkAdditionJobs`) under
 * each policy: create, list, get. Names (URLs, emails) and ids are resolved at creation by index;
 * the job reports `active` for 15 minutes, then `completed`, or `completedWithErrors` listing what it
 * could not add.
 */
import { LIMITS } from "../../provider/workloads";
import { jsonResponse, routeWorkload, type RouteContext, type RouteHandler } from "../context";
import { GraphHttpError } from "../errors";
import { isGuid, newGuid } from "../ids";
import { page } from "../paging";
import type { StoredBulkJob, StoredIssue } from "../store";
import { jobStatus } from "../tenant/protection";
import { protectObject } from "../tenant/protect";
import { statusOfUnit } from "../tenant/units";
import { odataContext } from "../views/common";
import { JOB_IDS, bulkJobView } from "../views/protection";
import { policyFromPath } from "./policy-lookup";

/** How the service says a name was not found, by kind of name (the two detail codes the job pages show). */
const NOT_FOUND = {
  url: (name: string) => ({ code: "SiteUrlNotFound", message: `Site Url '${name}' could not be resolved`, target: name }),
  email: (name: string) => ({ code: "EmailNotFound", message: `Email address '${name}' not found in directory`, target: name }),
};

/** POST .../<policies>/{policyId}/<jobs> */
export const createBulkJob: RouteHandler = (_request, context) => {
  const workload = routeWorkload(context);
  const policy = policyFromPath(context);
  const { bulkJobNames } = workload.protectionPolicy;
  const body = (context.body ?? {}) as Record<string, unknown>;
  const names = stringList(body[bulkJobNames], bulkJobNames);
  const ids = stringList(body[JOB_IDS[bulkJobNames]], JOB_IDS[bulkJobNames]);
  if (names.length + ids.length === 0) throw new GraphHttpError(400, "InvalidCreateRequest", `Give at least one entry in ${bulkJobNames}.`);
  if (names.length + ids.length > LIMITS.namesPerBulkJob) {
    throw new GraphHttpError(
      413,
      "ProtectionUnitsLimitBreached",
      `A bulk job can name at most ${LIMITS.namesPerBulkJob} ${workload.noun.many}.`,
    );
  }
  const { directory } = context.tenant;
  const issues: StoredIssue[] = [];
  const requested = [
    ...names.map((name) => ({
      asked: name,
      object: directory.byObjectName(workload.name, name),
      notFound: NOT_FOUND[workload.protectionUnit.nameKind](name),
    })),
    ...ids.map((id) => ({
      asked: id,
      object: directory.byObjectKey(workload.name, id),
      notFound: { code: "InvalidProtectionUnitId", message: `'${id}' is not a ${workload.protectionUnit.key} of this tenant`, target: id },
    })),
  ];
  for (const { asked, object, notFound } of requested) {
    if (!object) {
      issues.push(notFound);
      continue;
    }
    const outcome = protectObject(context.tenant, policy, object, { by: context.caller, nowMs: context.nowMs });
    if (!("conflict" in outcome)) continue;
    // Already in this policy is done; being removed from it is not (the object ends up unprotected), as PATCH refuses it too.
    const leaving = statusOfUnit(context.tenant, outcome.conflict, context.nowMs) === "removeRequested";
    if (outcome.conflict.policyId !== policy.id || leaving) {
      issues.push({
        code: "ProtectionUnitAlreadyExists",
        message: leaving
          ? `'${asked}' is being removed from this policy; add it again once that is done`
          : `'${asked}' is already protected under policy ${outcome.conflict.policyId}`,
        target: asked,
      });
    }
  }
  const job: StoredBulkJob = {
    id: newGuid(),
    workload: workload.name,
    policyId: policy.id,
    displayName: typeof body.displayName === "string" ? body.displayName : undefined,
    names,
    ids,
    createdDateTime: new Date(context.nowMs).toISOString(),
    createdBy: context.caller,
    createdMs: context.nowMs,
    issues,
  };
  policy.bulkJobs.push(job);
  return jsonResponse(201, { "@odata.context": entityContext(context), ...bulkJobView(job, "active", false) });
};

/** GET .../<policies>/{policyId}/<jobs> (without names and ids, as documented) */
export const listBulkJobs: RouteHandler = (request, context) => {
  const workload = routeWorkload(context);
  const policy = policyFromPath(context);
  const views = policy.bulkJobs.map((job) => bulkJobView(job, jobStatus(job, context.nowMs), true));
  const fragment = `solutions/backupRestore/${workload.protectionPolicy.collection}('${policy.id}')/${workload.protectionPolicy.bulkJobs}`;
  return jsonResponse(200, page(request, context, views, odataContext(context, fragment)));
};

/** GET .../<policies>/{policyId}/<jobs>/{jobId}: 400 for a malformed id, 404 for an unknown one (codes not documented; named like the others). */
export const getBulkJob: RouteHandler = (_request, context) => {
  const policy = policyFromPath(context);
  const id = context.params.jobId!;
  if (!isGuid(id)) throw new GraphHttpError(400, "InvalidBulkJobId", `'${id}' is not a valid bulk job id.`);
  const job = policy.bulkJobs.find((j) => j.id === id.toLowerCase());
  if (!job) throw new GraphHttpError(404, "BulkJobNotFound", `Bulk addition job '${id}' was not found.`);
  return jsonResponse(200, { "@odata.context": entityContext(context), ...bulkJobView(job, jobStatus(job, context.nowMs), false) });
};

function stringList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    throw new GraphHttpError(400, "InvalidCreateRequest", `${name} must be a list of strings.`);
  return value as string[];
}

function entityContext(context: RouteContext): string {
  return odataContext(context, `solutions/backupRestore/${routeWorkload(context).protectionPolicy.bulkJobs}/$entity`);
}
