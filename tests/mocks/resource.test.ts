/**
 * Program side under Pulumi's mocks: what the resource registers with the engine, and the exact
 * serialized provider text (golden file) that every stack's state will carry.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const registrations: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registrations.push(args);
      return { id: args.id ?? `${args.name}-id`, state: { ...args.inputs, status: "draft" } };
    },
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);

// Imported after setMocks, as Pulumi's testing guide requires.
import { SharePointRestoreSession, SHAREPOINT_RESTORE_SESSION_TYPE } from "../../provider";

const GOLDEN = path.join(__dirname, "golden", "serialized-provider.txt");

function output<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

describe("SharePointRestoreSession registration", () => {
  beforeEach(() => registrations.splice(0));

  it("registers the type token with exactly the given inputs plus the serialized provider", async () => {
    const session = new SharePointRestoreSession("drill", {
      siteRestoreArtifacts: [{ restorePointId: "rp-1" }, { restorePointId: pulumi.output("rp-2") }],
      destinationType: "new",
      activate: true,
    });
    expect(await output(session.status)).toBe("draft");
    expect(registrations).toHaveLength(1);
    const [registration] = registrations;
    expect(SHAREPOINT_RESTORE_SESSION_TYPE).toBe("pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession");
    expect(registration.type).toBe(SHAREPOINT_RESTORE_SESSION_TYPE);
    expect(registration.name).toBe("drill");
    const { __provider, ...inputs } = registration.inputs;
    expect(inputs).toEqual({
      siteRestoreArtifacts: [{ restorePointId: "rp-1" }, { restorePointId: "rp-2" }],
      destinationType: "new",
      activate: true,
    });
    expect(typeof __provider).toBe("string");
  });

  it("leaves defaults to the provider's check (nothing invented on the program side)", async () => {
    const session = new SharePointRestoreSession("minimal", { siteRestoreArtifacts: [{ restorePointId: "rp-1" }] });
    await output(session.urn);
    const { __provider: _p, ...inputs } = registrations[0].inputs;
    expect(inputs).toEqual({ siteRestoreArtifacts: [{ restorePointId: "rp-1" }] });
  });

  it("get() reads an existing session by id, with no inputs", async () => {
    const session = SharePointRestoreSession.get("existing", "5d0c7a92-1e3b-4f6a-9b8c-2d4e6f801357");
    expect(await output(session.id)).toBe("5d0c7a92-1e3b-4f6a-9b8c-2d4e6f801357");
    expect(registrations[0].type).toBe(SHAREPOINT_RESTORE_SESSION_TYPE);
    expect(registrations[0].id).toBe("5d0c7a92-1e3b-4f6a-9b8c-2d4e6f801357");
  });

  it("serializes a provider that matches the golden file and stays under 2 KB", async () => {
    const session = new SharePointRestoreSession("golden", { siteRestoreArtifacts: [{ restorePointId: "rp-1" }] });
    await output(session.urn);
    const text = registrations[0].inputs.__provider as string;
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(GOLDEN, text);
    expect(text).toBe(fs.readFileSync(GOLDEN, "utf8"));
    expect(Buffer.byteLength(text)).toBeLessThan(2048);
    // It loads the engine by package name at call time and captures nothing else.
    expect(text.match(/require\("([^"]+)"\)/g)?.every((r) => r === 'require("pulumi-m365-backup/engine")')).toBe(true);
    expect(text).not.toMatch(/zod|graph-client|identity|__dirname/);
  });
});
