/**
 * The strict schema of a protection policy's inputs, for any workload, and `check`'s validation.
 *
 * The workloads differ in names (units by id `siteIds`/`userIds`/`mailboxIds`, by name
 * `siteWebUrls`/`userEmails`/`mailboxEmails`, rules `siteInclusionRules`/`driveInclusionRules`/
 * `mailboxInclusionRules`) and in what a rule matches (site keywords, or group membership, which
 * may be dynamic), all taken from the workload descriptor. Every documented limit is checked here,
 * before anything reaches Graph.
 */
import { z } from "zod";
import { LIMITS, perWorkload, type Workload } from "../../workloads";
import {
  containsUnknown,
  email,
  failuresFromZod,
  httpsUrl,
  idString,
  normalizeEmail,
  normalizeSiteUrl,
  propertyPath,
  setOwn,
  UNKNOWN,
  waitBoundsSchema,
  type CheckFailure,
} from "./common";
import { groupExpression, parseSiteExpression, ruleKey, SiteExpressionError, siteExpressionProblems } from "./rule-expression";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long delete (and a change of `active`) wait while the policy is `updating`, and how often they look. */
export const statusWaitSchema = waitBoundsSchema;
export type StatusWait = z.infer<typeof statusWaitSchema>;

/** One inclusion rule, in workload-neutral terms: what Graph is sent, and what identifies it. */
export interface RuleInput {
  /** The expression as Graph receives it (canonical site expression, or the group membership expression). */
  expression: string;
  /** Dynamic: Graph keeps the policy in step with the groups' membership. */
  autoApply: boolean;
  /** The groups of a membership rule, as the program gave them. */
  groupIds?: string[];
  /** What the rule matches; equal keys are the same rule (see rule-expression.ts). */
  key: string;
}

/** A protection policy's inputs after check, in workload-neutral names. */
export interface ProtectionPolicyInputs {
  displayName: string;
  /** Units by id: site ids, or directory object ids of users or mailboxes. */
  unitIds: string[];
  /** Units by name (site URLs, emails), resolved by the service through bulk addition jobs. */
  unitNames: string[];
  rules: RuleInput[];
  active: boolean;
  adoptExisting: boolean;
  statusWait?: StatusWait;
}

/** The input validation of one workload's protection policies. */
export interface ProtectionPolicyInputRules {
  workload: Workload;
  /** Input keys in the order they are documented. */
  inputKeys: readonly string[];
  /** Validates the user's inputs. Never throws: bad input comes back as failures, and values unknown during preview pass through. */
  validate(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] };
  /** Parses checked inputs (as stored by the engine) into workload-neutral names. */
  parse(inputs: Record<string, unknown>): ProtectionPolicyInputs;
}

/** The input rules of one workload's protection policies (built once per workload). */
export const protectionPolicyInputRules: (workload: Workload) => ProtectionPolicyInputRules = perWorkload((workload) =>
  buildRules(workload),
);

/** The Graph expression and identity of one rule as the program gives it (already validated). */
export function ruleInput(workload: Workload, rule: { expression?: string; groupIds?: string[]; autoApply?: boolean }): RuleInput {
  const { ruleKind } = workload.protectionPolicy;
  const autoApply = rule.autoApply === true;
  const expression =
    ruleKind === "groupMembership" ? groupExpression(rule.groupIds ?? []) : parseSiteExpression(rule.expression ?? "").canonical;
  return {
    expression,
    autoApply,
    ...(rule.groupIds !== undefined ? { groupIds: rule.groupIds } : {}),
    key: ruleKey(ruleKind, expression, autoApply),
  };
}

function buildRules(workload: Workload): ProtectionPolicyInputRules {
  const { unitIdsInput, unitNamesInput, rules: rulesKey, ruleKind, dynamicRules } = workload.protectionPolicy;
  const { key: unitKey, nameKind } = workload.protectionUnit;
  const noun = workload.noun;

  const unitId =
    unitKey === "siteId"
      ? idString("a site id", " (as listed by siteProtectionUnits), like contoso.sharepoint.com,<guid>,<guid>")
      : z
          .string({
            error: `must be the directory object id (a GUID) of a ${noun.one === "mailbox" ? "mailbox" : "user"}; to name it by email use ${unitNamesInput}`,
          })
          .regex(GUID, {
            error: `must be a directory object id (a GUID like 89014d8c-71fe-4d00-a01a-31850bc5b32c); to name it by email use ${unitNamesInput}`,
          });
  const unitName = nameKind === "url" ? httpsUrl : email;
  const groupRuleSchema = z.strictObject({
    groupIds: z.array(z.string({ error: "must be a group id string" }).regex(GUID, { error: "must be a group's object id (a GUID)" }), {
      error: "must be a list of group object ids (GUIDs)",
    }),
    ...(dynamicRules
      ? { autoApply: z.boolean({ error: "must be true (dynamic: follow the groups' membership) or false (static: run once)" }).optional() }
      : {}),
  });
  const siteRuleSchema = z.strictObject({
    expression: z.string({ error: `must be a site expression like ((displayName -contains 'Finance') -or (webUrl -contains 'Legal'))` }),
  });
  const ruleSchema = ruleKind === "groupMembership" ? groupRuleSchema : siteRuleSchema;

  const topShape: Record<string, z.ZodTypeAny> = {
    displayName: z
      .string({ error: "must be the policy's name, a string" })
      .min(LIMITS.policyDisplayName.min, { error: "must not be empty" })
      .max(LIMITS.policyDisplayName.max, {
        error: `must be at most ${LIMITS.policyDisplayName.max.toLocaleString("en-US")} characters (Graph's limit)`,
      }),
    [unitIdsInput]: z
      .array(z.unknown(), { error: `must be a list of ${unitKey === "siteId" ? "site ids" : "directory object ids"}` })
      .optional(),
    [unitNamesInput]: z
      .array(z.unknown(), { error: `must be a list of ${nameKind === "url" ? "site URLs" : "email addresses"}` })
      .optional(),
    [rulesKey]: z.array(z.unknown(), { error: `must be a list of rules like ${ruleExample(ruleKind)}` }).optional(),
    active: z.boolean({ error: "must be true (the policy protects) or false (kept inactive)" }).default(true),
    adoptExisting: z.boolean({ error: "must be true or false" }).default(false),
    statusWait: statusWaitSchema.optional(),
  };
  const topSchema = z.strictObject(topShape);
  const inputKeys = Object.keys(topShape);
  const listKeys: string[] = [unitIdsInput, unitNamesInput, rulesKey];
  const hints = readOnlyHints(workload);
  const placeholders: Record<string, unknown> = {
    displayName: "unknown-during-preview",
    active: true,
    adoptExisting: false,
    statusWait: {},
  };

  function ruleFailures(rule: unknown, index: number): CheckFailure[] {
    const prefix = [rulesKey, index];
    if (!isObject(rule)) return [{ property: propertyPath(prefix), reason: `must be an object like ${ruleExample(ruleKind)}` }];
    const parsed = ruleSchema.safeParse(rule);
    if (!parsed.success) {
      const failures = failuresFromZod(parsed.error, prefix, ruleSchema);
      if (!dynamicRules && "autoApply" in rule) {
        return failures.map((f) =>
          f.property === propertyPath([...prefix, "autoApply"])
            ? {
                ...f,
                reason: `${workload.title} has no dynamic rules (Graph allows them for OneDrive and Exchange only); leave autoApply out`,
              }
            : f,
        );
      }
      return failures;
    }
    if (ruleKind === "siteKeywords") {
      const expression = (parsed.data as { expression: string }).expression;
      try {
        return siteExpressionProblems(parseSiteExpression(expression)).map((reason) => ({
          property: propertyPath([...prefix, "expression"]),
          reason,
        }));
      } catch (error) {
        if (!(error instanceof SiteExpressionError)) throw error;
        return [{ property: propertyPath([...prefix, "expression"]), reason: error.message }];
      }
    }
    const { groupIds, autoApply } = parsed.data as { groupIds: string[]; autoApply?: boolean };
    const property = propertyPath([...prefix, "groupIds"]);
    if (groupIds.length === 0) return [{ property, reason: "must name at least one group" }];
    const failures = duplicates(groupIds, (id) => id.toLowerCase()).map(([i, first]) => ({
      property: `${property}[${i}]`,
      reason: `names the same group as ${property}[${first}]`,
    }));
    const max = autoApply === true ? LIMITS.groupIdsPerExpression : LIMITS.groupsPerStaticRule;
    if (groupIds.length > max) {
      failures.push({
        property,
        reason:
          autoApply === true
            ? `a rule's expression names at most ${max} groups (Graph's limit)`
            : `a static rule takes at most ${max} groups (Graph's limit); split them over several rules${dynamicRules ? `, or make it dynamic with autoApply: true (up to ${LIMITS.groupIdsPerExpression})` : ""}`,
      });
    }
    return failures;
  }

  function listFailures(
    key: string,
    values: unknown[],
    item: z.ZodTypeAny,
    normalize: (value: string) => string,
    what: string,
  ): CheckFailure[] {
    const failures: CheckFailure[] = [];
    values.forEach((value, index) => {
      if (value === UNKNOWN) return;
      const parsed = item.safeParse(value);
      if (!parsed.success) failures.push(...failuresFromZod(parsed.error, [key, index], item));
    });
    if (failures.length > 0) return failures;
    return duplicates(values, normalize).map(([index, first]) => ({
      property: `${key}[${index}]`,
      reason: `names the same ${what} as ${key}[${first}]`,
    }));
  }

  function validate(news: Record<string, unknown>) {
    const { __provider, ...given } = news;
    const toValidate: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(given)) {
      if (value === undefined || value === null) continue;
      if (value === UNKNOWN && listKeys.includes(key)) continue;
      setOwn(toValidate, key, value === UNKNOWN && Object.hasOwn(placeholders, key) ? placeholders[key] : value);
    }
    const failures: CheckFailure[] = [];
    const parsed = topSchema.safeParse(toValidate);
    if (!parsed.success) failures.push(...failuresFromZod(parsed.error, [], topSchema, hints));

    const list = (key: string): unknown[] => (Array.isArray(given[key]) ? (given[key] as unknown[]) : []);
    failures.push(...listFailures(unitIdsInput, list(unitIdsInput), unitId, (id) => id.toLowerCase(), noun.one));
    failures.push(
      ...listFailures(
        unitNamesInput,
        list(unitNamesInput),
        unitName,
        nameKind === "url" ? normalizeSiteUrl : normalizeEmail,
        nameKind === "url" ? "site" : noun.one,
      ),
    );
    const rules = list(rulesKey);
    const ruleProblems = rules.map((rule, index) => (containsUnknown(rule) ? [] : ruleFailures(rule, index)));
    failures.push(...ruleProblems.flat());
    if (ruleProblems.every((p) => p.length === 0)) failures.push(...ruleSetFailures(rules));

    const declares = listKeys.some((key) => given[key] === UNKNOWN || list(key).length > 0);
    if (!declares) {
      failures.push({
        property: unitIdsInput,
        reason: `a policy protects something: list ${noun.many} in ${unitIdsInput} or ${unitNamesInput}, or give ${rulesKey}`,
      });
    }
    if (!parsed.success || failures.length > 0) return { inputs: news, failures };

    const inputs: Record<string, unknown> = { ...parsed.data };
    for (const [key, value] of Object.entries(given)) if (value === UNKNOWN) setOwn(inputs, key, value);
    if (__provider !== undefined) inputs.__provider = __provider;
    return { inputs, failures: [] };
  }

  /** Limits across rules: one dynamic rule per policy, and each rule once. */
  function ruleSetFailures(rules: unknown[]): CheckFailure[] {
    const known = rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => !containsUnknown(rule));
    const failures: CheckFailure[] = [];
    const dynamic = known.filter(({ rule }) => (rule as { autoApply?: boolean }).autoApply === true);
    for (const { index } of dynamic.slice(LIMITS.dynamicRulesPerPolicy)) {
      failures.push({
        property: `${rulesKey}[${index}].autoApply`,
        reason: `a policy has at most ${LIMITS.dynamicRulesPerPolicy} dynamic rule (Graph's limit); put the groups in ${rulesKey}[${dynamic[0]!.index}], or make this rule static`,
      });
    }
    const keys = known.map(({ rule }) => ruleInput(workload, rule as Parameters<typeof ruleInput>[1]).key);
    for (const [position, first] of duplicates(keys, (k) => k)) {
      failures.push({
        property: `${rulesKey}[${known[position]!.index}]`,
        reason: `matches the same ${noun.many} as ${rulesKey}[${known[first]!.index}]`,
      });
    }
    return failures;
  }

  function parse(inputs: Record<string, unknown>): ProtectionPolicyInputs {
    const { __provider: _provider, ...rest } = inputs;
    const top = topSchema.parse(rest) as Record<string, unknown>;
    const strings = (key: string) => ((top[key] as unknown[] | undefined) ?? []) as string[];
    return {
      displayName: top.displayName as string,
      unitIds: strings(unitIdsInput),
      unitNames: strings(unitNamesInput),
      rules: ((top[rulesKey] as unknown[] | undefined) ?? []).map((rule) =>
        ruleInput(workload, ruleSchema.parse(rule) as Parameters<typeof ruleInput>[1]),
      ),
      active: top.active as boolean,
      adoptExisting: top.adoptExisting as boolean,
      ...(top.statusWait !== undefined ? { statusWait: top.statusWait as StatusWait } : {}),
    };
  }

  return { workload, inputKeys, validate, parse };
}

function ruleExample(kind: "siteKeywords" | "groupMembership"): string {
  return kind === "siteKeywords" ? `{ expression: "(displayName -contains 'Finance')" }` : `{ groupIds: ["<group object id>"] }`;
}

/** Graph properties the service sets; users who give them get a hint instead of a bare "unknown key". */
function readOnlyHints(workload: Workload): Record<string, string> {
  const { unitIdsInput, unitNamesInput } = workload.protectionPolicy;
  return {
    id: `id is assigned by the service; to take over the tenant's existing policy set adoptExisting: true`,
    status: "status is set by the service; set active: true or false",
    createdBy: "createdBy is set by the service from the identity that creates the policy",
    createdDateTime: "createdDateTime is set by the service when the policy is created",
    lastModifiedBy: "lastModifiedBy is set by the service",
    lastModifiedDateTime: "lastModifiedDateTime is set by the service",
    retentionSettings: "retention is set by the service and cannot be changed through Graph; it is shown in the retentionSettings output",
    [workload.protectionUnit.collection]: `list ${workload.noun.many} by id in ${unitIdsInput} or by name in ${unitNamesInput}`,
    [workload.protectionPolicy.bulkJobs]:
      `list ${workload.noun.many} by name in ${unitNamesInput}; the provider sends the bulk addition jobs`,
  };
}

/** `[index, firstIndex]` for each string whose normalized form appeared before; other values (and preview unknowns) are skipped. */
function duplicates(values: readonly unknown[], normalize: (value: string) => string): [number, number][] {
  const first = new Map<string, number>();
  const found: [number, number][] = [];
  values.forEach((value, index) => {
    if (typeof value !== "string" || value === UNKNOWN) return;
    let key: string;
    try {
      key = normalize(value);
    } catch {
      return;
    }
    const seen = first.get(key);
    if (seen === undefined) first.set(key, index);
    else found.push([index, seen]);
  });
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
