/**
 * The chaos run's invariant checks, against a real emulator store tampered with by hand: each
 * check reports what it must (an orphan session, a second restore for one request, a restore the
 * program did not ask for, a leaked secret) and accounts for what it must not count (one crash
 * leftover per crashed create). A walk that holds its invariants proves something only if these fail.
 */
import { startEmulator, type Emulator } from "../../emulator";
import type { StackState } from "../../harness";
import { prepareTenant, TENANT_SIZE, type Fixture } from "../../chaos/fixture";
import { checkInvariants, type CommandRecord, type Evidence } from "../../chaos/invariants";
import { Ledger } from "../../chaos/ledger";
import { initialModel, POLICIES, SESSIONS, type ProgramModel } from "../../chaos/model";
import { WALK_START } from "../../chaos/walk";
import { testCa } from "../support/test-ca";

const SESSIONS_PATH = "/v1.0/solutions/backupRestore/sharePointRestoreSessions";
const urnOf = (name: string) => `urn:pulumi:walk::chaos::pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession::${name}`;

let emulator: Emulator;
let fixture: Fixture;
beforeEach(async () => {
  emulator = await startEmulator({ tls: testCa(), now: WALK_START, speed: 0, ...TENANT_SIZE });
  fixture = prepareTenant(emulator);
});
afterEach(() => emulator.close());

/** A program that declares nothing, so only the tenant's own objects are judged. */
function emptyProgram(): ProgramModel {
  const model = initialModel();
  for (const name of SESSIONS) model.sessions[name].present = false;
  for (const name of POLICIES) model.policies[name].present = false;
  return model;
}

function evidence(parts: Partial<Evidence>): Evidence {
  const state: StackState = parts.state ?? { resources: [], outputs: {} };
  return {
    emulator,
    fixture,
    model: emptyProgram(),
    state,
    stateTexts: [JSON.stringify(state)],
    ledger: new Ledger(),
    commands: [],
    texts: [],
    tokens: new Set(),
    ...parts,
  };
}

async function graph(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await emulator.fetch(
    new Request(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${emulator.accessToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return (await response.json()) as Record<string, unknown>;
}

/** A SharePoint draft restoring the first pool site, made as the provider would make it. */
async function draft(): Promise<string> {
  const created = await graph("POST", SESSIONS_PATH, {
    siteRestoreArtifacts: [{ restorePoint: { id: fixture.sites[0]!.restorePointId }, destinationType: "new" }],
  });
  return created.id as string;
}

/** One command that spans everything done in `during`. */
async function command(
  index: number,
  model: ProgramModel,
  during: () => Promise<void>,
  crash?: CommandRecord["crash"],
): Promise<CommandRecord> {
  const fromMs = emulator.clock.now().getTime();
  emulator.clock.advance(1000);
  await during();
  emulator.clock.advance(1000);
  return { index, model, fromMs, toMs: emulator.clock.now().getTime(), crash };
}

test("the tenant as prepared holds nothing to report", () => {
  expect(checkInvariants(evidence({})).violations).toEqual([]);
});

test("a session no resource holds is an orphan; one made while a create of its workload crashed is that create's leftover, once", async () => {
  let first = "";
  let second = "";
  const crash = { operation: { urn: urnOf("siteDrill"), op: "create" as const }, afterRequests: 1, acted: true, struck: true };
  const crashed = await command(
    1,
    emptyProgram(),
    async () => {
      first = await draft();
      second = await draft();
    },
    crash,
  );
  const verdict = checkInvariants(evidence({ commands: [crashed] }));
  expect(verdict.leftovers.sessions).toBe(1);
  expect(verdict.violations).toEqual([
    expect.stringMatching(new RegExp(`^orphan: sharePoint session ${second} \\(draft, created .*\\) belongs to no resource$`)),
  ]);

  const plain = checkInvariants(evidence({ commands: [{ ...crashed, crash: undefined }] }));
  expect(plain.violations).toEqual([
    expect.stringContaining(`orphan: sharePoint session ${first} `),
    expect.stringContaining(`orphan: sharePoint session ${second} `),
  ]);
});

test("a draft a resource let go is an orphan; an activated one is let go by design", async () => {
  const drafted = await draft();
  const activated = await draft();
  const model = initialModel();
  const ledger = new Ledger();
  const run = await command(
    1,
    model,
    async () => void (await graph("POST", `/v1.0/solutions/backupRestore/restoreSessions/${activated}/activate`)),
  );
  ledger.observe(
    {
      resources: [
        { urn: urnOf("siteDrill"), type: "t", id: drafted, inputs: {}, outputs: {} },
        { urn: urnOf("mailboxDrill"), type: "t", id: activated, inputs: {}, outputs: {} },
      ],
      outputs: {},
    },
    1,
  );
  const { violations } = checkInvariants(evidence({ ledger, commands: [run] }));
  expect(violations).toContain(`orphan: draft session ${drafted} of siteDrill was let go but not deleted`);
  // mailboxDrill's program did not ask for a restore in that command: activate is false in the initial program.
  expect(violations).toContainEqual(
    expect.stringMatching(new RegExp(`^restore: mailboxDrill session ${activated} was activated .* while the program did not ask`)),
  );
  expect(violations.filter((v) => v.includes(activated))).toHaveLength(1);
});

test("two restores for one request are one too many, unless the first one's create crashed", async () => {
  const model = initialModel();
  model.sessions.siteDrill.activate = true;
  const ids: string[] = [];
  const run = await command(1, model, async () => {
    for (let i = 0; i < 2; i++) {
      const id = await draft();
      await graph("POST", `/v1.0/solutions/backupRestore/restoreSessions/${id}/activate`);
      ids.push(id);
    }
  });
  const ledger = new Ledger();
  for (const id of ids)
    ledger.observe({ resources: [{ urn: urnOf("siteDrill"), type: "t", id, inputs: {}, outputs: {} }], outputs: {} }, 1);
  const twice = checkInvariants(evidence({ ledger, commands: [run] }));
  expect(twice.violations).toContain(`restore: siteDrill started 2 restores for one request (${ids.join(", ")})`);

  const onlySecond = new Ledger();
  onlySecond.observe({ resources: [{ urn: urnOf("siteDrill"), type: "t", id: ids[1]!, inputs: {}, outputs: {} }], outputs: {} }, 1);
  const crash = { operation: { urn: urnOf("siteDrill"), op: "create" as const }, afterRequests: 3, acted: true, struck: true };
  const afterCrash = checkInvariants(evidence({ ledger: onlySecond, commands: [{ ...run, crash }] }));
  expect(afterCrash.violations).toEqual([]);
  expect(afterCrash.restoresRepeatedAfterCrash).toBe(1);
});

test("the client secret, or any token the provider presented, in the state or in anything a user sees is a violation", () => {
  const token = emulator.issueToken();
  const state: StackState = { resources: [], outputs: { note: `secret ${emulator.demoApp.clientSecret}` } };
  const { violations } = checkInvariants(
    evidence({
      state,
      stateTexts: [JSON.stringify(state)],
      texts: [`retrying with ${token.split(".")[2]}`, "Bearer eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0"],
      tokens: new Set([token]),
    }),
  );
  expect(violations).toEqual([
    "secret: the client secret appears in the state file",
    "secret: an access token appears in host output or an error",
    "secret: something shaped like a token appears in host output or an error: eyJhbGciOiJSUzI1NiJ9.eyJ...",
  ]);
});
