/**
 * The walk's program, as data: which of the seven resources exist and what each asks for, by index
 * into the fixture's pools. One step makes one change to it; `program.ts` turns it into resources.
 *
 * Every change keeps the program one that Graph can carry out (see fixture.ts) and that `check`
 * accepts: a session once asked to activate keeps `activate: true` until it is destroyed (Graph cannot
 * deactivate, and check refuses to), the retained mailbox policy stays active and keeps the core
 * mailboxes, a policy holds at most one dynamic rule.
 */
import { CORE_MAILBOXES, type Fixture } from "./fixture";
import type { Rng } from "./random";

/** The restore sessions: SharePoint listed artifacts, a OneDrive bulk restore, Exchange mailboxes, Exchange items. */
export const SESSIONS = ["siteDrill", "driveDrill", "mailboxDrill", "itemDrill"] as const;
/** The protection policies: SharePoint created by the stack, OneDrive adopted, Exchange adopted and retained on delete. */
export const POLICIES = ["sitePolicy", "drivePolicy", "mailboxPolicy"] as const;
export type SessionName = (typeof SESSIONS)[number];
export type PolicyName = (typeof POLICIES)[number];
export type ResourceName = SessionName | PolicyName;

/** What a session restores, and whether and under which drill it runs. */
export interface SessionModel {
  present: boolean;
  /** Counts the times the resource was declared again after a destroy: each is a new resource to Pulumi. */
  generation: number;
  activate: boolean;
  drillId: string;
  /** Pool indices (see `SESSION_POOLS`). */
  entries: number[];
}

/** What a policy protects, and whether it is active. */
export interface PolicyModel {
  present: boolean;
  generation: number;
  active: boolean;
  displayName: string;
  /** Pool indices of units declared by id. */
  unitIds: number[];
  /** Pool indices of units declared by name (OneDrive only: emails, sent in bulk jobs). */
  unitNames: number[];
  /** Indices into the workload's rule menu. */
  rules: number[];
}

/** The whole program. */
export interface ProgramModel {
  sessions: Record<SessionName, SessionModel>;
  policies: Record<PolicyName, PolicyModel>;
  /** The last drill number handed out. */
  drills: number;
}

/** How many entries each session may hold, and from which pool slots. */
export const SESSION_POOLS: Record<SessionName, { slots: number; max: number }> = {
  // Sites 0..9 by restore point.
  siteDrill: { slots: 10, max: 4 },
  // Users 0..9 by email, resolved by the service.
  driveDrill: { slots: 10, max: 4 },
  // Mailboxes: the core ones by email, the others by restore point.
  mailboxDrill: { slots: 12, max: 3 },
  // Items of mailboxes 3..8, one query each.
  itemDrill: { slots: 6, max: 2 },
};

/** The units each policy may declare by id (and by name), as pool index ranges. */
export const POLICY_POOLS: Record<PolicyName, { ids: number[]; names: number[] }> = {
  sitePolicy: { ids: range(0, 16), names: [] },
  drivePolicy: { ids: range(0, 7), names: range(7, 10) },
  mailboxPolicy: { ids: range(0, 12), names: [] },
};

/** One inclusion rule the walk can declare, and the pool objects it selects. */
export interface RuleChoice {
  /** What the program passes. */
  args: { expression: string } | { groupIds: string[]; autoApply?: boolean };
  dynamic: boolean;
  /** Keys of the objects it selects. */
  selects(fixture: Fixture): string[];
}

/** The rule menu of each policy. */
export function ruleMenu(policy: PolicyName, fixture: Fixture): RuleChoice[] {
  if (policy === "sitePolicy") {
    const sites = (test: (site: { displayName: string; name: string }) => boolean) => () => fixture.sites.filter(test).map((s) => s.key);
    const contains = (value: string, part: string) => value.toLowerCase().includes(part.toLowerCase());
    return [
      {
        args: { expression: "(displayName -contains 'Finance')" },
        dynamic: false,
        selects: sites((s) => contains(s.displayName, "Finance")),
      },
      { args: { expression: "(webUrl -contains 'legal')" }, dynamic: false, selects: sites((s) => contains(s.name, "legal")) },
      {
        args: { expression: "((displayName -contains 'Sales') -or (displayName -contains 'Research'))" },
        dynamic: false,
        selects: sites((s) => contains(s.displayName, "Sales") || contains(s.displayName, "Research")),
      },
    ];
  }
  const group = (name: string) => fixture.groups.find((g) => g.displayName === name)!;
  const members = (name: string) => () => group(name).memberIds;
  return [
    { args: { groupIds: [group("Finance").id] }, dynamic: false, selects: members("Finance") },
    { args: { groupIds: [group("Engineering").id], autoApply: true }, dynamic: true, selects: members("Engineering") },
  ];
}

/** The program the walk starts from: every resource declared, no session activated yet. */
export function initialModel(): ProgramModel {
  const session = (entries: number[]): SessionModel => ({ present: true, generation: 0, activate: false, drillId: "drill-1", entries });
  return {
    sessions: {
      siteDrill: session([0, 1]),
      driveDrill: session([0, 1]),
      mailboxDrill: session([0, 3]),
      itemDrill: session([0]),
    },
    policies: {
      sitePolicy: {
        present: true,
        generation: 0,
        active: true,
        displayName: "chaos sites",
        unitIds: [0, 1, 2, 3],
        unitNames: [],
        rules: [],
      },
      drivePolicy: {
        present: true,
        generation: 0,
        active: true,
        displayName: "chaos drives",
        unitIds: range(0, 7),
        unitNames: [],
        rules: [],
      },
      mailboxPolicy: {
        present: true,
        generation: 0,
        active: true,
        displayName: "chaos mailboxes",
        unitIds: range(0, 12),
        unitNames: [],
        rules: [],
      },
    },
    drills: 1,
  };
}

/** A change the walk made: which resource, in words. */
export interface Change {
  resource: ResourceName | undefined;
  text: string;
  /** A destroy or re-create, which only an `up` carries out. */
  needsUp: boolean;
}

/**
 * Picks one change and applies it to the model. A destroyed resource is declared again only once
 * its destroy went through (`stillHeld` is false): a policy whose delete failed after deactivating
 * it still reads as active in the state, which only a refresh corrects (see docs/decisions/0022).
 */
export function changeProgram(model: ProgramModel, rng: Rng, fixture: Fixture, stillHeld: (name: ResourceName) => boolean): Change {
  const absent = [...SESSIONS, ...POLICIES].filter((name) => !presence(model, name).present && !stillHeld(name));
  if (absent.length > 0 && rng.chance(0.4)) return recreate(model, rng.pick(absent));
  const kind = rng.weighted({ session: 45, policy: 35, destroy: 8, none: 12 });
  if (kind === "none") return { resource: undefined, text: "no change", needsUp: false };
  if (kind === "destroy") {
    const present = [...SESSIONS, ...POLICIES].filter((name) => presence(model, name).present);
    if (present.length === 0) return { resource: undefined, text: "no change", needsUp: false };
    const name = rng.pick(present);
    presence(model, name).present = false;
    return { resource: name, text: `destroy ${name}`, needsUp: true };
  }
  if (kind === "session") {
    const names = SESSIONS.filter((name) => model.sessions[name].present);
    return names.length === 0 ? { resource: undefined, text: "no change", needsUp: false } : changeSession(model, rng.pick(names), rng);
  }
  const names = POLICIES.filter((name) => model.policies[name].present);
  return names.length === 0
    ? { resource: undefined, text: "no change", needsUp: false }
    : changePolicy(model, rng.pick(names), rng, fixture);
}

function presence(model: ProgramModel, name: ResourceName): { present: boolean; generation: number } {
  return name in model.sessions ? model.sessions[name as SessionName] : model.policies[name as PolicyName];
}

function recreate(model: ProgramModel, name: ResourceName): Change {
  const entry = presence(model, name);
  entry.present = true;
  entry.generation += 1;
  if (name in model.sessions) {
    // A new resource: a new draft, under a new drill.
    const session = model.sessions[name as SessionName];
    session.activate = false;
    session.drillId = `drill-${++model.drills}`;
  }
  return { resource: name, text: `declare ${name} again`, needsUp: true };
}

function changeSession(model: ProgramModel, name: SessionName, rng: Rng): Change {
  const session = model.sessions[name];
  const { slots, max } = SESSION_POOLS[name];
  const options = {
    add: session.entries.length < max ? 3 : 0,
    remove: session.entries.length > 1 ? 3 : 0,
    activate: session.activate ? 0 : 3,
    drill: 2,
  };
  const what = rng.weighted(options);
  if (what === "add") {
    const free = range(0, slots).filter((i) => !session.entries.includes(i));
    const added = rng.pick(free);
    session.entries = [...session.entries, added];
    return { resource: name, text: `${name}: add entry ${added}`, needsUp: false };
  }
  if (what === "remove") {
    const removed = rng.pick(session.entries);
    session.entries = session.entries.filter((i) => i !== removed);
    return { resource: name, text: `${name}: remove entry ${removed}`, needsUp: false };
  }
  if (what === "activate") {
    session.activate = true;
    return { resource: name, text: `${name}: activate`, needsUp: false };
  }
  session.drillId = `drill-${++model.drills}`;
  return { resource: name, text: `${name}: drillId ${session.drillId}`, needsUp: false };
}

function changePolicy(model: ProgramModel, name: PolicyName, rng: Rng, fixture: Fixture): Change {
  const policy = model.policies[name];
  const pool = POLICY_POOLS[name];
  const menu = ruleMenu(name, fixture);
  const core = name === "mailboxPolicy" ? range(0, CORE_MAILBOXES) : [];
  const removableIds = policy.unitIds.filter((i) => !core.includes(i));
  const freeIds = pool.ids.filter((i) => !policy.unitIds.includes(i));
  const freeNames = pool.names.filter((i) => !policy.unitNames.includes(i));
  const hasDynamic = policy.rules.some((r) => menu[r]!.dynamic);
  const addableRules = range(0, menu.length).filter((r) => !policy.rules.includes(r) && !(menu[r]!.dynamic && hasDynamic));
  // `check` refuses a policy that declares nothing: the last unit, name or rule stays.
  const removable = policy.unitIds.length + policy.unitNames.length + policy.rules.length > 1;
  const what = rng.weighted({
    addId: freeIds.length > 0 ? 3 : 0,
    removeId: removable && removableIds.length > 0 ? 3 : 0,
    addName: freeNames.length > 0 ? 2 : 0,
    removeName: removable && policy.unitNames.length > 0 ? 2 : 0,
    addRule: addableRules.length > 0 ? 1.5 : 0,
    removeRule: removable && policy.rules.length > 0 ? 1.5 : 0,
    toggle: name === "mailboxPolicy" ? 0 : 1.5,
    rename: name === "sitePolicy" ? 0.5 : 0,
  });
  switch (what) {
    case "addId": {
      const added = rng.pick(freeIds);
      policy.unitIds = [...policy.unitIds, added];
      return { resource: name, text: `${name}: add unit ${added} by id`, needsUp: false };
    }
    case "removeId": {
      const removed = rng.pick(removableIds);
      policy.unitIds = policy.unitIds.filter((i) => i !== removed);
      return { resource: name, text: `${name}: remove unit ${removed}`, needsUp: false };
    }
    case "addName": {
      const added = rng.pick(freeNames);
      policy.unitNames = [...policy.unitNames, added];
      return { resource: name, text: `${name}: add unit ${added} by name`, needsUp: false };
    }
    case "removeName": {
      const removed = rng.pick(policy.unitNames);
      policy.unitNames = policy.unitNames.filter((i) => i !== removed);
      return { resource: name, text: `${name}: remove name ${removed}`, needsUp: false };
    }
    case "addRule": {
      const added = rng.pick(addableRules);
      policy.rules = [...policy.rules, added];
      return { resource: name, text: `${name}: add rule ${added}`, needsUp: false };
    }
    case "removeRule": {
      const removed = rng.pick(policy.rules);
      policy.rules = policy.rules.filter((r) => r !== removed);
      return { resource: name, text: `${name}: remove rule ${removed}`, needsUp: false };
    }
    case "toggle":
      policy.active = !policy.active;
      return { resource: name, text: `${name}: active ${policy.active}`, needsUp: false };
    default:
      policy.displayName = policy.displayName.endsWith(" (renamed)") ? policy.displayName.slice(0, -10) : `${policy.displayName} (renamed)`;
      return { resource: name, text: `${name}: displayName "${policy.displayName}"`, needsUp: false };
  }
}

/**
 * What a session's program asks to have restored, when it asks for a restore at all: one restore
 * request lasts as long as this stays the same (see invariants.ts).
 */
export function restoreRequest(session: SessionModel): string | undefined {
  if (!session.present || !session.activate) return undefined;
  return `${session.generation}|${session.drillId}|${[...session.entries].sort((a, b) => a - b).join(",")}`;
}

/** A deep copy. */
export function cloneModel(model: ProgramModel): ProgramModel {
  return structuredClone(model);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
