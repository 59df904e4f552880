/**
 * The host client against the real @pulumi/pulumi dynamic-provider host, with the echo fixture
 * installed (linked) in a program directory. The fixture records every call it receives in a JSON
 * file, so each test asserts the exact calls that reached the provider.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { HostCallError, secret, startHost, UNKNOWN, urnFor, type Host } from "../support/host";
import { echoProviderDir, makeProgramDir, serializedEchoProviderText, serializedProviderText } from "../support/program-dir";

const ECHO_TYPE = "pulumi-nodejs:dynamic/echo:Echo";
const urn = urnFor("thing", ECHO_TYPE);

interface EchoStore {
  objects: Record<string, Record<string, unknown>>;
  calls: Record<string, unknown>[];
}

let programDir: string;
let storePath: string;
let host: Host;
let provider: string;

function store(): EchoStore {
  return JSON.parse(fs.readFileSync(storePath, "utf8")) as EchoStore;
}

beforeEach(async () => {
  provider = await serializedEchoProviderText();
  programDir = makeProgramDir({ "echo-provider": echoProviderDir });
  storePath = path.join(programDir, "echo-store.json");
  host = await startHost({ cwd: programDir, env: { ...process.env, ECHO_STORE: storePath } });
  await host.configure({ "echo:greeting": "hello", "echo:token": "s3cret-token", "other:key": "x" }, { secretKeys: ["echo:token"] });
});

afterEach(async () => {
  await host.close();
  fs.rmSync(programDir, { recursive: true, force: true });
});

test("urnFor builds the engine's URN for a top-level resource", () => {
  expect(urnFor("s1")).toBe("urn:pulumi:stack::project::pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession::s1");
  expect(urnFor("e", ECHO_TYPE, "proj", "dev")).toBe("urn:pulumi:dev::proj::pulumi-nodejs:dynamic/echo:Echo::e");
});

test("configure hands the whole config, fully qualified and with the secret unwrapped, to the provider once", async () => {
  await host.check(urn, {}, { __provider: provider, label: "a" });
  await host.check(urn, {}, { __provider: provider, label: "b" });
  expect(store().calls.filter((c) => c.method === "configure")).toEqual([
    { method: "configure", greeting: "hello", tokenLength: "s3cret-token".length },
  ]);
});

test("check round-trips inputs, failures and the preview unknown sentinel", async () => {
  const result = await host.check(
    urn,
    { __provider: provider, label: "old" },
    { __provider: provider, label: 5, size: "big", zone: UNKNOWN },
  );
  expect(result).toEqual({
    inputs: { __provider: provider, label: 5, size: "big", zone: UNKNOWN, greeting: "hello" },
    failures: [
      { property: "label", reason: "label must be a string" },
      { property: "size", reason: "size must be a number" },
    ],
  });
  expect(store().calls[1]).toEqual({ method: "check", olds: { label: "old" }, news: { label: 5, size: "big", zone: UNKNOWN } });
});

test("secrets reach a provider that does not accept them unwrapped, and come back marked secret", async () => {
  const result = await host.check(urn, {}, { __provider: provider, label: secret("hidden") });
  expect(result.inputs).toEqual({ __provider: provider, label: secret("hidden"), greeting: "hello" });
  expect(store().calls[1]).toEqual({ method: "check", olds: {}, news: { label: "hidden" } });
});

test("diff round-trips changes, replaces and deleteBeforeReplace", async () => {
  const olds = { __provider: provider, label: "a", zone: "z1", revision: 1 };
  expect(await host.diff("echo-a-1", urn, olds, { __provider: provider, label: "a", zone: "z1" })).toEqual({
    changes: "NONE",
    replaces: [],
    deleteBeforeReplace: false,
  });
  expect(await host.diff("echo-a-1", urn, olds, { __provider: provider, label: "b", zone: "z1" })).toEqual({
    changes: "SOME",
    replaces: [],
    deleteBeforeReplace: false,
  });
  expect(await host.diff("echo-a-1", urn, olds, { __provider: provider, label: "a", zone: "z2", deleteFirst: true })).toEqual({
    changes: "SOME",
    replaces: ["zone"],
    deleteBeforeReplace: true,
  });
  expect(
    store()
      .calls.slice(1)
      .map((c) => [c.method, c.id]),
  ).toEqual([
    ["diff", "echo-a-1"],
    ["diff", "echo-a-1"],
    ["diff", "echo-a-1"],
  ]);
});

test("create, read, update and delete reach the provider with the engine's arguments", async () => {
  const created = await host.create(urn, { __provider: provider, label: "a" });
  expect(created).toEqual({ id: "echo-a-1", properties: { __provider: provider, label: "a", revision: 1 } });

  const read = await host.read(created.id, urn, created.properties);
  expect(read).toEqual({ id: "echo-a-1", properties: { __provider: provider, label: "a", revision: 1 } });

  const updated = await host.update(created.id, urn, created.properties, { __provider: provider, label: "a", size: 3 });
  expect(updated).toEqual({ properties: { __provider: provider, label: "a", size: 3, revision: 2 } });

  await host.delete(created.id, urn, updated.properties);
  expect(store()).toEqual({
    objects: {},
    calls: [
      { method: "configure", greeting: "hello", tokenLength: 12 },
      { method: "create", inputs: { label: "a" } },
      { method: "read", id: "echo-a-1", props: { label: "a", revision: 1 } },
      { method: "update", id: "echo-a-1", olds: { label: "a", revision: 1 }, news: { label: "a", size: 3 } },
      { method: "delete", id: "echo-a-1", props: { label: "a", size: 3, revision: 2 } },
    ],
  });
});

test("answers above gRPC's default 4 MiB come through, as the engine takes them (up to 400 MiB)", async () => {
  // A 10,000-site session reads back at about 4 MiB; the engine dials providers with a 400 MiB limit.
  const label = "x".repeat(5 * 1024 * 1024);
  const created = await host.create(urn, { __provider: provider, label: "big", payload: label });
  expect(created.properties.payload).toBe(label);
});

test('read of an object that is gone returns id "" with only the provider kept', async () => {
  expect(await host.read("echo-missing-9", urn, { __provider: provider, label: "x" })).toEqual({
    id: "",
    properties: { __provider: provider },
  });
});

test("a create that fails after the object exists decodes ErrorResourceInitFailed into initFailure", async () => {
  const error = await host.create(urn, { __provider: provider, label: "b", failAfterCreate: true }).then(
    () => {
      throw new Error("create should have failed");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostCallError);
  expect(error).toMatchObject({
    name: "HostCallError",
    method: "create",
    urn,
    code: 2,
    details: "echo echo-b-1 exists but failed to initialise",
    message: `create ${urn} failed (gRPC status 2): echo echo-b-1 exists but failed to initialise`,
    initFailure: {
      id: "echo-b-1",
      // The fixture keeps __provider in the error's properties, as a provider must (the host adds it only to results).
      properties: { label: "b", failAfterCreate: true, revision: 1, initialised: false, __provider: provider },
      reasons: ["initialisation failed on purpose"],
    },
  });
});

test("an update the provider refuses is a plain HostCallError without initFailure", async () => {
  const error = await host
    .update("echo-a-1", urn, { __provider: provider, label: "a" }, { __provider: provider, label: "a", failUpdate: true })
    .then(
      () => {
        throw new Error("update should have failed");
      },
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(HostCallError);
  expect({ ...(error as HostCallError) }).toEqual({
    name: "HostCallError",
    method: "update",
    urn,
    code: 2,
    details: "echo echo-a-1: update refused on purpose",
    initFailure: undefined,
  });
});

test("logs the provider writes are captured, and the configured secret never appears in them", async () => {
  await host.create(urn, { __provider: provider, label: "a" });
  await expect(host.check(urn, {}, { __provider: "not a provider", label: "a" })).rejects.toBeInstanceOf(HostCallError);
  // The host's output arrives on its own schedule, often after the RPC's answer.
  await host.waitForOutput("echo: created echo-a-1\n");
  // The host logs a failed check with its stack.
  await host.waitForOutput("Error:");
  expect(host.stderr()).not.toContain("s3cret-token");
});

test("waitForOutput resolves once the host prints the text, and rejects when the host exits without printing it or the guard runs out", async () => {
  const printed = host.waitForOutput(/echo: created echo-w-\d+/);
  await host.create(urn, { __provider: provider, label: "w" });
  await printed;
  await expect(host.waitForOutput("never printed", { timeoutMs: 1 })).rejects.toThrow(
    /^the host did not print never printed within 1 ms; it printed: [\s\S]*echo: created echo-w-1/,
  );
  const unanswered = host.waitForOutput("never printed either");
  await host.kill();
  await expect(unanswered).rejects.toThrow(/^waiting for never printed either: the host exited without printing it/);
  await expect(host.waitForOutput("still nothing")).rejects.toThrow(/^the host exited without printing still nothing/);
});

test("serializedProviderText is the built package's __provider: it requires the engine by package name and captures nothing else", async () => {
  const text = await serializedProviderText();
  expect(text.match(/require\("[^"]+"\)/g)?.sort()).toEqual(Array(7).fill('require("pulumi-m365-backup/engine")'));
  expect(text.startsWith("exports.handler = ")).toBe(true);
});
