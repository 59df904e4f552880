/**
 * What Microsoft's docs show each call returning: per route of the emulator, the properties of the
 * response example on its docs page (repo microsoftgraph/microsoft-graph-docs-contrib, path@commit),
 * as a tree. Every example of these pages is marked "truncated"; where the emulator returns a
 * property the example leaves out, the entry names the resource page that lists it (`resource`).
 * OData control information is allowed on every answer: `@odata.context` (every page's example but
 * the artifact lists shows it) and, on collections, `@odata.nextLink` (concepts/paging.md).
 */
import { WORKLOADS, type Workload } from "../../provider/workloads";

/** A documented shape: `true` for any value, an object of allowed properties, or `[item]` for a list. */
export type Shape = true | { [property: string]: Shape } | [Shape];

/** One call's documented answer. */
export interface Documented {
  /** Docs page of the call, `path@commit`; "none" when the docs have no page for it. */
  page: string;
  /** Resource pages used for properties a truncated example leaves out, and which properties. */
  resource?: Record<string, string[]>;
  shape: Shape;
}

const API = "api-reference/v1.0/api";
const RES = "api-reference/v1.0/resources";
const ROOT = "/solutions/backupRestore";

/** identitySet as the examples show it (application, user), `device` from identityset.md. */
const identitySet: Shape = {
  application: { id: true, displayName: true },
  user: { id: true, displayName: true, email: true, identity: true },
  device: { id: true, displayName: true },
};
/** publicError, from publicerror.md. */
const publicError: Shape = {
  code: true,
  message: true,
  target: true,
  details: [{ code: true, message: true, target: true }],
  innerError: true,
};
const collection = (item: Shape): Shape => ({ "@odata.context": true, "@odata.nextLink": true, "@odata.id": true, value: [item] });
const entity = (shape: Record<string, Shape>): Shape => ({ "@odata.context": true, "@odata.id": true, ...shape });

/** A restore session, as the create, get, list and activate examples show it. */
const session: Record<string, Shape> = {
  "@odata.type": true,
  id: true,
  status: true,
  restoreJobType: true,
  restoreSessionArtifactCount: { total: true, completed: true, inProgress: true, failed: true },
  createdBy: identitySet,
  createdDateTime: true,
  lastModifiedBy: identitySet,
  lastModifiedDateTime: true,
  error: publicError,
  completedDateTime: true,
};
const SESSION_RESOURCE = { [`${RES}/restoresessionbase.md@0553f9f`]: ["completedDateTime", "error"] };

/** A restore artifact as the list examples show it, with the workload's restored fields. */
function artifact(workload: Workload): Record<string, Shape> {
  return {
    id: true,
    destinationType: true,
    status: true,
    startDateTime: true,
    completionDateTime: true,
    ...Object.fromEntries(workload.restoreSession.restoredFields.map((field) => [field, true])),
    restorePoint: { id: true, protectionDateTime: true, expirationDateTime: true },
    error: publicError,
  };
}
const ARTIFACT_RESOURCE = { [`${RES}/restoreartifactbase.md@210ae31`]: ["error"] };

/** A restore bulk addition request as the create and get examples show it. */
function bulkRequest(workload: Workload, withNames: boolean): Record<string, Shape> {
  return {
    id: true,
    destinationType: true,
    tags: true,
    restorePointPreference: true,
    displayName: true,
    status: true,
    createdDateTime: true,
    lastModifiedDateTime: true,
    ...(withNames ? { [workload.restoreSession.bulkNames]: true } : {}),
    protectionTimePeriod: { startDateTime: true, endDateTime: true },
    createdBy: identitySet,
    lastModifiedBy: identitySet,
    error: publicError,
  };
}

/** A restore point; its `protectionUnit` as the search and list examples show it (key per workload: resource pages). */
const restorePoint: Record<string, Shape> = {
  "@odata.type": true,
  id: true,
  protectionDateTime: true,
  expirationDateTime: true,
  tags: true,
  protectionUnit: { "@odata.type": true, id: true, siteId: true, directoryObjectId: true, policyId: true },
};

/** A protection unit of a workload as the list and get examples show it: its key and names (`siteName`, `siteWebUrl`; `displayName`, `email`). */
const unit = (workload: Workload): Record<string, Shape> => ({
  "@odata.type": true,
  id: true,
  [workload.protectionUnit.key]: true,
  ...(workload.protectionUnit.key === "siteId" ? { siteName: true, siteWebUrl: true } : { displayName: true, email: true }),
  policyId: true,
  status: true,
  protectionSources: true,
  createdBy: identitySet,
  createdDateTime: true,
  lastModifiedBy: identitySet,
  lastModifiedDateTime: true,
  error: publicError,
  offboardRequestedDateTime: true,
});
/** A unit of any workload, for the generic protectionUnits/{id}. */
const anyUnit: Record<string, Shape> = Object.assign({}, ...WORKLOADS.map(unit));

/** A protection policy as the get and list examples show it. */
const policy: Record<string, Shape> = {
  "@odata.type": true,
  id: true,
  displayName: true,
  status: true,
  createdBy: identitySet,
  createdDateTime: true,
  lastModifiedBy: identitySet,
  lastModifiedDateTime: true,
  retentionSettings: [{ interval: true, period: true }],
};

/** An inclusion rule of a workload, as the rule pages show it; `error` from protectionrulebase.md. */
const rule = (workload: Workload): Record<string, Shape> => ({
  "@odata.type": true,
  id: true,
  status: true,
  createdBy: identitySet,
  createdDateTime: true,
  lastModifiedBy: identitySet,
  lastModifiedDateTime: true,
  isAutoApplyEnabled: true,
  [workload.protectionPolicy.ruleExpression]: true,
  error: publicError,
});
const RULE_RESOURCE = { [`${RES}/protectionrulebase.md@74c6a6f`]: ["error"] };

/** A protection-unit bulk addition job, as the job pages show it (names and ids on create and get). */
const bulkJob = (workload: Workload, withNames: boolean): Record<string, Shape> => ({
  "@odata.type": true,
  id: true,
  displayName: true,
  status: true,
  ...(withNames
    ? {
        [workload.protectionPolicy.bulkJobNames]: true,
        [workload.protectionUnit.key === "siteId" ? "siteIds" : "directoryObjectIds"]: true,
      }
    : {}),
  createdBy: identitySet,
  createdDateTime: true,
  lastModifiedBy: identitySet,
  lastModifiedDateTime: true,
  error: publicError,
});

/** Per workload, the docs pages of its calls. */
const PAGES: Record<string, Record<string, string>> = {
  sharePoint: {
    create: `${API}/backuprestoreroot-post-sharepointrestoresessions.md@41f4f85`,
    update: `${API}/sharepointrestoresession-update.md@532697a`,
    artifacts: `${API}/sharepointrestoresession-list-siterestoreartifacts.md@0c5dfd2`,
    bulkCreate: `${API}/sharepointrestoresession-post-siterestoreartifactsbulkadditionrequests.md@41f4f85`,
    bulkList: `${API}/sharepointrestoresession-list-siterestoreartifactsbulkadditionrequests.md@51e7376`,
    bulkGet: `${API}/siterestoreartifactsbulkadditionrequest-get.md@e4afd42`,
    units: `${API}/backuprestoreroot-list-siteprotectionunits.md@41f4f85`,
    policyCreate: `${API}/backuprestoreroot-post-sharepointprotectionpolicies.md@293254b`,
    policyUpdate: `${API}/sharepointprotectionpolicy-update.md@74c6a6f`,
    ruleList: `${API}/sharepointprotectionpolicy-list-siteinclusionrules.md@293254b`,
    jobCreate: `${API}/siteprotectionunitsbulkadditionjobs-post.md@41f4f85`,
    jobList: `${API}/sharepointprotectionpolicy-list-siteprotectionunitsbulkadditionjobs.md@e4afd42`,
    jobGet: `${API}/siteprotectionunitsbulkadditionjobs-get.md@86eb8f1`,
  },
  oneDrive: {
    create: `${API}/backuprestoreroot-post-onedriveforbusinessrestoresessions.md@532697a`,
    update: `${API}/onedriveforbusinessrestoresession-update.md@293254b`,
    artifacts: `${API}/onedriveforbusinessrestoresession-list-driverestoreartifacts.md@67c2daa`,
    bulkCreate: `${API}/onedriveforbusinessrestoresession-post-driverestoreartifactsbulkadditionrequests.md@74c6a6f`,
    bulkList: `${API}/onedriveforbusinessrestoresession-list-driverestoreartifactsbulkadditionrequests.md@f024c79`,
    bulkGet: `${API}/driverestoreartifactsbulkadditionrequest-get.md@e4afd42`,
    units: `${API}/backuprestoreroot-list-driveprotectionunits.md@8624c58`,
    policyCreate: `${API}/backuprestoreroot-post-onedriveforbusinessprotectionpolicies.md@532697a`,
    policyUpdate: `${API}/onedriveforbusinessprotectionpolicy-update.md@74c6a6f`,
    ruleList: `${API}/onedriveforbusinessprotectionpolicy-list-driveinclusionrules.md`,
    jobCreate: `${API}/driveprotectionunitsbulkadditionjobs-post.md@cbf64b1`,
    jobList: `${API}/onedriveforbusinessprotectionpolicy-list-driveprotectionunitsbulkadditionjobs.md@41f4f85`,
    jobGet: `${API}/driveprotectionunitsbulkadditionjobs-get.md`,
  },
  exchange: {
    create: `${API}/backuprestoreroot-post-exchangerestoresessions.md@293254b`,
    update: `${API}/exchangerestoresession-update.md@64e5582`,
    artifacts: `${API}/exchangerestoresession-list-mailboxrestoreartifacts.md@4af5fcd`,
    bulkCreate: `${API}/exchangerestoresession-post-mailboxrestoreartifactsbulkadditionrequests.md@64e5582`,
    bulkList: `${API}/exchangerestoresession-list-mailboxrestoreartifactsbulkadditionrequests.md@41f4f85`,
    bulkGet: `${API}/mailboxrestoreartifactsbulkadditionrequest-get.md@41f4f85`,
    units: `${API}/backuprestoreroot-list-mailboxprotectionunits.md@293254b`,
    policyCreate: `${API}/backuprestoreroot-post-exchangeprotectionpolicies.md@b28c1df`,
    policyUpdate: `${API}/exchangeprotectionpolicy-update.md@4af5fcd`,
    ruleList: `${API}/exchangeprotectionpolicy-list-mailboxinclusionrules.md`,
    jobCreate: `${API}/mailboxprotectionunitsbulkadditionjobs-post.md@527b20e`,
    jobList: `${API}/exchangeprotectionpolicy-list-mailboxprotectionunitsbulkadditionjobs.md`,
    jobGet: `${API}/mailboxprotectionunitsbulkadditionjobs-get.md`,
  },
};
const SESSION_GET = `${API}/restoresessionbase-get.md@7dc60b5`;
const SESSION_LIST = `${API}/backuprestoreroot-list-restoresessions.md@74c6a6f`;
const UNIT_GET = `${API}/protectionunitbase-get.md@18cabf8`;
const POLICY_LIST = `${API}/backuprestoreroot-list-protectionpolicies.md@67c2daa`;
const POLICY_GET = `${API}/protectionpolicybase-get.md@e098e71`;
const NO_CONTENT = { page: "", shape: {} };
const RULE_POST = `${API}/protectionrulebase-post.md@395b459`;
const RULE_GET = `${API}/protectionrulebase-get.md@9755cfd`;
const RULE_UPDATE = `${API}/protectionrulebase-update.md@41f4f85`;
const RULE_DELETE = `${API}/protectionrulebase-delete.md@9755cfd`;
const RULE_RUN = `${API}/protectionrulebase-run.md@b28c1df`;
const RULE_UNPROTECT = `${API}/protectionrulebase-deleteandunprotect.md@5579077`;

function workloadCalls(workload: Workload): Record<string, Documented> {
  const pages = PAGES[workload.name]!;
  const { collection: sessions, artifacts, granularArtifacts, bulkRequests } = workload.restoreSession;
  const base = `${ROOT}/${sessions}`;
  const bulk = `${base}/{id}/${bulkRequests}`;
  const units = `${ROOT}/${workload.protectionUnit.collection}`;
  const policies = `${ROOT}/${workload.protectionPolicy.collection}`;
  const type = workload.protectionUnit.odataType.replace(/^#microsoft\.graph\./, "");
  const calls: Record<string, Documented> = {
    [`POST ${base}`]: { page: pages.create!, resource: SESSION_RESOURCE, shape: entity(session) },
    [`GET ${base}`]: { page: SESSION_LIST, resource: SESSION_RESOURCE, shape: collection(session) },
    [`GET ${base}/{id}`]: { page: SESSION_GET, resource: SESSION_RESOURCE, shape: entity(session) },
    [`PATCH ${base}/{id}`]: {
      page: pages.update!,
      shape: {
        [`${artifacts}@delta`]: [
          {
            id: true,
            restorePoint: { id: true },
            destinationType: true,
            status: true,
            createdDateTime: true,
            "@contentId": true,
            "@Core.DataModificationException": { info: { code: true, message: true }, failedOperation: true, responseCode: true },
          },
        ],
      },
    },
    [`DELETE ${base}/{id}`]: { ...NO_CONTENT, page: `${API}/restoresessionbase-delete.md@532697a` },
    [`GET ${base}/{id}/${artifacts}`]: { page: pages.artifacts!, resource: ARTIFACT_RESOURCE, shape: collection(artifact(workload)) },
    [`POST ${bulk}`]: { page: pages.bulkCreate!, resource: bulkResource(workload), shape: entity(bulkRequest(workload, true)) },
    [`GET ${bulk}`]: { page: pages.bulkList!, resource: bulkResource(workload), shape: collection(bulkRequest(workload, false)) },
    [`GET ${bulk}/{requestId}`]: { page: pages.bulkGet!, resource: bulkResource(workload), shape: entity(bulkRequest(workload, true)) },
    [`DELETE ${bulk}/{requestId}`]: { ...NO_CONTENT, page: `${API}/${singular(bulkRequests)}-delete.md` },
    [`GET ${units}`]: {
      page: "none: the root collection has no page; shapes of",
      resource: { [pages.units!]: ["all"] },
      shape: collection(unit(workload)),
    },
    [`GET ${units}/{unitId}`]: { page: UNIT_GET, shape: entity(unit(workload)) },
    [`GET ${ROOT}/protectionUnits/microsoft.graph.${type}`]: { page: pages.units!, shape: collection(unit(workload)) },
    [`GET ${policies}`]: { page: POLICY_LIST, shape: collection(policy) },
    [`GET ${policies}/{policyId}`]: { page: POLICY_GET, shape: entity(policy) },
    [`GET ${policies}/{policyId}/${workload.protectionUnit.collection}`]: { page: pages.units!, shape: collection(unit(workload)) },
    [`GET ${policies}/{policyId}/${workload.protectionUnit.collection}/{unitId}`]: { page: UNIT_GET, shape: entity(unit(workload)) },
  };
  const { rules, bulkJobs } = workload.protectionPolicy;
  const policyRules = `${policies}/{policyId}/${rules}`;
  const jobs = `${policies}/{policyId}/${bulkJobs}`;
  Object.assign(calls, {
    [`POST ${policies}`]: { page: pages.policyCreate!, shape: entity(policy) },
    [`PATCH ${policies}/{policyId}`]: {
      page: pages.policyUpdate!,
      shape: {
        displayName: true,
        [`${workload.protectionUnit.collection}@delta`]: [
          {
            id: true,
            policyId: true,
            [workload.protectionUnit.key]: true,
            status: true,
            createdBy: identitySet,
            createdDateTime: true,
            lastModifiedBy: identitySet,
            lastModifiedDateTime: true,
            "@contentId": true,
            "@Core.DataModificationException": { info: { code: true, message: true }, failedOperation: true, responseCode: true },
          },
        ],
      },
    },
    [`POST ${policyRules}`]: { page: RULE_POST, resource: RULE_RESOURCE, shape: entity(rule(workload)) },
    [`POST ${jobs}`]: { page: pages.jobCreate!, resource: JOB_RESOURCE, shape: entity(bulkJob(workload, true)) },
    [`GET ${jobs}`]: { page: pages.jobList!, resource: JOB_RESOURCE, shape: collection(bulkJob(workload, false)) },
    [`GET ${jobs}/{jobId}`]: { page: pages.jobGet!, resource: JOB_RESOURCE, shape: entity(bulkJob(workload, true)) },
  });
  // The rule pages show the policy paths; the root paths are the spec's, with the same shapes.
  for (const base of [policyRules, `${ROOT}/${rules}`]) {
    Object.assign(calls, {
      [`GET ${base}`]: { page: pages.ruleList!, resource: RULE_RESOURCE, shape: collection(rule(workload)) },
      [`GET ${base}/{ruleId}`]: { page: RULE_GET, resource: RULE_RESOURCE, shape: entity(rule(workload)) },
      [`DELETE ${base}/{ruleId}`]: { ...NO_CONTENT, page: RULE_DELETE },
      [`POST ${base}/{ruleId}/run`]: { page: RULE_RUN, resource: RULE_RESOURCE, shape: entity(rule(workload)) },
    });
    // PATCH and deleteAndUnprotect are documented for drive and mailbox rules only (dynamic rules).
    if (workload.protectionPolicy.dynamicRules) {
      Object.assign(calls, {
        [`PATCH ${base}/{ruleId}`]: { page: RULE_UPDATE, resource: RULE_RESOURCE, shape: entity(rule(workload)) },
        [`POST ${base}/{ruleId}/deleteAndUnprotect`]: { page: RULE_UNPROTECT, resource: RULE_RESOURCE, shape: { value: rule(workload) } },
      });
    }
  }
  if (granularArtifacts) {
    calls[`GET ${base}/{id}/${granularArtifacts}`] = {
      page: "none (no list page); items as in example 2 of the create page",
      resource: { [`${RES}/granularmailboxrestoreartifact.md@08bfc58`]: ["all"] },
      shape: collection({ ...artifact(workload), searchResponseId: true }),
    };
  }
  return calls;
}

const JOB_RESOURCE = {
  [`${RES}/protectionunitsbulkjobbase.md`]: ["error"],
  [`${RES}/identityset.md@4e38ed8`]: ["createdBy.application.displayName"],
};

function singular(collectionName: string): string {
  return collectionName.replace(/s$/, "").toLowerCase();
}

function bulkResource(workload: Workload): Record<string, string[]> {
  return {
    [`${RES}/${singular(workload.restoreSession.bulkRequests)}.md`]: ["error"],
    [`${RES}/identityset.md@4e38ed8`]: ["createdBy.application", "lastModifiedBy.application"],
  };
}

/** The documented answer of every route, keyed "METHOD template" as the route table spells it. */
export const DOCUMENTED: Record<string, Documented> = {
  ...Object.assign({}, ...WORKLOADS.map(workloadCalls)),
  [`GET ${ROOT}`]: {
    page: `${API}/backuprestoreroot-get.md@5a21622`,
    resource: { [`${RES}/servicestatus.md@01380cf`]: ["gracePeriodDateTime", "restoreAllowedTillDateTime"] },
    shape: entity({
      serviceStatus: {
        status: true,
        disableReason: true,
        backupServiceConsumer: true,
        gracePeriodDateTime: true,
        restoreAllowedTillDateTime: true,
        lastModifiedBy: identitySet,
        lastModifiedDateTime: true,
      },
    }),
  },
  [`GET ${ROOT}/restoreSessions`]: { page: SESSION_LIST, resource: SESSION_RESOURCE, shape: collection(session) },
  [`GET ${ROOT}/restoreSessions/{id}`]: { page: SESSION_GET, resource: SESSION_RESOURCE, shape: entity(session) },
  [`DELETE ${ROOT}/restoreSessions/{id}`]: { ...NO_CONTENT, page: `${API}/restoresessionbase-delete.md@532697a` },
  [`POST ${ROOT}/restoreSessions/{id}/activate`]: {
    page: `${API}/restoresessionbase-activate.md@293254b`,
    resource: SESSION_RESOURCE,
    shape: entity(session),
  },
  [`POST ${ROOT}/restoreSessions/{id}/microsoft.graph.activate`]: {
    page: `${API}/restoresessionbase-activate.md@293254b`,
    resource: SESSION_RESOURCE,
    shape: entity(session),
  },
  [`POST ${ROOT}/restorePoints/search`]: {
    page: `${API}/restorepoint-search.md@4293f11`,
    resource: { [`${RES}/driveprotectionunit.md`]: ["directoryObjectId"], [`${RES}/mailboxprotectionunit.md`]: ["directoryObjectId"] },
    shape: entity({ searchResponseId: true, searchResults: [{ artifactHitCount: true, restorePoint }], noResultProtectionUnitIds: true }),
  },
  [`POST ${ROOT}/restorePoints/microsoft.graph.search`]: {
    page: `${API}/restorepoint-search.md@4293f11`,
    shape: entity({ searchResponseId: true, searchResults: [{ artifactHitCount: true, restorePoint }], noResultProtectionUnitIds: true }),
  },
  [`GET ${ROOT}/restorePoints/{restorePointId}`]: {
    page: "none (spec path only); shapes of",
    resource: {
      [`${RES}/restorepoint.md@b67c380`]: ["all"],
      [`${API}/backuprestoreroot-list-restorepoints.md@e4afd42`]: ["protectionUnit"],
    },
    shape: entity(restorePoint),
  },
  [`GET ${ROOT}/protectionUnits/{unitId}`]: { page: UNIT_GET, shape: entity(anyUnit) },
  [`GET ${ROOT}/protectionPolicies`]: { page: POLICY_LIST, shape: collection(policy) },
  [`GET ${ROOT}/protectionPolicies/{policyId}`]: { page: POLICY_GET, shape: entity(policy) },
  [`DELETE ${ROOT}/protectionPolicies/{policyId}`]: { ...NO_CONTENT, page: `${API}/protectionpolicybase-delete.md@b28c1df` },
  [`POST ${ROOT}/protectionPolicies/{policyId}/activate`]: {
    page: `${API}/protectionpolicybase-activate.md@e4afd42`,
    shape: entity(policy),
  },
  [`POST ${ROOT}/protectionPolicies/{policyId}/deactivate`]: {
    page: `${API}/protectionpolicybase-deactivate.md@74c6a6f`,
    shape: entity(policy),
  },
};

/** The documented Graph error body: concepts/errors.md@76a1d2b for the envelope, the spec's ODataErrors.InnerError for its keys. */
export const ERROR_SHAPE: Shape = {
  error: { code: true, message: true, innerError: { date: true, "request-id": true, "client-request-id": true } },
};

/** Paths (dot form) of properties of `value` that `shape` does not document. */
export function undocumented(value: unknown, shape: Shape, path = ""): string[] {
  if (shape === true || value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) {
    const item = Array.isArray(shape) ? shape[0] : undefined;
    if (item === undefined) return [`${path || "(body)"}: a list where the docs show none`];
    return value.flatMap((entry, i) => undocumented(entry, item, `${path}[${i}]`));
  }
  if (Array.isArray(shape)) return [`${path || "(body)"}: an object where the docs show a list`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
    const where = path ? `${path}.${key}` : key;
    return key in shape ? undocumented(child, shape[key]!, where) : [where];
  });
}
