/** Turns the walk's model into the Pulumi program: the seven resources, built with the package as a consumer builds them. */
import * as path from "node:path";
import { CORE_MAILBOXES, type Fixture } from "./fixture";
import { ruleMenu, type PolicyName, type ProgramModel, type SessionName } from "./model";

type Package = typeof import("../provider");

const repoRoot = path.resolve(__dirname, "..");
let loaded: Package | undefined;

/** The built package (dist/provider), loaded once: its resources serialize providers that require it by name. */
function pkg(): Package {
  return (loaded ??= require(path.join(repoRoot, "dist", "provider")) as Package);
}

/** Waits poll quickly (the emulator's clock moves on with each status read, see weather.ts); the timeout is real time. */
export const STATUS_WAIT = { pollIntervalSeconds: 0.05, timeoutMinutes: 3 } as const;

/** The query of each item-level entry: the documented query fields, two shapes. */
const ITEM_QUERIES = [{ subjects: ["invoice"] }, { senders: ["megan@contoso.com"], hasAttachment: true }] as const;

/** The item-level entries' mailboxes start after the core ones. */
export const ITEM_MAILBOX_OFFSET = CORE_MAILBOXES;

/** What a session entry names, as the program passes it. */
export function sessionEntry(name: SessionName, index: number, fixture: Fixture): Record<string, unknown> {
  switch (name) {
    case "siteDrill":
      return { restorePointId: fixture.sites[index]!.restorePointId };
    case "driveDrill":
      return { email: fixture.users[index]!.name };
    case "mailboxDrill":
      return index < CORE_MAILBOXES
        ? { email: fixture.mailboxes[index]!.name }
        : { restorePointId: fixture.mailboxes[index]!.restorePointId };
    case "itemDrill":
      return {
        restorePointId: fixture.mailboxes[ITEM_MAILBOX_OFFSET + index]!.restorePointId,
        query: ITEM_QUERIES[index % ITEM_QUERIES.length],
      };
  }
}

/** Declares the model's resources (policies first, then sessions); returns nothing the walk needs. */
export function declare(model: ProgramModel, fixture: Fixture): void {
  const p = pkg();
  const rules = (name: PolicyName) => model.policies[name].rules.map((r) => ruleMenu(name, fixture)[r]!.args);
  const sites = model.policies.sitePolicy;
  if (sites.present) {
    new p.SharePointProtectionPolicy("sitePolicy", {
      displayName: sites.displayName,
      siteIds: sites.unitIds.map((i) => fixture.sites[i]!.key),
      siteInclusionRules: rules("sitePolicy") as { expression: string }[],
      active: sites.active,
      statusWait: STATUS_WAIT,
    });
  }
  const drives = model.policies.drivePolicy;
  if (drives.present) {
    new p.OneDriveProtectionPolicy("drivePolicy", {
      displayName: drives.displayName,
      userIds: drives.unitIds.map((i) => fixture.users[i]!.key),
      userEmails: drives.unitNames.map((i) => fixture.users[i]!.name),
      driveInclusionRules: rules("drivePolicy") as { groupIds: string[]; autoApply?: boolean }[],
      active: drives.active,
      adoptExisting: true,
      statusWait: STATUS_WAIT,
    });
  }
  const mailboxes = model.policies.mailboxPolicy;
  if (mailboxes.present) {
    new p.ExchangeProtectionPolicy(
      "mailboxPolicy",
      {
        displayName: mailboxes.displayName,
        mailboxIds: mailboxes.unitIds.map((i) => fixture.mailboxes[i]!.key),
        mailboxInclusionRules: rules("mailboxPolicy") as { groupIds: string[]; autoApply?: boolean }[],
        active: true,
        adoptExisting: true,
        statusWait: STATUS_WAIT,
      },
      { retainOnDelete: true },
    );
  }
  const settings = (name: SessionName) => {
    const s = model.sessions[name];
    return { activate: s.activate, drillId: s.drillId, waitForCompletion: STATUS_WAIT };
  };
  const entries = (name: SessionName) => model.sessions[name].entries.map((i) => sessionEntry(name, i, fixture));
  if (model.sessions.siteDrill.present) {
    new p.SharePointRestoreSession("siteDrill", {
      siteRestoreArtifacts: entries("siteDrill") as { restorePointId: string }[],
      ...settings("siteDrill"),
    });
  }
  if (model.sessions.driveDrill.present) {
    const drives = entries("driveDrill").map((e) => e.email as string);
    new p.OneDriveRestoreSession("driveDrill", { bulkRestore: { drives }, ...settings("driveDrill") });
  }
  if (model.sessions.mailboxDrill.present) {
    new p.ExchangeRestoreSession("mailboxDrill", { mailboxRestoreArtifacts: entries("mailboxDrill"), ...settings("mailboxDrill") });
  }
  if (model.sessions.itemDrill.present) {
    new p.ExchangeRestoreSession("itemDrill", {
      granularMailboxRestoreArtifacts: entries("itemDrill") as never,
      ...settings("itemDrill"),
    });
  }
}
