/**
 * Guardrails a security team asks of Microsoft 365 Backup as code, as a Pulumi CrossGuard policy
 * pack: run it with `pulumi preview --policy-pack <dir>` and `pulumi up --policy-pack <dir>`, or
 * publish it to Pulumi Cloud and enforce it on a group of stacks. The rules' logic is in rules.ts.
 */
import { PolicyPack, validateResourceOfType, type PolicyResource, type ReportViolation, type ResourceValidationArgs } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";
import {
  ExchangeProtectionPolicy,
  ExchangeRestoreSession,
  OneDriveProtectionPolicy,
  OneDriveRestoreSession,
  SharePointProtectionPolicy,
  SharePointRestoreSession,
  type ProtectionPolicySettingsArgs,
} from "pulumi-m365-backup";
import {
  branchBuildProblem,
  DEFAULTS,
  drillProblems,
  inPlaceProblem,
  itemCount,
  unitsBeingRemoved,
  type ProductionSettings,
  type SessionSettings,
  type StoredUnit,
} from "./rules";

type SessionCheck = (props: SessionSettings, items: number, args: ResourceValidationArgs, report: ReportViolation) => void;

/** One check run on the three restore-session resources, each counting what it restores (listed and in bulk). */
function onRestoreSessions(check: SessionCheck) {
  return [
    validateResourceOfType(SharePointRestoreSession, (props, args, report) =>
      check(props, itemCount([props.siteRestoreArtifacts, props.bulkRestore?.siteWebUrls]), args, report),
    ),
    validateResourceOfType(OneDriveRestoreSession, (props, args, report) =>
      check(props, itemCount([props.driveRestoreArtifacts, props.bulkRestore?.drives]), args, report),
    ),
    validateResourceOfType(ExchangeRestoreSession, (props, args, report) =>
      check(
        props,
        itemCount([props.mailboxRestoreArtifacts, props.granularMailboxRestoreArtifacts, props.bulkRestore?.mailboxes]),
        args,
        report,
      ),
    ),
  ];
}

type PolicyCheck = (props: Unwrap<ProtectionPolicySettingsArgs>, report: ReportViolation) => void;

/** One check run on the three protection-policy resources. */
function onProtectionPolicies(check: PolicyCheck) {
  return [
    validateResourceOfType(SharePointProtectionPolicy, (props, _args, report) => check(props, report)),
    validateResourceOfType(OneDriveProtectionPolicy, (props, _args, report) => check(props, report)),
    validateResourceOfType(ExchangeProtectionPolicy, (props, _args, report) => check(props, report)),
  ];
}

new PolicyPack("m365-backup-guardrails", {
  policies: [
    {
      name: "in-place-restore-authorized",
      description: "An in-place restore rolls production data back: it needs allowInPlaceRestore and a drillId or a change ticket.",
      enforcementLevel: "mandatory",
      configSchema: {
        properties: {
          ticketTag: { type: "string", default: DEFAULTS.ticketTag },
          ticketPattern: { type: "string", default: DEFAULTS.ticketPattern },
        },
      },
      validateResource: onRestoreSessions((props, _items, args, report) => {
        const { ticketTag = DEFAULTS.ticketTag, ticketPattern = DEFAULTS.ticketPattern } = args.getConfig<{
          ticketTag?: string;
          ticketPattern?: string;
        }>();
        const problem = inPlaceProblem(props, args.stackTags, ticketTag, ticketPattern);
        if (problem) report(problem);
      }),
    },
    {
      name: "drill-waits-and-fails-on-errors",
      description: "A drill (a session with a drillId) is evidence only if it starts, waits for the restore and fails on errors.",
      enforcementLevel: "mandatory",
      validateResource: onRestoreSessions((props, _items, _args, report) => {
        const problems = drillProblems(props);
        if (problems.length > 0) report(`drill ${JSON.stringify(props.drillId)} needs ${problems.join(", ")}`);
      }),
    },
    {
      name: "restore-session-size",
      description: "A restore session restores at most maxItems sites, OneDrives or mailboxes (listed and bulk names together).",
      enforcementLevel: "mandatory",
      configSchema: { properties: { maxItems: { type: "integer", minimum: 1, default: DEFAULTS.maxItems } } },
      validateResource: onRestoreSessions((_props, items, args, report) => {
        const { maxItems = DEFAULTS.maxItems } = args.getConfig<{ maxItems?: number }>();
        if (items > maxItems) report(`the session restores ${items} objects; at most ${maxItems} are allowed in one session`);
      }),
    },
    {
      name: "production-restores-from-release-branches",
      description: "Restore sessions against the production tenant run only from a release branch's build.",
      enforcementLevel: "mandatory",
      configSchema: {
        properties: {
          productionTenantIds: { type: "array", items: { type: "string" }, default: [] },
          productionGraphEndpoints: { type: "array", items: { type: "string" }, default: [] },
          branchEnvVar: { type: "string", default: DEFAULTS.branchEnvVar },
          releaseBranches: { type: "array", items: { type: "string" }, default: DEFAULTS.releaseBranches },
        },
      },
      validateResource: onRestoreSessions((_props, _items, args, report) => {
        const config = args.getConfig<Partial<ProductionSettings>>();
        const settings: ProductionSettings = {
          productionTenantIds: config.productionTenantIds ?? [],
          productionGraphEndpoints: config.productionGraphEndpoints ?? [],
          branchEnvVar: config.branchEnvVar ?? DEFAULTS.branchEnvVar,
          releaseBranches: config.releaseBranches ?? DEFAULTS.releaseBranches,
        };
        // A dynamic resource's provider properties are the whole stack config, where m365-backup:tenantId lives.
        const problem = branchBuildProblem(settings, args.provider?.props, process.env);
        if (problem) report(problem);
      }),
    },
    {
      name: "protection-policy-active",
      description: "A declared protection policy protects: active must not be false.",
      enforcementLevel: "mandatory",
      validateResource: onProtectionPolicies((props, report) => {
        if (props.active === false)
          report("the policy is declared inactive (active: false), so Microsoft 365 Backup stops backing up what it holds");
      }),
    },
    {
      name: "protection-policy-shrink",
      description: "One update takes at most maxUnitsRemoved units out of a protection policy (counted in its stored outputs).",
      enforcementLevel: "mandatory",
      configSchema: { properties: { maxUnitsRemoved: { type: "integer", minimum: 0, default: DEFAULTS.maxUnitsRemoved } } },
      validateStack: (args, report) => {
        const { maxUnitsRemoved = DEFAULTS.maxUnitsRemoved } = args.getConfig<{ maxUnitsRemoved?: number }>();
        for (const resource of args.resources) {
          const removed = unitsBeingRemoved(storedUnits(resource));
          if (removed.length > maxUnitsRemoved) {
            report(
              `${resource.name} is removing ${removed.length} units (${removed.slice(0, 5).join(", ")}${removed.length > 5 ? ", …" : ""}); ` +
                `at most ${maxUnitsRemoved} may leave a policy in one update. Backups already taken are kept; add the units back to protect them again.`,
              resource.urn,
            );
          }
        }
      },
    },
  ],
});

/** The units a protection policy's stored outputs list, or undefined for other resources (and for inputs, which have none). */
function storedUnits(resource: PolicyResource): StoredUnit[] | undefined {
  if (resource.isType(SharePointProtectionPolicy)) return resource.props.siteProtectionUnits;
  if (resource.isType(OneDriveProtectionPolicy)) return resource.props.driveProtectionUnits;
  if (resource.isType(ExchangeProtectionPolicy)) return resource.props.mailboxProtectionUnits;
  return undefined;
}
