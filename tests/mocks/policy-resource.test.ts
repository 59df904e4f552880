/**
 * The protection-policy resources under Pulumi's mocks: what each registers with the engine, and
 * the exact serialized provider text (golden files) that every stack's state will carry.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const registrations: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registrations.push(args);
      return { id: args.id ?? `${args.name}-id`, state: { ...args.inputs, status: "inactive" } };
    },
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);

// Imported after setMocks, as Pulumi's testing guide requires.
import {
  ExchangeProtectionPolicy,
  OneDriveProtectionPolicy,
  SharePointProtectionPolicy,
  EXCHANGE_PROTECTION_POLICY_TYPE,
  ONEDRIVE_PROTECTION_POLICY_TYPE,
  SHAREPOINT_PROTECTION_POLICY_TYPE,
} from "../../provider";

function output<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

const GROUP = "6b1f2a0e-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
const RESOURCES = [
  {
    name: "SharePointProtectionPolicy",
    make: (n: string, a: Record<string, unknown>, o?: pulumi.CustomResourceOptions) => new SharePointProtectionPolicy(n, a, o),
    get: SharePointProtectionPolicy.get,
    type: SHAREPOINT_PROTECTION_POLICY_TYPE,
    args: { siteIds: ["contoso.sharepoint.com,1,2"], siteInclusionRules: [{ expression: "(displayName -contains 'Finance')" }] },
    kind: "sitePolicy",
    outputs: ["siteIds", "siteWebUrls", "siteInclusionRules", "siteProtectionUnits", "siteProtectionUnitsBulkAdditionJobs"],
  },
  {
    name: "OneDriveProtectionPolicy",
    make: (n: string, a: Record<string, unknown>, o?: pulumi.CustomResourceOptions) => new OneDriveProtectionPolicy(n, a, o),
    get: OneDriveProtectionPolicy.get,
    type: ONEDRIVE_PROTECTION_POLICY_TYPE,
    args: { userEmails: ["adele@contoso.com"], driveInclusionRules: [{ groupIds: [GROUP], autoApply: true }] },
    kind: "drivePolicy",
    outputs: ["userIds", "userEmails", "driveInclusionRules", "driveProtectionUnits", "driveProtectionUnitsBulkAdditionJobs"],
  },
  {
    name: "ExchangeProtectionPolicy",
    make: (n: string, a: Record<string, unknown>, o?: pulumi.CustomResourceOptions) => new ExchangeProtectionPolicy(n, a, o),
    get: ExchangeProtectionPolicy.get,
    type: EXCHANGE_PROTECTION_POLICY_TYPE,
    args: { mailboxIds: [GROUP], mailboxInclusionRules: [{ groupIds: [GROUP] }] },
    kind: "mailboxPolicy",
    outputs: ["mailboxIds", "mailboxEmails", "mailboxInclusionRules", "mailboxProtectionUnits", "mailboxProtectionUnitsBulkAdditionJobs"],
  },
] as const;

describe.each(RESOURCES)("$name registration", (resource) => {
  beforeEach(() => registrations.splice(0));

  it("registers its type token with the given inputs, the resource's name as displayName, and the serialized provider", async () => {
    const policy = resource.make("posture", { ...resource.args, active: false });
    expect(await output(policy.status)).toBe("inactive");
    expect(resource.type).toBe(`pulumi-nodejs:dynamic/m365-backup:${resource.name}`);
    expect(registrations.map((r) => [r.type, r.name])).toEqual([[resource.type, "posture"]]);
    const { __provider, ...inputs } = registrations[0]!.inputs;
    expect(inputs).toEqual({ ...resource.args, active: false, displayName: "posture" });
    expect(typeof __provider).toBe("string");
  });

  it("keeps a displayName the program gives", async () => {
    await output(resource.make("posture", { ...resource.args, displayName: "Tier 1" }).urn);
    expect(registrations[0]!.inputs.displayName).toBe("Tier 1");
  });

  it("get() reads an existing policy by id, with no inputs and no displayName of its own", async () => {
    const policy = resource.get("existing", "b218eb4a-ea72-42bd-8f0b-d0bbf794bec7");
    expect(await output(policy.id)).toBe("b218eb4a-ea72-42bd-8f0b-d0bbf794bec7");
    expect(registrations[0]!.type).toBe(resource.type);
    expect(registrations[0]!.id).toBe("b218eb4a-ea72-42bd-8f0b-d0bbf794bec7");
    expect(registrations[0]!.inputs.displayName).toBeUndefined();
  });

  it("exposes the workload's outputs as properties", async () => {
    const policy = resource.make("outputs", resource.args) as unknown as Record<string, unknown>;
    for (const key of resource.outputs) expect(pulumi.Output.isInstance(policy[key])).toBe(true);
  });

  it("serializes a provider that matches its golden file, stays under 2 KiB and calls its kind", async () => {
    await output(resource.make("golden", resource.args).urn);
    const text = registrations[0]!.inputs.__provider as string;
    const golden = path.join(__dirname, "golden", `${resource.name}.txt`);
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(golden, text);
    expect(text).toBe(fs.readFileSync(golden, "utf8"));
    expect(Buffer.byteLength(text)).toBeLessThan(2048);
    expect(text.match(/require\("([^"]+)"\)/g)?.every((r) => r === 'require("pulumi-m365-backup/engine")')).toBe(true);
    expect(text).not.toMatch(/zod|graph-client|identity|__dirname/);
    expect(text).toContain('require("pulumi-m365-backup/engine").configure(...a)');
    for (const method of ["check", "diff", "create", "read", "update", "delete"]) {
      expect(text).toContain(`require("pulumi-m365-backup/engine").${resource.kind}.${method}(...a)`);
    }
  });
});

it("the engine serves each policy kind the serialized providers call", () => {
  const engine = require("../../provider/engine") as Record<string, Record<string, unknown>>;
  for (const { kind } of RESOURCES) {
    expect(Object.keys(engine[kind]!).sort()).toEqual(["check", "create", "delete", "diff", "read", "update"]);
  }
});
