/**
 * CrossGuard: each resource class carries its type token as generated SDKs do, so `@pulumi/policy`'s
 * `validateResourceOfType` and `isType` match it, proven through a real policy pack served over
 * gRPC; and the token is the one the class registers with, which stays as it was.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { repoRoot } from "../support/program-dir";
import { servePack, type ServedPack } from "../support/policy-pack";

// The program side exactly as a consumer (and a pack) loads it: the built package.
const m365 = require(path.join(repoRoot, "dist", "provider")) as typeof import("../../provider");

type AnyClass = { __pulumiType: string; isInstance(obj: unknown): boolean; new (name: string, args: any): pulumi.Resource };
const CLASSES: [string, AnyClass, string][] = [
  ["SharePointRestoreSession", m365.SharePointRestoreSession, m365.SHAREPOINT_RESTORE_SESSION_TYPE],
  ["OneDriveRestoreSession", m365.OneDriveRestoreSession, m365.ONEDRIVE_RESTORE_SESSION_TYPE],
  ["ExchangeRestoreSession", m365.ExchangeRestoreSession, m365.EXCHANGE_RESTORE_SESSION_TYPE],
  ["SharePointProtectionPolicy", m365.SharePointProtectionPolicy, m365.SHAREPOINT_PROTECTION_POLICY_TYPE],
  ["OneDriveProtectionPolicy", m365.OneDriveProtectionPolicy, m365.ONEDRIVE_PROTECTION_POLICY_TYPE],
  ["ExchangeProtectionPolicy", m365.ExchangeProtectionPolicy, m365.EXCHANGE_PROTECTION_POLICY_TYPE],
];
const TOKENS = CLASSES.map(([, , token]) => token);

describe("the type token on each class", () => {
  const registered: { type: string; name: string }[] = [];
  const instances = new Map<string, pulumi.Resource>();

  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name });
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
    for (const [name, resourceClass] of CLASSES) instances.set(name, new resourceClass(`a-${name}`, {}));
    await new Promise((resolve) => setImmediate(resolve));
  });

  it.each(CLASSES)(
    "%s: the static token is pulumi-nodejs:dynamic/m365-backup:<Name>, the one it registers with",
    (name, resourceClass, token) => {
      expect(resourceClass.__pulumiType).toBe(`pulumi-nodejs:dynamic/m365-backup:${name}`);
      expect(token).toBe(resourceClass.__pulumiType);
      expect(registered.filter((r) => r.name === `a-${name}`)).toEqual([{ type: token, name: `a-${name}` }]);
    },
  );

  it.each(CLASSES)("%s.isInstance: its own instances and probes carrying its token, nothing else", (name, resourceClass, token) => {
    const others = CLASSES.filter(([other]) => other !== name);
    expect(resourceClass.isInstance(instances.get(name))).toBe(true);
    expect(resourceClass.isInstance({ __pulumiType: token })).toBe(true);
    expect(others.map(([other]) => resourceClass.isInstance(instances.get(other)))).toEqual(others.map(() => false));
    expect(TOKENS.filter((t) => t !== token).map((t) => resourceClass.isInstance({ __pulumiType: t }))).toEqual(others.map(() => false));
    for (const probe of [undefined, null, token, {}, { __pulumiType: "" }, { __pulumiType: `pulumi-nodejs:dynamic/other:${name}` }]) {
      expect(resourceClass.isInstance(probe)).toBe(false);
    }
    // Called without its class (as policy SDKs before 1.18 did), it cannot tell and says no.
    const unbound = resourceClass.isInstance;
    expect(unbound({ __pulumiType: token })).toBe(false);
  });

  it("the classes keep pulumi's own CustomResource identity", () => {
    for (const instance of instances.values()) expect(pulumi.CustomResource.isInstance(instance)).toBe(true);
  });
});

describe("validateResourceOfType and isType in a policy pack served over gRPC", () => {
  let served: ServedPack;
  beforeAll(async () => {
    served = await servePack(path.join(__dirname, "fixtures", "type-match-pack"));
  });
  afterAll(() => served?.close());

  const resource = (type: string, name = "r") => ({ urn: `urn:pulumi:stack::project::${type}::${name}`, type, name, properties: {} });

  it.each(CLASSES)("%s: only its policy applies; the other five say which type they apply to", async (name, _class, token) => {
    const result = await served.pack.analyze(resource(token));
    expect(result.violations.map((v) => [v.policyName, v.message])).toEqual([
      [`matches-${name}`, `Reports every ${name}.\n${name} matched ${token}`],
    ]);
    expect(result.notApplicable).toEqual(
      CLASSES.filter(([other]) => other !== name).map(([other, , otherToken]) => ({
        policyName: `matches-${other}`,
        reason: `Policy only applies to resources of type '${otherToken}'`,
      })),
    );
  });

  it("a resource of another module with the same class name matches none", async () => {
    const result = await served.pack.analyze(resource("pulumi-nodejs:dynamic/other:SharePointRestoreSession"));
    expect(result.violations).toEqual([]);
    expect(result.notApplicable.map((n) => n.policyName)).toEqual(CLASSES.map(([name]) => `matches-${name}`));
  });

  // The policy host puts the policy's description before what it reported.
  const IS_TYPE = "Says which classes each resource is an instance of.\n";

  it("isType in a stack policy names exactly the class of each resource", async () => {
    const resources = [...CLASSES.map(([name, , token]) => resource(token, `r-${name}`)), resource("aws:s3/bucket:Bucket", "bucket")];
    const result = await served.pack.analyzeStack(resources);
    expect(result.violations.map((v) => [v.urn, v.message])).toEqual([
      ...CLASSES.map(([name, , token]) => [resource(token, `r-${name}`).urn, `${IS_TYPE}r-${name}: ${name}`]),
      [resource("aws:s3/bucket:Bucket", "bucket").urn, `${IS_TYPE}bucket: `],
    ]);
  });
});
