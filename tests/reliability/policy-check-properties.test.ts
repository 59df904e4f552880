/**
 * Bad policy input: thousands of random and adversarial inputs through the three policy kinds'
 * `check`. It never throws, every failure names the property it is about and says why, what it
 * accepts is within Graph's documented limits, and it never calls Graph (in process: `fetch` is a
 * tripwire; through the real host: the emulator's journal stays empty).
 */
import fc from "fast-check";
import { startEmulator, type Emulator } from "../../emulator";
import * as engine from "../../provider/engine";
import { EXCHANGE, LIMITS, ONEDRIVE, SHAREPOINT, type Workload } from "../../provider/workloads";
import { startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedResourceProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";

const KINDS = [
  { workload: SHAREPOINT, kind: engine.sitePolicy },
  { workload: ONEDRIVE, kind: engine.drivePolicy },
  { workload: EXCHANGE, kind: engine.mailboxPolicy },
];

/** Strings that have broken URL handling, validators and expression parsers elsewhere. */
const hostileString = fc.oneof(
  fc.constantFrom(
    "../",
    "..",
    "?x=1",
    "#frag",
    "%2F",
    "\u202egnp.exe",
    "😀",
    "\u0000",
    "",
    " ",
    "__proto__",
    "constructor",
    "'",
    "')) -or (webUrl -contains '",
    "(displayName -contains 'Finance')",
    "((displayName -contains 'Finance') -or (webUrl -contains 'Legal'))",
    "(memberOf -any (group.id -in ['x']))",
    "00000000-0000-4000-8000-000000000001",
    "https://contoso.sharepoint.com/sites/a",
    "adele@contoso.com",
    "x".repeat(5_000),
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);
const guid = fc.uuid();
const stringList = fc.array(fc.oneof(hostileString, guid, fc.anything()), { maxLength: 6 });
const rule = fc.oneof(
  fc.record({ expression: fc.oneof(hostileString, fc.anything()) }, { requiredKeys: [] }),
  fc.record(
    {
      groupIds: fc.oneof(fc.array(fc.oneof(guid, hostileString), { maxLength: 120 }), fc.anything()),
      autoApply: fc.oneof(fc.boolean(), fc.anything()),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(hostileString, fc.anything(), { maxKeys: 3 }),
  fc.anything(),
);

function news(workload: Workload) {
  const { unitIdsInput, unitNamesInput, rules } = workload.protectionPolicy;
  return fc.oneof(
    fc.record(
      {
        displayName: fc.oneof(hostileString, fc.anything()),
        [unitIdsInput]: fc.oneof(stringList, fc.anything()),
        [unitNamesInput]: fc.oneof(stringList, fc.anything()),
        [rules]: fc.oneof(fc.array(rule, { maxLength: 4 }), fc.anything()),
        active: fc.oneof(fc.boolean(), fc.anything()),
        adoptExisting: fc.oneof(fc.boolean(), fc.anything()),
        statusWait: fc.oneof(
          fc.record({ timeoutMinutes: fc.anything(), pollIntervalSeconds: fc.anything() }, { requiredKeys: [] }),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(hostileString, fc.anything(), { maxKeys: 5 }),
    fc.object(),
    fc.dictionary(fc.constantFrom("__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"), fc.anything(), { maxKeys: 3 }),
  );
}

/** Inputs near Graph's limits (names at 1,024 characters, 3 or 100 groups, 10 keywords of 3 to 255 characters), to be judged exactly. */
function plausible(workload: Workload) {
  const { unitIdsInput, rules, ruleKind } = workload.protectionPolicy;
  const keyword = fc.string({ unit: fc.constantFrom("a", "b", "Z", " ", "-"), minLength: 1, maxLength: 260 });
  const siteRule = fc
    .array(keyword, { minLength: 1, maxLength: 12 })
    .map((words) => ({ expression: `(${words.map((w) => `(displayName -contains '${w}')`).join(" -or ")})` }));
  const groupRule = fc.record(
    { groupIds: fc.uniqueArray(guid, { minLength: 0, maxLength: 104 }), autoApply: fc.boolean() },
    { requiredKeys: ["groupIds"] },
  );
  return fc.record({
    displayName: fc.string({ minLength: 0, maxLength: 1_030 }),
    [unitIdsInput]: fc.uniqueArray(
      workload === SHAREPOINT ? fc.constantFrom("contoso.sharepoint.com,a,b", "contoso.sharepoint.com,c,d") : guid,
      { minLength: 1, maxLength: 3 },
    ),
    [rules]: fc.array<Record<string, unknown>>(ruleKind === "siteKeywords" ? siteRule : groupRule, { maxLength: 3 }),
  });
}

/** The property a failure names must be one the user gave or the schema knows. */
function namesAProperty(workload: Workload, property: string, given: Record<string, unknown>): boolean {
  const { unitIdsInput, unitNamesInput, rules } = workload.protectionPolicy;
  const known = ["displayName", unitIdsInput, unitNamesInput, rules, "active", "adoptExisting", "statusWait", ...Object.keys(given)];
  return (
    property === "m365-backup:graphEndpoint" ||
    known.some((key) => property === key || property.startsWith(`${key}[`) || property.startsWith(`${key}.`))
  );
}

/** What check accepts stays within Graph's documented limits. */
function withinLimits(workload: Workload, inputs: Record<string, unknown>): void {
  const { rules } = workload.protectionPolicy;
  const displayName = inputs.displayName as string;
  expect(displayName.length).toBeGreaterThanOrEqual(LIMITS.policyDisplayName.min);
  expect(displayName.length).toBeLessThanOrEqual(LIMITS.policyDisplayName.max);
  const listed = (inputs[rules] as { autoApply?: boolean; groupIds?: string[] }[] | undefined) ?? [];
  expect(listed.filter((r) => r.autoApply === true).length).toBeLessThanOrEqual(LIMITS.dynamicRulesPerPolicy);
  for (const r of listed) {
    if (r.groupIds !== undefined)
      expect(r.groupIds.length).toBeLessThanOrEqual(r.autoApply === true ? LIMITS.groupIdsPerExpression : LIMITS.groupsPerStaticRule);
  }
}

describe("policy check over random and adversarial inputs, in process", () => {
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

  test.each(KINDS)(
    "$workload.title: never throws, names a property and a reason in every failure, accepts only what Graph allows, never fetches",
    async ({ workload, kind }) => {
      await fc.assert(
        fc.asyncProperty(news(workload), async (given) => {
          const result = await kind.check({}, given as Record<string, unknown>);
          for (const failure of result.failures ?? []) {
            expect(namesAProperty(workload, failure.property, given as Record<string, unknown>)).toBe(true);
            expect(failure.reason.length).toBeGreaterThan(0);
          }
          if ((result.failures ?? []).length === 0) withinLimits(workload, result.inputs);
        }),
        { numRuns: 2_000 },
      );
      expect(fetchCalls).toBe(0);
    },
  );

  test.each(KINDS)("$workload.title: inputs near the limits are accepted exactly when Graph allows them", async ({ workload, kind }) => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(plausible(workload), async (given) => {
        const result = await kind.check({}, given as Record<string, unknown>);
        if ((result.failures ?? []).length === 0) {
          accepted += 1;
          withinLimits(workload, result.inputs);
          if (workload === SHAREPOINT) {
            for (const r of result.inputs.siteInclusionRules as { expression: string }[]) {
              const words = [...r.expression.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
              expect(words.length).toBeLessThanOrEqual(LIMITS.siteRuleKeywords.max);
              for (const w of words) expect(w.length).toBeGreaterThanOrEqual(LIMITS.siteRuleKeywords.minLength);
            }
          }
        } else refused += 1;
      }),
      { numRuns: 500 },
    );
    // Both sides of the limits were reached.
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(fetchCalls).toBe(0);
  });

  test("a hostile site expression is either accepted (and then parses to Graph's grammar) or refused at its own path", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (expression) => {
        const result = await engine.sitePolicy.check({}, { displayName: "p", siteInclusionRules: [{ expression }] });
        const failures = result.failures ?? [];
        if (failures.length === 0) expect(expression).toMatch(/-contains|-ge/);
        else expect(failures.map((f) => f.property)).toEqual(failures.map(() => "siteInclusionRules[0].expression"));
      }),
      { numRuns: 1_000 },
    );
    expect(fetchCalls).toBe(0);
  });
});

describe("policy check through the real host", () => {
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

  test.each(KINDS)(
    "$workload.title: a sample of adversarial inputs comes back as failures or inputs, and Graph sees no request",
    async ({ workload }) => {
      const provider = await serializedResourceProviderText(workload.protectionPolicy.resourceType, { displayName: "probe" });
      const urn = urnFor("fuzz", `pulumi-nodejs:dynamic/m365-backup:${workload.protectionPolicy.resourceType}`);
      for (const given of fc.sample(news(workload), { numRuns: 30, seed: 14 })) {
        // The engine's wire cannot carry every JS value (functions, symbols): send what JSON can.
        const wire = JSON.parse(JSON.stringify(given) ?? "{}") as Record<string, unknown>;
        const { failures } = await host.check(urn, {}, { ...wire, __provider: provider });
        for (const failure of failures) expect(namesAProperty(workload, failure.property, wire)).toBe(true);
      }
      expect(emulator.journal.entries()).toEqual([]);
    },
  );
});
