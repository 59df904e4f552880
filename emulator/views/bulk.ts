/** Wire view of restore bulk addition requests, for every workload. */
import type { Workload, WorkloadName } from "../../provider/workloads";
import type { StoredBulkRequest, StoredError } from "../store";
import { identitySet, publicError } from "./common";

/**
 * A `<site|drive|mailbox>RestoreArtifactsBulkAdditionRequest`. The list omits the names (the list
 * pages say so); create and get echo them as an empty list, as every docs example does, so no client
 * comes to rely on reading its names back.
 */
export function bulkRequestView(workload: Workload, request: StoredBulkRequest, inList: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: request.id,
    displayName: request.displayName ?? null,
    destinationType: request.destinationType,
    restorePointPreference: request.restorePointPreference,
    tags: request.tags ?? null,
    protectionTimePeriod: request.protectionTimePeriod ?? null,
    status: request.resolution?.status ?? "active",
    createdDateTime: request.createdDateTime,
    createdBy: identitySet(request.createdBy),
    lastModifiedDateTime: request.resolution?.at ?? request.lastModifiedDateTime,
    lastModifiedBy: identitySet(request.createdBy),
  };
  if (!inList) view[workload.restoreSession.bulkNames] = [];
  if (request.resolution && request.resolution.unresolved.length > 0) {
    view.error = publicError(unresolvedError(workload.name, request.resolution.unresolved));
  }
  return view;
}

/** How the service says a name was not resolved, per workload (the two detail codes the docs' examples show). */
const UNRESOLVED: Record<WorkloadName, (name: string) => { code: string; message: string }> = {
  sharePoint: (name) => ({ code: "SiteUrlNotFound", message: `Site url '${name}' could not be resolved` }),
  oneDrive: (name) => ({ code: "UserNotBackedup", message: `Email address '${name}' has not been backed up` }),
  exchange: (name) => ({ code: "UserNotBackedup", message: `Email address '${name}' has not been backed up` }),
};

/** The `error` of a request with unresolved names, shaped as the get page's example shows it. */
function unresolvedError(workload: WorkloadName, unresolved: string[]): StoredError {
  return {
    code: "BulkRestoreArtifactsNotResolved",
    message: "Errors while resolving restore artifacts",
    details: unresolved.map((name) => ({ ...UNRESOLVED[workload](name), target: name })),
  };
}
