/**
 * The seeded protection: one active policy per workload, since forever, covering every seeded
 * object but the unprotected ones. Deterministic ids, so restore points keep their ids across runs.
 */
import { WORKLOADS, type WorkloadName } from "../../provider/workloads";
import { deterministicGuid } from "../ids";
import type { AppIdentity, StoredPolicy, TenantStore } from "../store";
import { BEGINNING_MS } from "./protection";
import type { Directory } from "./directory";

/** The admin app that set up the seeded policies. */
export const SEED_ADMIN: AppIdentity = { id: "5b4c3d2e-1f0a-4b9c-8d7e-6f5a4b3c2d1e", displayName: "Contoso backup admin" };
/** When the seeded policies were made (display only: their restore points reach back a full year). */
export const SEEDED_AT = "2025-01-06T09:00:00Z";
const POLICY_NAMES: Record<WorkloadName, string> = {
  sharePoint: "SharePoint sites protection policy",
  oneDrive: "OneDrive accounts protection policy",
  exchange: "Exchange mailboxes protection policy",
};

/** Adds the seeded policies and their units to an empty store. */
export function seedPolicies(store: TenantStore, directory: Directory): void {
  for (const workload of WORKLOADS) {
    // The SharePoint policy keeps the id of the first release, so demo state files stay readable.
    const id = deterministicGuid(
      workload.name === "sharePoint" ? `${directory.tenantId}/policy` : `${directory.tenantId}/policy/${workload.name}`,
    );
    const policy: StoredPolicy = {
      id,
      workload: workload.name,
      displayName: POLICY_NAMES[workload.name],
      createdDateTime: SEEDED_AT,
      createdBy: SEED_ADMIN,
      lastModifiedDateTime: SEEDED_AT,
      lastModifiedBy: SEED_ADMIN,
      activations: [{ fromMs: BEGINNING_MS }],
      rules: [],
      bulkJobs: [],
    };
    store.addPolicy(policy);
    for (const object of directory.objectsOf(workload.name)) {
      if (!object.seededProtected) continue;
      store.addUnit({
        id: deterministicGuid(`${directory.tenantId}/unit/${workload.name}/${object.key}`),
        workload: workload.name,
        policyId: id,
        key: object.key,
        source: "manual",
        addedMs: BEGINNING_MS,
        createdDateTime: SEEDED_AT,
        createdBy: SEED_ADMIN,
        lastModifiedDateTime: SEEDED_AT,
        lastModifiedBy: SEED_ADMIN,
      });
    }
  }
}
