/**
 * The resource kinds the request counts cover, as data: one row per restore session and protection
 * policy of each workload, with a small resource's inputs and the fewest Graph requests the API
 * allows per operation, each with the reason it is the minimum. A kind whose class the built package
 * does not export yet is reported as missing; adding one is a row here.
 */
import type { Emulator, EmulatorOptions } from "../emulator";
import { WORKLOADS, type Workload } from "../provider/workloads";

/** The operations counted per kind. */
export const OPERATIONS = ["create", "createActivate", "diff", "delete", "noopUp"] as const;
export type Operation = (typeof OPERATIONS)[number];
/** Graph requests per operation. */
export type RequestCounts = Record<Operation, number>;

/** The six kinds, by their `results.json` key. */
export type KindName =
  | "sharePointRestoreSession"
  | "oneDriveRestoreSession"
  | "exchangeRestoreSession"
  | "sharePointProtectionPolicy"
  | "oneDriveProtectionPolicy"
  | "exchangeProtectionPolicy";

/** A floor, and why the API allows no fewer. */
export interface Minimum {
  requests: number;
  why: string;
}

/** One resource kind as the benchmark drives it. */
export interface ResourceKind {
  name: KindName;
  /** The class `pulumi-m365-backup` exports (also the Pulumi type name). */
  resourceClass: string;
  /** What the emulator's tenant must look like for this kind. */
  emulator: Pick<EmulatorOptions, "seedPolicies">;
  /** A small resource's inputs; `n` picks a different protected object, so resources never collide. */
  inputs(emulator: Emulator, n: number, activate: boolean): Record<string, unknown>;
  minimum: Record<Operation, Minimum>;
}

/** What every kind's diff and no-op `up` cost: nothing in Graph. */
const PLAN_ONLY = {
  diff: { requests: 0, why: "diff compares the program with the stored outputs; Graph is not asked" },
  noopUp: { requests: 0, why: "an up with nothing to change runs check and diff only (every request counted, reads too)" },
} satisfies Partial<Record<Operation, Minimum>>;

/**
 * The object number `n` of a workload in the emulator's directory: a site id, or a user's or
 * mailbox's directory object id; `protectedOnly` skips objects no policy covers (no restore points).
 */
function objectKey(emulator: Emulator, workload: Workload, n: number, protectedOnly: boolean): string {
  const { tenant } = emulator;
  const objects =
    workload.name === "sharePoint"
      ? tenant.sites().map((s) => ({ key: s.siteId, unit: s.protectionUnitId }))
      : workload.name === "oneDrive"
        ? tenant.users().map((u) => ({ key: u.directoryObjectId, unit: u.protectionUnitId }))
        : tenant.mailboxes().map((m) => ({ key: m.directoryObjectId, unit: m.protectionUnitId }));
  const keys = objects.filter((o) => !protectedOnly || o.unit !== "").map((o) => o.key);
  const key = keys[n];
  if (key === undefined) throw new RangeError(`the emulator seeds ${keys.length} such ${workload.noun.many}, number ${n} wanted`);
  return key;
}

function restoreSessionKind(workload: Workload): ResourceKind {
  const { artifacts, resourceType } = workload.restoreSession;
  return {
    name: `${workload.name}RestoreSession` as KindName,
    resourceClass: resourceType,
    emulator: {},
    inputs: (emulator, n, activate) => ({
      [artifacts]: [{ restorePointId: emulator.tenant.latestRestorePointIdFor(workload.name, objectKey(emulator, workload, n, true)) }],
      destinationType: "new",
      activate,
    }),
    minimum: {
      create: { requests: 1, why: "one POST creates the session with its artifacts inline (up to 50)" },
      createActivate: { requests: 2, why: "the POST, then POST activate: Graph cannot create a session already active" },
      delete: { requests: 1, why: "one DELETE of the draft" },
      ...PLAN_ONLY,
    },
  };
}

function protectionPolicyKind(workload: Workload): ResourceKind {
  const { resourceType, unitIdsInput } = workload.protectionPolicy;
  return {
    name: `${workload.name}ProtectionPolicy` as KindName,
    resourceClass: resourceType,
    // Graph refuses a new policy while the workload has an active one (409 PolicyCreationNotAllowed).
    emulator: { seedPolicies: false },
    // The program-side class names the policy after the resource; the host needs the name given.
    inputs: (emulator, n, activate) => ({
      displayName: `bench ${workload.title} ${n}`,
      [unitIdsInput]: [objectKey(emulator, workload, n, false)],
      active: activate,
    }),
    minimum: {
      create: { requests: 1, why: "one POST creates the policy, inactive, with its units inline (up to 50)" },
      createActivate: { requests: 2, why: "the POST, then POST activate: Graph creates every policy inactive" },
      delete: { requests: 1, why: "one DELETE of the inactive policy (an active one must be deactivated first)" },
      ...PLAN_ONLY,
    },
  };
}

/** Every kind: the three restore sessions, then the three protection policies. */
export const KINDS: readonly ResourceKind[] = [...WORKLOADS.map(restoreSessionKind), ...WORKLOADS.map(protectionPolicyKind)];

/** The minimum of every operation of a kind, as counts. */
export function minimumCounts(kind: ResourceKind): RequestCounts {
  return Object.fromEntries(OPERATIONS.map((op) => [op, kind.minimum[op].requests])) as RequestCounts;
}

/** The operations of `counts` over their minimum. */
export function overMinimum(kind: ResourceKind, counts: RequestCounts): Operation[] {
  return OPERATIONS.filter((op) => counts[op] > kind.minimum[op].requests);
}
