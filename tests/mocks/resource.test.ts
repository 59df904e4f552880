/**
 * Program side under Pulumi's mocks: what each resource registers with the engine, and the exact
 * serialized provider text (golden files) that every stack's state will carry.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const registrations: pulumi.runtime.MockResourceArgs[] = [];
/** What the engine stores for a resource of this name (the mocks answer with it). */
const STORED: Record<string, Record<string, unknown>> = {};
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registrations.push(args);
      return { id: args.id ?? `${args.name}-id`, state: { ...args.inputs, status: "draft", ...(STORED[args.name] ?? {}) } };
    },
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);

// Imported after setMocks, as Pulumi's testing guide requires.
import {
  ExchangeRestoreSession,
  OneDriveRestoreSession,
  SharePointRestoreSession,
  EXCHANGE_RESTORE_SESSION_TYPE,
  ONEDRIVE_RESTORE_SESSION_TYPE,
  SHAREPOINT_RESTORE_SESSION_TYPE,
} from "../../provider";

function output<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

const RESOURCES = [
  {
    name: "SharePointRestoreSession",
    make: (n: string, a: Record<string, unknown>) => new SharePointRestoreSession(n, a),
    get: SharePointRestoreSession.get,
    type: SHAREPOINT_RESTORE_SESSION_TYPE,
    artifacts: "siteRestoreArtifacts",
    bulkNames: "siteWebUrls",
    // The text state written by 0.1.0 carries: the engine's top-level methods.
    engineKey: "",
  },
  {
    name: "OneDriveRestoreSession",
    make: (n: string, a: Record<string, unknown>) => new OneDriveRestoreSession(n, a),
    get: OneDriveRestoreSession.get,
    type: ONEDRIVE_RESTORE_SESSION_TYPE,
    artifacts: "driveRestoreArtifacts",
    bulkNames: "drives",
    engineKey: ".oneDrive",
  },
  {
    name: "ExchangeRestoreSession",
    make: (n: string, a: Record<string, unknown>) => new ExchangeRestoreSession(n, a),
    get: ExchangeRestoreSession.get,
    type: EXCHANGE_RESTORE_SESSION_TYPE,
    artifacts: "mailboxRestoreArtifacts",
    bulkNames: "mailboxes",
    engineKey: ".exchange",
  },
] as const;

describe.each(RESOURCES)("$name registration", (resource) => {
  beforeEach(() => registrations.splice(0));

  it("registers its type token with exactly the given inputs plus the serialized provider", async () => {
    const session = resource.make("drill", {
      [resource.artifacts]: [{ restorePointId: "rp-1" }, { restorePointId: pulumi.output("rp-2") }],
      destinationType: "new",
      activate: true,
    });
    expect(await output(session.status)).toBe("draft");
    expect(registrations).toHaveLength(1);
    const [registration] = registrations;
    expect(resource.type).toBe(`pulumi-nodejs:dynamic/m365-backup:${resource.name}`);
    expect(registration!.type).toBe(resource.type);
    expect(registration!.name).toBe("drill");
    const { __provider, ...inputs } = registration!.inputs;
    expect(inputs).toEqual({
      [resource.artifacts]: [{ restorePointId: "rp-1" }, { restorePointId: "rp-2" }],
      destinationType: "new",
      activate: true,
    });
    expect(typeof __provider).toBe("string");
  });

  it("leaves defaults to the provider's check, except a bulk request's name, which is the resource's", async () => {
    const session = resource.make("minimal", { [resource.artifacts]: [{ restorePointId: "rp-1" }] });
    await output(session.urn);
    expect(registrations[0]!.inputs).toEqual({ [resource.artifacts]: [{ restorePointId: "rp-1" }], __provider: expect.any(String) });
    const bulk = resource.make("monthly-drill", { bulkRestore: { [resource.bulkNames]: ["x@contoso.com"] } });
    await output(bulk.urn);
    expect(registrations[1]!.inputs.bulkRestore).toEqual({ [resource.bulkNames]: ["x@contoso.com"], displayName: "monthly-drill" });
    const named = resource.make("named", { bulkRestore: { [resource.bulkNames]: ["x@contoso.com"], displayName: "April drill" } });
    await output(named.urn);
    expect(registrations[2]!.inputs.bulkRestore).toEqual({ [resource.bulkNames]: ["x@contoso.com"], displayName: "April drill" });
  });

  it("get() reads an existing session by id, with no inputs", async () => {
    const session = resource.get("existing", "5d0c7a92-1e3b-4f6a-9b8c-2d4e6f801357");
    expect(await output(session.id)).toBe("5d0c7a92-1e3b-4f6a-9b8c-2d4e6f801357");
    expect(registrations[0]!.type).toBe(resource.type);
    expect(registrations[0]!.id).toBe("5d0c7a92-1e3b-4f6a-9b8c-2d4e6f801357");
  });

  it("serializes a provider that matches its golden file, stays under 2 KiB and names its kind", async () => {
    const session = resource.make("golden", { [resource.artifacts]: [{ restorePointId: "rp-1" }] });
    await output(session.urn);
    const text = registrations[0]!.inputs.__provider as string;
    const golden = path.join(__dirname, "golden", `${resource.name}.txt`);
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(golden, text);
    expect(text).toBe(fs.readFileSync(golden, "utf8"));
    expect(Buffer.byteLength(text)).toBeLessThan(2048);
    // It loads the engine by package name at call time and captures nothing else.
    expect(text.match(/require\("([^"]+)"\)/g)?.every((r) => r === 'require("pulumi-m365-backup/engine")')).toBe(true);
    expect(text).not.toMatch(/zod|graph-client|identity|__dirname/);
    for (const method of ["check", "diff", "create", "read", "update"]) {
      expect(text).toContain(`require("pulumi-m365-backup/engine")${resource.engineKey}.${method}(...a)`);
    }
  });

  it("derives the drill report's rows from the artifacts; the state stores only the summary", async () => {
    const summary = { sessionId: "s-1", workload: "X", status: "completed", succeeded: 1, failed: 0, pending: 0 };
    STORED.report = {
      drillReport: summary,
      [resource.artifacts]: [
        {
          restorePointId: "rp-1",
          email: "adele@contoso.com",
          status: "succeeded",
          startDateTime: "2026-11-01T00:00:00Z",
          completionDateTime: "2026-11-01T00:30:00Z",
        },
      ],
    };
    const session = resource.make("report", { [resource.artifacts]: [{ restorePointId: "rp-1" }] });
    expect(await output(session.drillReport)).toEqual({
      ...summary,
      items: [
        {
          name: "adele@contoso.com",
          restorePointId: "rp-1",
          status: "succeeded",
          startDateTime: "2026-11-01T00:00:00Z",
          completionDateTime: "2026-11-01T00:30:00Z",
          durationSeconds: 1800,
        },
      ],
    });
    expect(await output(resource.make("no-report", { [resource.artifacts]: [{ restorePointId: "rp-1" }] }).drillReport)).toBeUndefined();
  });
});
