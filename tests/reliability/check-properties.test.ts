/**
 * Bad input, and good: thousands of random, adversarial and valid inputs through `check`'s input
 * rules of each workload (`restoreSessionInputRules(workload).validate`) and the engine's `check`.
 * Validation never throws; every failure names a real path into the input (or a key the schema
 * documents right there) and says why, and an unknown key's reason lists only the keys allowed
 * where it stands; valid inputs pass and come back from `parse` as given; the
 * preview's unknown sentinel passes wherever it stands; keys named like Object.prototype members
 * never reach a prototype; and nothing calls Graph (in process: `fetch` is a tripwire; through the
 * real host: the emulator's journal stays empty).
 */
import fc from "fast-check";
import { startEmulator, type Emulator } from "../../emulator";
import { check } from "../../provider/engine";
import { UNKNOWN } from "../../provider/schemas/inputs/common";
import { restoreSessionInputRules } from "../../provider/schemas/inputs/restore-session";
import { SHAREPOINT, WORKLOADS, type Workload } from "../../provider/workloads";
import { startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";

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
    // Well-formed values, so that deeper rules (duplicates, windows) run too.
    "adele@contoso.com",
    "ADELE@contoso.com",
    "https://contoso.sharepoint.com/sites/finance",
    "https://CONTOSO.sharepoint.com/sites/Finance/",
    "2024-01-01T00:00:00Z",
    "2999-01-01T00:00:00Z",
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);

/** Keys named like Object.prototype members. */
const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"];

// ---------------------------------------------------------------------------------------------
// What a workload's inputs look like, at each level (from the workload descriptor).

interface Shape {
  artifacts: string;
  granular: string | undefined;
  unitKey: string;
  unitName: string;
  bulkNames: string;
  /** Keys the schema documents at each level, by the path's shape (`[]` for any index). */
  documented: Record<string, readonly string[]>;
}

function shapeOf(workload: Workload): Shape {
  const { artifacts, granularArtifacts: granular, bulkNames } = workload.restoreSession;
  const { key: unitKey, name: unitName } = workload.protectionUnit;
  const choice = ["pointInTime", "restorePointPreference", "fastRestoreOnly"];
  const documented: Record<string, readonly string[]> = {
    "": restoreSessionInputRules(workload).inputKeys,
    [`${artifacts}[]`]: ["restorePointId", unitKey, unitName, ...choice],
    bulkRestore: [bulkNames, "protectionTimePeriod", "restorePointPreference", "fastRestoreOnly", "displayName"],
    "bulkRestore.protectionTimePeriod": ["startDateTime", "endDateTime"],
    waitForCompletion: ["timeoutMinutes", "pollIntervalSeconds"],
  };
  if (granular !== undefined) {
    documented[`${granular}[]`] = ["restorePointId", "directoryObjectId", "email", ...choice, "query"];
    documented[`${granular}[].query`] = ["subjects", "senders", "recipients", "hasAttachment", "itemKinds"];
  }
  return { artifacts, granular, unitKey, unitName, bulkNames, documented };
}

/** A property path as Pulumi users write it: `a[2].b`. */
function render(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

/** Every node of a JSON-like value, with its path (the root excluded). */
function nodes(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: unknown }[] {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : typeof value === "object" && value !== null
      ? Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]])
      : [];
  return children.flatMap(([key, child]) => [{ path: [...path, key], value: child }, ...nodes(child, [...path, key])]);
}

/** The shape of a path, as `Shape.documented` keys it: `driveRestoreArtifacts[]`, `bulkRestore.protectionTimePeriod`. */
function levelOf(path: readonly (string | number)[]): string {
  return render(path.map((part) => (typeof part === "number" ? "[]" : part))).replace(/\.\[\]/g, "[]");
}

/**
 * The properties a failure may name: a node of the input, a key the schema documents in an object
 * of the input (a missing required field), or the inputs as a whole.
 */
function namablePaths(given: Record<string, unknown>, shape: Shape): Set<string> {
  const allowed = new Set<string>(["(inputs)"]);
  const objects = [{ path: [] as (string | number)[], value: given as unknown }, ...nodes(given)];
  for (const { path, value } of objects) {
    if (path.length > 0) allowed.add(render(path));
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const level = levelOf(path);
    for (const key of Object.hasOwn(shape.documented, level) ? shape.documented[level]! : []) allowed.add(render([...path, key]));
  }
  return allowed;
}

// ---------------------------------------------------------------------------------------------
// Generators.

const apiVersion = fc.constantFrom<"v1.0" | "beta">("v1.0", "beta");

/** Random and adversarial inputs of one workload: its own keys with bad values, other workloads' keys, junk. */
function adversarialInputs(workload: Workload) {
  const shape = shapeOf(workload);
  const anyValue = fc.oneof(hostileString, fc.anything());
  /** An object of the keys documented at a level mixed with stray ones. */
  const strayKeys = (level: string) =>
    fc.dictionary(fc.oneof(fc.constantFrom(...shape.documented[level]!, ...PROTOTYPE_KEYS), hostileString), anyValue, { maxKeys: 4 });
  const artifact = fc.oneof(
    fc.record({ restorePointId: anyValue }),
    fc.record(
      {
        [shape.unitKey]: hostileString,
        [shape.unitName]: hostileString,
        pointInTime: hostileString,
        restorePointPreference: fc.oneof(hostileString, fc.constantFrom("latest", "oldest")),
        fastRestoreOnly: fc.oneof(fc.boolean(), fc.anything()),
      },
      { requiredKeys: [] },
    ),
    strayKeys(`${shape.artifacts}[]`),
    fc.anything(),
  );
  const query = fc.oneof(
    fc.record(
      {
        subjects: fc.oneof(fc.array(hostileString, { maxLength: 3 }), fc.anything()),
        senders: fc.oneof(fc.array(hostileString, { maxLength: 3 }), fc.anything()),
        recipients: fc.array(hostileString, { maxLength: 3 }),
        hasAttachment: fc.oneof(fc.boolean(), fc.anything()),
        itemKinds: fc.oneof(fc.array(fc.constantFrom("email", "calendar", "chat"), { maxLength: 3 }), fc.anything()),
      },
      { requiredKeys: [] },
    ),
    ...(shape.granular !== undefined ? [strayKeys(`${shape.granular}[].query`)] : []),
    fc.anything(),
  );
  const granularEntry = fc.oneof(
    fc.record(
      { restorePointId: hostileString, directoryObjectId: hostileString, email: hostileString, pointInTime: hostileString, query },
      { requiredKeys: [] },
    ),
    ...(shape.granular !== undefined ? [strayKeys(`${shape.granular}[]`)] : []),
    fc.anything(),
  );
  const names = fc.oneof(fc.array(hostileString, { maxLength: 5 }), fc.anything());
  const bulk = fc.oneof(
    fc.record(
      {
        siteWebUrls: names,
        drives: names,
        mailboxes: names,
        protectionTimePeriod: fc.oneof(
          fc.record({ startDateTime: hostileString, endDateTime: hostileString }, { requiredKeys: [] }),
          strayKeys("bulkRestore.protectionTimePeriod"),
          fc.anything(),
        ),
        restorePointPreference: hostileString,
        fastRestoreOnly: fc.anything(),
        displayName: anyValue,
      },
      { requiredKeys: [] },
    ),
    strayKeys("bulkRestore"),
    fc.anything(),
  );
  return fc.oneof(
    fc.record(
      {
        [shape.artifacts]: fc.oneof(fc.array(artifact, { maxLength: 6 }), fc.anything()),
        ...(shape.granular !== undefined ? { [shape.granular]: fc.oneof(fc.array(granularEntry, { maxLength: 4 }), fc.anything()) } : {}),
        bulkRestore: bulk,
        // Another workload's artifact key, named as unknown.
        [WORKLOADS.find((w) => w !== workload)!.restoreSession.artifacts]: fc.array(artifact, { maxLength: 2 }),
        destinationType: fc.oneof(fc.constantFrom("new", "inPlace"), anyValue),
        activate: fc.oneof(fc.boolean(), fc.anything()),
        allowInPlaceRestore: fc.oneof(fc.boolean(), fc.anything()),
        waitForCompletion: fc.oneof(
          fc.boolean(),
          fc.record({ timeoutMinutes: fc.oneof(fc.double(), anyValue), pollIntervalSeconds: fc.double() }, { requiredKeys: [] }),
          strayKeys("waitForCompletion"),
          fc.anything(),
        ),
        failOn: fc.oneof(hostileString, fc.constantFrom("failed", "completedWithError", "never")),
        drillId: anyValue,
      },
      { requiredKeys: [] },
    ),
    strayKeys(""),
    fc.object(),
    fc.dictionary(fc.constantFrom(...PROTOTYPE_KEYS), fc.anything(), { maxKeys: 3 }),
  );
}

const pastInstant = fc
  .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date(Date.now() - 60_000), noInvalidDate: true })
  .map((d) => d.toISOString());
/** Ids as check takes them: 1 to 1,024 characters, none a control character. */
// eslint-disable-next-line no-control-regex
const id = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s));
const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,15}$/);
/** Unique case-insensitively, as check compares emails. */
const emails = (min: number, max: number) =>
  fc
    .uniqueArray(fc.tuple(word, fc.constantFrom("contoso.com", "Fabrikam.onmicrosoft.com")), {
      minLength: min,
      maxLength: max,
      selector: ([local, domain]) => `${local}@${domain}`.toLowerCase(),
    })
    .map((pairs) => pairs.map(([local, domain]) => `${local}@${domain}`));
/** Unique as SharePoint compares site URLs (case-insensitively). */
const siteUrls = (min: number, max: number) =>
  fc
    .uniqueArray(fc.tuple(fc.constantFrom("contoso.sharepoint.com", "Fabrikam.SharePoint.com"), word), {
      minLength: min,
      maxLength: max,
      selector: ([host, site]) => `${host}/${site}`.toLowerCase(),
    })
    .map((pairs) => pairs.map(([host, site]) => `https://${host}/sites/${site}`));

const choiceFields = {
  pointInTime: pastInstant,
  restorePointPreference: fc.constantFrom("latest", "oldest"),
  fastRestoreOnly: fc.boolean(),
};

/** Valid inputs of one workload, with the API version they need (item kinds take beta). */
function validInputs(workload: Workload) {
  const shape = shapeOf(workload);
  const unitName = workload.protectionUnit.nameKind === "url" ? siteUrls : emails;
  const unitEntries = (field: string, values: fc.Arbitrary<string[]>) =>
    values.chain((vs) =>
      fc.tuple(
        ...vs.map((v) => {
          const model: Record<string, fc.Arbitrary<unknown>> = { [field]: fc.constant(v), ...choiceFields };
          return fc.record(model, { requiredKeys: [field] });
        }),
      ),
    );
  const standard = fc
    .tuple(
      fc.uniqueArray(id, { maxLength: 3 }).map((ids) => ids.map((restorePointId) => ({ restorePointId }))),
      unitEntries(shape.unitKey, fc.uniqueArray(id, { maxLength: 3, selector: (s) => s.toLowerCase() })),
      unitEntries(shape.unitName, unitName(0, 3)),
    )
    .map((lists) => lists.flat() as Record<string, unknown>[])
    .filter((entries) => entries.length > 0)
    .chain((entries) => fc.shuffledSubarray(entries, { minLength: entries.length }))
    .map((entries) => ({ [shape.artifacts]: entries }));
  const query = fc
    .record(
      {
        subjects: fc.array(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 3 }),
        senders: emails(1, 2),
        recipients: emails(1, 2),
        hasAttachment: fc.boolean(),
        itemKinds: fc.uniqueArray(fc.constantFrom("email", "calendar", "contact", "task", "note"), { minLength: 1 }),
      },
      { requiredKeys: [] },
    )
    .filter((q) => Object.keys(q).length > 0);
  const granularEntry = fc
    .tuple(
      fc.oneof(
        id.map((v) => ({ restorePointId: v })),
        id.map((v) => ({ directoryObjectId: v })),
        emails(1, 1).map(([v]) => ({ email: v! })),
      ),
      fc.record(choiceFields, { requiredKeys: [] }),
      query,
    )
    .map(([which, choice, q]) => ({ ...which, ...choice, query: q }));
  const granular =
    shape.granular === undefined
      ? undefined
      : fc.array(granularEntry, { minLength: 1, maxLength: 3 }).map((entries) => ({ [shape.granular!]: entries }));
  const period = fc
    .tuple(pastInstant, pastInstant)
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => (a < b ? [a, b] : [b, a]))
    .chain(([start, end]) => fc.record({ startDateTime: fc.constant(start!), endDateTime: fc.constant(end!) }, { requiredKeys: [] }));
  const bulk = fc
    .record(
      {
        [shape.bulkNames]: workload.restoreSession.bulkNameKind === "url" ? siteUrls(1, 5) : emails(1, 5),
        protectionTimePeriod: period,
        restorePointPreference: fc.constantFrom("latest", "oldest"),
        fastRestoreOnly: fc.boolean(),
        displayName: fc.string({ minLength: 1, maxLength: 60 }),
      },
      { requiredKeys: [shape.bulkNames] },
    )
    .map((bulkRestore) => ({ bulkRestore }));
  const settings = fc
    .record(
      {
        destinationType: fc.constantFrom("new", "inPlace"),
        activate: fc.boolean(),
        allowInPlaceRestore: fc.boolean(),
        waitForCompletion: fc.oneof(
          fc.boolean(),
          fc.record(
            {
              timeoutMinutes: fc.double({ min: 0.01, max: 10_000, noNaN: true }),
              pollIntervalSeconds: fc.double({ min: 0.01, max: 600, noNaN: true }),
            },
            { requiredKeys: [] },
          ),
        ),
        failOn: fc.constantFrom("failed", "completedWithError", "never"),
        drillId: fc.string({ minLength: 1, maxLength: 40 }),
        __provider: fc.constant("exports.handler = {}"),
      },
      { requiredKeys: [] },
    )
    // An in-place restore takes the second switch.
    .map((s) => (s.destinationType === "inPlace" ? { ...s, allowInPlaceRestore: true } : s));
  const contents = fc.oneof(standard, bulk, ...(granular !== undefined ? [granular] : []));
  return fc.tuple(contents, settings).map(([c, s]) => {
    const given: Record<string, unknown> = { ...c, ...s };
    const needsBeta = nodes(given).some(({ path }) => path[path.length - 1] === "itemKinds");
    return { given, apiVersion: needsBeta ? ("beta" as const) : ("v1.0" as const) };
  });
}

/** `value` with the node at `path` replaced. */
function replaceAt(value: Record<string, unknown>, path: readonly (string | number)[], replacement: unknown): Record<string, unknown> {
  // A JSON copy, not structuredClone: that makes objects of another realm than jest's test code.
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  let parent = copy as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  Object.defineProperty(parent, path[path.length - 1]!, { value: replacement, enumerable: true, writable: true, configurable: true });
  return copy;
}

// ---------------------------------------------------------------------------------------------

describe("check over random, adversarial and valid inputs, in process", () => {
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

  describe.each(WORKLOADS.map((w) => [w.restoreSession.resourceType, w] as const))("%s input rules", (_name, workload) => {
    const rules = restoreSessionInputRules(workload);
    const shape = shapeOf(workload);

    test("never throw, and every failure names a real path into the input and a reason", () => {
      fc.assert(
        fc.property(adversarialInputs(workload), apiVersion, (given, version) => {
          const { failures } = rules.validate(given as Record<string, unknown>, version);
          const namable = namablePaths(given as Record<string, unknown>, shape);
          for (const failure of failures) {
            expect([failure.property, namable.has(failure.property)]).toEqual([failure.property, true]);
            expect(failure.reason.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 1_500 },
      );
    });

    test("an unknown key's reason lists only keys allowed where it stands", () => {
      fc.assert(
        fc.property(adversarialInputs(workload), apiVersion, (given, version) => {
          const paths = new Map(nodes(given).map((n) => [render(n.path), n.path]));
          for (const { property, reason } of rules.validate(given as Record<string, unknown>, version).failures) {
            const listed = /^unknown property; allowed here: (.*)$/.exec(reason)?.[1]?.split(", ");
            if (listed === undefined) continue;
            const level = levelOf(paths.get(property)!.slice(0, -1));
            expect([property, listed.filter((key) => !shape.documented[level]!.includes(key))]).toEqual([property, []]);
          }
        }),
        { numRuns: 1_500 },
      );
    });

    test("valid inputs pass, come back as given with the defaults filled, and parse to what was given", () => {
      fc.assert(
        fc.property(validInputs(workload), ({ given, apiVersion: version }) => {
          const { inputs, failures } = rules.validate(given, version);
          expect(failures).toEqual([]);
          expect(inputs).toEqual({ destinationType: "new", activate: false, ...given });
          expect(rules.validate(inputs, version)).toEqual({ inputs, failures: [] });
          const contents = [shape.artifacts, shape.granular ?? shape.artifacts, "bulkRestore", "__provider"];
          const settings = Object.fromEntries(Object.entries(inputs).filter(([key]) => !contents.includes(key)));
          expect(rules.parse(inputs)).toEqual({
            ...settings,
            artifacts: inputs[shape.artifacts] ?? [],
            granularArtifacts: (shape.granular !== undefined ? inputs[shape.granular] : undefined) ?? [],
            ...(inputs.bulkRestore !== undefined ? { bulkRestore: inputs.bulkRestore } : {}),
          });
        }),
        { numRuns: 500 },
      );
    });

    test("the unknown sentinel passes wherever it stands in valid inputs", () => {
      const withSentinel = validInputs(workload).chain(({ given, apiVersion: version }) => {
        const paths = nodes(given).map((n) => n.path);
        return fc.constantFrom(...paths).map((path) => ({ given: replaceAt(given, path, UNKNOWN), path: render(path), version }));
      });
      fc.assert(
        fc.property(withSentinel, ({ given, path, version }) => {
          expect([path, rules.validate(given, version).failures]).toEqual([path, []]);
        }),
        { numRuns: 500 },
      );
    });

    test("keys named like Object.prototype members are refused at their path and never reach a prototype", () => {
      const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
      const withHostileKey = validInputs(workload).chain(({ given, apiVersion: version }) => {
        const objects = [
          [],
          ...nodes(given)
            .filter((n) => typeof n.value === "object" && n.value !== null && !Array.isArray(n.value))
            .map((n) => n.path),
        ];
        return fc
          .tuple(fc.constantFrom(...objects), fc.constantFrom(...PROTOTYPE_KEYS))
          .map(([at, key]) => ({ given: replaceAt(given, [...at, key], { polluted: true }), path: [...at, key], version }));
      });
      fc.assert(
        fc.property(withHostileKey, ({ given, path, version }) => {
          const { inputs, failures } = rules.validate(given, version);
          // The key is named (or, inside a union like waitForCompletion, the object that holds it).
          const holders = path.map((_, i) => render(path.slice(0, i + 1)));
          expect(failures.map((f) => f.property).filter((p) => holders.includes(p))).not.toEqual([]);
          expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(Object.getPrototypeOf(inputs)).toBe(Object.prototype);
        }),
        { numRuns: 500 },
      );
    });
  });

  test("the engine's check (SharePoint, as 0.1.0's serialized provider calls it) never throws and names real paths", async () => {
    const shape = shapeOf(SHAREPOINT);
    const olds = fc.oneof(fc.constant({}), fc.record({ activate: fc.boolean() }), fc.object());
    await fc.assert(
      fc.asyncProperty(olds, adversarialInputs(SHAREPOINT), async (old, given) => {
        const result = await check(old as Record<string, unknown>, given as Record<string, unknown>);
        const namable = namablePaths(given as Record<string, unknown>, shape);
        for (const failure of result.failures ?? []) {
          expect([failure.property, namable.has(failure.property)]).toEqual([failure.property, true]);
          expect(failure.reason.length).toBeGreaterThan(0);
        }
        if ((result.failures ?? []).length === 0) expect(result.inputs).toBeDefined();
      }),
      { numRuns: 1_500 },
    );
  });

  test("a hostile restore point id is either accepted verbatim as data or refused at its own path", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (restorePointId) => {
        const result = await check({}, { siteRestoreArtifacts: [{ restorePointId }] });
        const failures = result.failures ?? [];
        if (failures.length === 0)
          expect((result.inputs.siteRestoreArtifacts as { restorePointId: string }[])[0]!.restorePointId).toBe(restorePointId);
        else expect(failures.map((f) => f.property)).toEqual(failures.map(() => "siteRestoreArtifacts[0].restorePointId"));
      }),
      { numRuns: 1_000 },
    );
  });

  test("none of them called Graph", () => {
    expect(fetchCalls).toBe(0);
  });
});

describe("check through the real host", () => {
  let emulator: Emulator;
  let host: Host;
  beforeAll(async () => {
    emulator = await startEmulator({ tls: testCa() });
    host = await startHost({ cwd: makeProgramDir() });
    await host.configure({ "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken });
  });
  afterAll(async () => {
    await host?.close();
    await emulator?.close();
  });

  test.each(WORKLOADS.map((w) => [w.restoreSession.resourceType, w] as const))(
    "%s: a sample of adversarial inputs comes back as failures or inputs, and Graph sees no request",
    async (resource, workload) => {
      const provider = await serializedProviderText(resource);
      const shape = shapeOf(workload);
      for (const given of fc.sample(adversarialInputs(workload), { numRuns: 40, seed: 6 })) {
        // The engine's wire cannot carry every JS value (functions, symbols): send what JSON can.
        const wire = JSON.parse(JSON.stringify(given) ?? "{}") as Record<string, unknown>;
        const { failures } = await host.check(urnFor("fuzz"), {}, { ...wire, __provider: provider });
        const namable = namablePaths(wire, shape);
        for (const failure of failures) expect([failure.property, namable.has(failure.property)]).toEqual([failure.property, true]);
      }
      expect(emulator.journal.entries()).toEqual([]);
    },
  );
});
