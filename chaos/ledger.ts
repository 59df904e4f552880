/**
 * What the stack ever owned: every object id the state file recorded, checkpoint after checkpoint,
 * with the resource that held it. Invariants use it to tell an object Pulumi let go of by design
 * (an activated session forgotten on delete, a policy registered with `retainOnDelete`) from one it
 * lost.
 */
import type { StackState } from "../harness";
import { workload } from "../provider/workloads";
import { POLICIES, SESSIONS, type ResourceName } from "./model";

/** An object some resource of the stack held. */
export interface OwnedObject {
  id: string;
  resource: ResourceName;
  kind: "session" | "policy";
  /** Held by a registration with `retainOnDelete` at some point. */
  retained: boolean;
  /** The first command after which the state file recorded it. */
  firstCommand: number;
}

/** The workload of each resource of the walk's stack. */
export const WORKLOAD_OF: Record<ResourceName, "sharePoint" | "oneDrive" | "exchange"> = {
  siteDrill: "sharePoint",
  driveDrill: "oneDrive",
  mailboxDrill: "exchange",
  itemDrill: "exchange",
  sitePolicy: "sharePoint",
  drivePolicy: "oneDrive",
  mailboxPolicy: "exchange",
};

/** The resource name a URN ends with. */
export function resourceOf(urn: string): ResourceName {
  return urn.split("::").pop() as ResourceName;
}

/** Every id the stack's state ever held. */
export class Ledger {
  private readonly owned = new Map<string, OwnedObject>();
  /** Bulk addition jobs any policy's state ever listed. */
  readonly jobIds = new Set<string>();

  /** Records what a checkpoint holds. */
  observe(state: StackState, command: number): void {
    for (const entry of state.resources) {
      if (!entry.id) continue;
      const resource = resourceOf(entry.urn);
      const kind = (SESSIONS as readonly string[]).includes(resource)
        ? "session"
        : (POLICIES as readonly string[]).includes(resource)
          ? "policy"
          : undefined;
      if (kind === undefined) continue;
      const id = entry.id.toLowerCase();
      const known = this.owned.get(id);
      this.owned.set(id, {
        id,
        resource,
        kind,
        retained: (known?.retained ?? false) || entry.retainOnDelete === true,
        firstCommand: known?.firstCommand ?? command,
      });
      if (kind === "policy") {
        const jobs = entry.outputs[workload(WORKLOAD_OF[resource]).protectionPolicy.bulkJobs];
        if (Array.isArray(jobs)) for (const job of jobs) if (typeof job?.id === "string") this.jobIds.add(job.id.toLowerCase());
      }
    }
  }

  /** The object an id names, if the stack ever held it. */
  get(id: string): OwnedObject | undefined {
    return this.owned.get(id.toLowerCase());
  }
}
