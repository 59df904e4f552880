/**
 * Program side, and any script: the drill reports of a stack's restore sessions read from its state
 * (`pulumi stack export`), the evidence a pipeline publishes even when `pulumi up` failed (a failed
 * drill keeps its session and outputs in the state; the stack outputs do not change then).
 */
import { drillReport, type DrillReport, type DrillSummary, type ReportArtifact } from "../report";
import { WORKLOADS } from "../workloads/workloads";

/** A resource as a stack's state holds it: `deployment.resources[]` of `pulumi stack export`. */
export interface StoredResource {
  /** The type token, e.g. `pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession`. */
  type: string;
  outputs?: Record<string, unknown>;
}

/** The drill report of every restore session in the state that has one, in state order. */
export function drillReportsFromState(resources: readonly StoredResource[]): DrillReport[] {
  return resources.flatMap(({ type, outputs = {} }) => {
    const session = WORKLOADS.find((w) => type === `pulumi-nodejs:dynamic/m365-backup:${w.restoreSession.resourceType}`)?.restoreSession;
    const summary = outputs.drillReport as DrillSummary | undefined;
    if (session === undefined || summary === undefined || summary === null) return [];
    const lists = [session.artifacts, ...(session.granularArtifacts !== undefined ? [session.granularArtifacts] : [])];
    return [
      drillReport(
        summary,
        lists
          .flatMap((key) => (outputs[key] as ReportArtifact[] | undefined) ?? [])
          .map((a) => ({ ...a, destinationType: outputs.destinationType as string | undefined })),
      ),
    ];
  });
}
