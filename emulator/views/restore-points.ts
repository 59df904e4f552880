/** Wire view of a restore point, with its protection unit when asked (search, `$expand=protectionUnit`). */
import { workload as workloadNamed } from "../../provider/workloads";
import { RETENTION_MS } from "../tenant/restore-point-grid";
import type { DerivedRestorePoint } from "../tenant/units";
import { iso } from "./common";

/** A `restorePoint`; its `protectionUnit` names the unit by id, key and policy, as the search and list examples show it. */
export function restorePointView(point: DerivedRestorePoint, withUnit: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    "@odata.type": "#microsoft.graph.restorePoint",
    id: point.id,
    protectionDateTime: iso(point.protectionMs),
    expirationDateTime: iso(point.protectionMs + RETENTION_MS),
    tags: point.tags,
  };
  if (withUnit) {
    const { protectionUnit } = workloadNamed(point.unit.workload);
    view.protectionUnit = {
      "@odata.type": protectionUnit.odataType,
      id: point.unit.id,
      [protectionUnit.key]: point.unit.key,
      policyId: point.unit.policyId,
    };
  }
  return view;
}
