/** Wire views of protection policies and protection units, for every workload. */
import { workload as workloadNamed } from "../../provider/workloads";
import type { StoredPolicy, StoredUnit } from "../store";
import type { Directory } from "../tenant/directory";
import type { PolicyStatus, UnitStatus } from "../tenant/protection";
import { identitySet, publicError } from "./common";

/**
 * The retention the docs' policy examples show: 10-minute points for two weeks, weekly ones for a
 * year (our grid). The examples write the periods `P2W` and `P1Y`; the spec's duration pattern
 * takes days only, so the same durations are written in days, which both accept.
 */
const RETENTION_SETTINGS = [
  { interval: "R/PT10M", period: "P14D" },
  { interval: "R/P1W", period: "P365D" },
];
/** The "never" value Graph sends for `offboardRequestedDateTime`, as in every unit example of the docs. */
const NEVER = "0001-01-01T00:00:00.0000000Z";

/** The field that carries a unit's display name, by the field that carries its name. */
const DISPLAY_NAME_FIELD = { siteWebUrl: "siteName", email: "displayName" } as const;

/** A `<workload>ProtectionPolicy`. */
export function policyView(policy: StoredPolicy, status: PolicyStatus): Record<string, unknown> {
  return {
    "@odata.type": workloadNamed(policy.workload).protectionPolicy.odataType,
    id: policy.id,
    displayName: policy.displayName,
    status,
    createdBy: identitySet(policy.createdBy),
    createdDateTime: policy.createdDateTime,
    lastModifiedBy: identitySet(policy.lastModifiedBy),
    lastModifiedDateTime: policy.lastModifiedDateTime,
    retentionSettings: RETENTION_SETTINGS,
  };
}

/**
 * A `<site|drive|mailbox>ProtectionUnit`, named by the workload's key (`siteId`, `directoryObjectId`)
 * and its human names: `siteName` and `siteWebUrl` for delegated callers only (documented note on the
 * list page); `displayName` and `email` for OneDrives and mailboxes, as every example shows them.
 */
export function unitView(
  unit: StoredUnit,
  status: Exclude<UnitStatus, "removed">,
  directory: Directory,
  delegated: boolean,
): Record<string, unknown> {
  const { protectionUnit } = workloadNamed(unit.workload);
  const object = directory.byObjectKey(unit.workload, unit.key);
  const visible = object !== undefined && (protectionUnit.nameForApplications !== "never" || delegated);
  const names = visible ? { [DISPLAY_NAME_FIELD[protectionUnit.name]]: object.displayName, [protectionUnit.name]: object.name } : {};
  return {
    "@odata.type": protectionUnit.odataType,
    id: unit.id,
    [protectionUnit.key]: unit.key,
    ...names,
    policyId: unit.policyId,
    status,
    protectionSources: unit.source,
    createdBy: identitySet(unit.createdBy),
    createdDateTime: unit.createdDateTime,
    lastModifiedBy: identitySet(unit.lastModifiedBy),
    lastModifiedDateTime: unit.lastModifiedDateTime,
    error: unit.error ? publicError(unit.error) : null,
    offboardRequestedDateTime: NEVER,
  };
}
