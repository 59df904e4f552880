/**
 * Shared setup of the drill tests: one emulator and one real dynamic-provider host per test file,
 * and small readers of what the host did (Graph requests from the journal, lines on stderr).
 */
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";

export const SESSIONS = "/v1.0/solutions/backupRestore/sharePointRestoreSessions";
export const RESTORE_SESSIONS = "/v1.0/solutions/backupRestore/restoreSessions";
export const UNITS = "/v1.0/solutions/backupRestore/protectionUnits/microsoft.graph.siteProtectionUnit";
export const SEARCH = "/v1.0/solutions/backupRestore/restorePoints/search";

/** A running emulator plus a host configured against it. */
export interface DrillRig {
  emulator: Emulator;
  host: Host;
  provider: string;
  urn: string;
  /** Inputs with the serialized provider, as the engine sends them. */
  props(inputs: Record<string, unknown>): Record<string, unknown>;
  /** Runs check and expects no failures; returns the checked inputs. */
  checked(news: Record<string, unknown>, olds?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** `METHOD path status` of every Graph request since the journal was last cleared. */
  graphRequests(): string[];
  /** Waits until the host has printed `text` (its stderr arrives on its own schedule). */
  hostPrinted(text: string | RegExp): Promise<void>;
  close(): Promise<void>;
}

/** Starts an emulator and a host for one resource class (default SharePointRestoreSession); `config` adds stack config keys. */
export async function startRig(options: EmulatorOptions = {}, config: Record<string, string> = {}, resource?: string): Promise<DrillRig> {
  const emulator = await startEmulator({ tls: testCa(), ...options });
  const provider = await serializedProviderText(resource);
  const host = await startHost({ cwd: makeProgramDir() });
  await host.configure({ "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken, ...config });
  const urn = urnFor("drill");
  const props = (inputs: Record<string, unknown>) => ({ ...inputs, __provider: provider });
  return {
    emulator,
    host,
    provider,
    urn,
    props,
    async checked(news, olds = {}) {
      const result = await host.check(urn, olds, props(news));
      expect(result.failures).toEqual([]);
      return result.inputs;
    },
    graphRequests: () => emulator.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`),
    hostPrinted: (text) => host.waitForOutput(text),
    async close() {
      await host.close();
      await emulator.close();
    },
  };
}

/** The protected sites of the emulator's tenant (the last seeded site is unprotected). */
export function protectedSites(emulator: Emulator) {
  return emulator.tenant.sites().filter((s) => s.protectionUnitId !== "");
}
