/**
 * The test rig of the reliability tests: the emulator on its real TLS server (the test CA), the
 * real dynamic-provider host signed in with the demo app's client secret through the emulator's
 * token endpoint, and short retry limits so faults cost seconds, not minutes. One host serves all
 * three restore-session resources: each call carries its resource's serialized provider.
 */
import { startEmulator, type Emulator } from "../../emulator";
import { WORKLOADS, type WorkloadName } from "../../provider/workloads";
import { HostCallError, startHost, type Host } from "../support/host";
import { makeProgramDir, serializedProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";

/** Retry budget and per-attempt timeout the rig configures (seconds, as stack config). */
export const RIG_RETRY_BUDGET_SECONDS = "8";
export const RIG_REQUEST_TIMEOUT_SECONDS = "1";

/** Graph paths the tests match journal entries against. */
export const SESSIONS_PATH = "/v1.0/solutions/backupRestore/sharePointRestoreSessions";
export const RESTORE_SESSIONS_PATH = "/v1.0/solutions/backupRestore/restoreSessions";

/** A running emulator, host and the serialized providers of the three resources. */
export interface Rig {
  emulator: Emulator;
  host: Host;
  /** The `__provider` text of each workload's restore-session resource. */
  providers: Record<WorkloadName, string>;
  /** The stack config the host was given (secrets included). */
  config: Record<string, string>;
  /** Newest restore points of each workload's first three protected objects, one per object. */
  restorePoints: Record<WorkloadName, string[]>;
  close(): Promise<void>;
}

/** Stack config that signs in with the demo app's client secret against the emulator's authority. */
export function clientSecretConfig(emulator: Emulator): Record<string, string> {
  return {
    "m365-backup:graphEndpoint": emulator.url,
    "m365-backup:authorityHost": emulator.url,
    "m365-backup:tenantId": emulator.tenantId,
    "m365-backup:clientId": emulator.demoApp.clientId,
    "m365-backup:clientSecret": emulator.demoApp.clientSecret,
    "m365-backup:retryBudgetSeconds": RIG_RETRY_BUDGET_SECONDS,
    "m365-backup:requestTimeoutSeconds": RIG_REQUEST_TIMEOUT_SECONDS,
  };
}

/** Starts the emulator (speed 1, so its clock is ours) and a host configured with `config(emulator)`. */
export async function startRig(
  config: (emulator: Emulator) => Record<string, string> = clientSecretConfig,
  env?: NodeJS.ProcessEnv,
): Promise<Rig> {
  const emulator = await startEmulator({ tls: testCa() });
  const providers = Object.fromEntries(
    await Promise.all(WORKLOADS.map(async (w) => [w.name, await serializedProviderText(w.restoreSession.resourceType)] as const)),
  ) as Record<WorkloadName, string>;
  const host = await startHost({ cwd: makeProgramDir(), ...(env !== undefined ? { env } : {}) });
  const stackConfig = config(emulator);
  await host.configure(stackConfig, { secretKeys: Object.keys(stackConfig).filter((key) => /secret|token|password/i.test(key)) });
  const restorePoints = Object.fromEntries(
    WORKLOADS.map((w) => [
      w.name,
      protectedObjects(emulator, w.name)
        .slice(0, 3)
        .map((o) => emulator.tenant.latestRestorePointIdFor(w.name, o.key)),
    ]),
  ) as Record<WorkloadName, string[]>;
  return {
    emulator,
    host,
    providers,
    config: stackConfig,
    restorePoints,
    close: async () => {
      await host.close();
      await emulator.close();
    },
  };
}

/** A seeded object a policy protects: its key (site id or directoryObjectId) and name (site URL or email). */
export interface ProtectedObject {
  key: string;
  name: string;
}

/** The seeded objects of a workload that a policy protects, in seeding order. */
export function protectedObjects(emulator: Emulator, workload: WorkloadName): ProtectedObject[] {
  const { tenant } = emulator;
  const seeded: Record<WorkloadName, () => (ProtectedObject & { protectionUnitId: string })[]> = {
    sharePoint: () => tenant.sites().map((s) => ({ key: s.siteId, name: s.siteWebUrl, protectionUnitId: s.protectionUnitId })),
    oneDrive: () => tenant.users().map((u) => ({ key: u.directoryObjectId, name: u.email, protectionUnitId: u.protectionUnitId })),
    exchange: () => tenant.mailboxes().map((m) => ({ key: m.directoryObjectId, name: m.email, protectionUnitId: m.protectionUnitId })),
  };
  return seeded[workload]()
    .filter((o) => o.protectionUnitId !== "")
    .map(({ key, name }) => ({ key, name }));
}

/** Deletes every session out of band, so each case starts from an empty tenant. */
export function purgeSessions(emulator: Emulator): void {
  for (const session of emulator.tenant.sessions()) emulator.tenant.deleteSession(session.id);
}

/** What an operation through the host ended with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: HostCallError };

/** Runs an operation, catching only host call failures. */
export async function outcomeOf<T>(operation: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await operation() };
  } catch (error) {
    if (error instanceof HostCallError) return { ok: false, error };
    throw error;
  }
}

/** The restore point ids of a session's artifacts (standard or item-level) in the emulator, sorted. */
export function storedRestorePoints(emulator: Emulator, id: string): string[] {
  const session = emulator.tenant.sessions().find((s) => s.id === id);
  return session === undefined ? [] : session.artifacts.map((a) => a.restorePointId).sort();
}

/** The restore point ids the provider reported under one artifact output (say `driveRestoreArtifacts`), sorted. */
export function reportedRestorePoints(properties: Record<string, unknown>, output: string): string[] {
  const artifacts = (properties[output] ?? []) as { restorePointId?: string }[];
  return artifacts.map((a) => a.restorePointId ?? "").sort();
}
