/**
 * Bad input: thousands of random and adversarial inputs through the engine's `check`. It never
 * throws, every failure names the property it is about and says why, and it never calls Graph
 * (in process: `fetch` is a tripwire; through the real host: the emulator's journal stays empty).
 */
import fc from "fast-check";
import { startEmulator, type Emulator } from "../../emulator";
import { check } from "../../provider/engine";
import { startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";

const INPUT_KEYS = ["siteRestoreArtifacts", "destinationType", "activate", "allowInPlaceRestore", "waitForCompletion", "failOn", "drillId"];

/** Strings that have broken URL handling and validators elsewhere. */
const hostileString = fc.oneof(
  fc.constantFrom(
    "../",
    "..",
    ".",
    "a/../../b",
    "?x=1",
    "#frag",
    "%2F",
    "%2e%2e",
    "a%2Fb",
    "\u202egnp.exe",
    "😀",
    "\u0000",
    "",
    " ",
    "__proto__",
    "constructor",
    "x".repeat(5_000),
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);

const artifact = fc.oneof(
  fc.record({ restorePointId: fc.oneof(hostileString, fc.anything()) }),
  fc.record(
    { siteId: hostileString, siteWebUrl: hostileString, pointInTime: hostileString, restorePointPreference: hostileString },
    { requiredKeys: [] },
  ),
  fc.dictionary(hostileString, fc.anything(), { maxKeys: 3 }),
  fc.anything(),
);

const news = fc.oneof(
  fc.record(
    {
      siteRestoreArtifacts: fc.oneof(fc.array(artifact, { maxLength: 6 }), fc.anything()),
      destinationType: fc.oneof(fc.constantFrom("new", "inPlace"), hostileString, fc.anything()),
      activate: fc.oneof(fc.boolean(), fc.anything()),
      drillId: fc.oneof(hostileString, fc.anything()),
      failOn: fc.oneof(hostileString, fc.constantFrom("failed", "never")),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(hostileString, fc.anything(), { maxKeys: 5 }),
  fc.object(),
  // Keys named like Object.prototype members, `__proto__` among them, must be named like any other.
  fc.dictionary(fc.constantFrom("__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"), fc.anything(), { maxKeys: 3 }),
);

const olds = fc.oneof(fc.constant({}), fc.record({ activate: fc.boolean() }), fc.object());

/** The property a failure names must be one the user gave or the schema knows, or the inputs as a whole. */
function namesAProperty(property: string, given: Record<string, unknown>): boolean {
  if (property === "(inputs)") return true;
  return [...INPUT_KEYS, ...Object.keys(given)].some(
    (key) => property === key || property.startsWith(`${key}[`) || property.startsWith(`${key}.`),
  );
}

describe("check over random and adversarial inputs, in process", () => {
  const realFetch = globalThis.fetch;
  let fetchCalls = 0;
  beforeAll(() => {
    globalThis.fetch = (async () => {
      fetchCalls += 1;
      throw new Error("check must not call Graph");
    }) as typeof fetch;
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  test("never throws, names a property and a reason in every failure, and never fetches", async () => {
    await fc.assert(
      fc.asyncProperty(olds, news, async (old, given) => {
        const result = await check(old as Record<string, unknown>, given as Record<string, unknown>);
        for (const failure of result.failures ?? []) {
          expect(typeof failure.property).toBe("string");
          expect(namesAProperty(failure.property, given as Record<string, unknown>)).toBe(true);
          expect(failure.reason.length).toBeGreaterThan(0);
        }
        if ((result.failures ?? []).length === 0) expect(result.inputs).toBeDefined();
      }),
      { numRuns: 3_000 },
    );
    expect(fetchCalls).toBe(0);
  });

  test("a hostile restore point id is either accepted verbatim as data or refused at its own path", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (id) => {
        const result = await check({}, { siteRestoreArtifacts: [{ restorePointId: id }] });
        const failures = result.failures ?? [];
        if (failures.length === 0) expect((result.inputs.siteRestoreArtifacts as { restorePointId: string }[])[0]!.restorePointId).toBe(id);
        else expect(failures.map((f) => f.property)).toEqual(failures.map(() => "siteRestoreArtifacts[0].restorePointId"));
      }),
      { numRuns: 1_000 },
    );
    expect(fetchCalls).toBe(0);
  });
});

describe("check through the real host", () => {
  let emulator: Emulator;
  let host: Host;
  let provider: string;
  beforeAll(async () => {
    emulator = await startEmulator({ tls: testCa() });
    provider = await serializedProviderText();
    host = await startHost({ cwd: makeProgramDir() });
    await host.configure({ "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken });
  });
  afterAll(async () => {
    await host?.close();
    await emulator?.close();
  });

  test("a sample of adversarial inputs comes back as failures or inputs, and Graph sees no request", async () => {
    const samples = fc.sample(news, { numRuns: 40, seed: 6 });
    for (const given of samples) {
      // The engine's wire cannot carry every JS value (functions, symbols): send what JSON can.
      const wire = JSON.parse(JSON.stringify(given) ?? "{}") as Record<string, unknown>;
      const { failures } = await host.check(urnFor("fuzz"), {}, { ...wire, __provider: provider });
      for (const failure of failures) expect(namesAProperty(failure.property, wire)).toBe(true);
    }
    expect(emulator.journal.entries()).toEqual([]);
  });
});
