/**
 * check of protection-policy inputs: defaults, every documented limit with a failure that names the
 * property and the fix, the preview's unknowns, and the two rule expression languages.
 */
import { EXCHANGE, ONEDRIVE, SHAREPOINT, LIMITS } from "../../provider/workloads";
import { UNKNOWN } from "../../provider/schemas/inputs/common";
import { protectionPolicyInputRules } from "../../provider/schemas/inputs/protection-policy";
import { groupExpression, groupIdsOf, parseSiteExpression, ruleKey } from "../../provider/schemas/inputs/rule-expression";

const sharePoint = protectionPolicyInputRules(SHAREPOINT);
const oneDrive = protectionPolicyInputRules(ONEDRIVE);
const exchange = protectionPolicyInputRules(EXCHANGE);
const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const SITE = "contoso.sharepoint.com,febad3c2-a7b2-454c-8910-272c7bcf78fc,ba7b70d0-8ba0-4cae-b19a-7cb8c739512f";

describe("valid inputs", () => {
  it("fills the defaults: active, not adopting", () => {
    expect(sharePoint.validate({ displayName: "Sites", siteIds: [SITE], __provider: "p" })).toEqual({
      inputs: { displayName: "Sites", siteIds: [SITE], active: true, adoptExisting: false, __provider: "p" },
      failures: [],
    });
  });

  it("parses into neutral names, with each rule's Graph expression and identity", () => {
    const inputs = oneDrive.validate({
      displayName: "Drives",
      userIds: [guid(1)],
      userEmails: ["adele@contoso.com"],
      driveInclusionRules: [{ groupIds: [guid(3), guid(2)], autoApply: true }, { groupIds: [guid(4)] }],
      active: false,
      statusWait: { timeoutMinutes: 5 },
    }).inputs;
    expect(oneDrive.parse(inputs)).toEqual({
      displayName: "Drives",
      unitIds: [guid(1)],
      unitNames: ["adele@contoso.com"],
      rules: [
        {
          expression: `(memberOf -any (group.id -in ['${guid(3)}', '${guid(2)}']))`,
          autoApply: true,
          groupIds: [guid(3), guid(2)],
          key: `groups:${guid(2)},${guid(3)}|dynamic`,
        },
        {
          expression: `(memberOf -any (group.id -in ['${guid(4)}']))`,
          autoApply: false,
          groupIds: [guid(4)],
          key: `groups:${guid(4)}|static`,
        },
      ],
      active: false,
      adoptExisting: false,
      statusWait: { timeoutMinutes: 5 },
    });
  });

  it("sends site expressions in canonical form", () => {
    const inputs = sharePoint.validate({
      displayName: "S",
      siteInclusionRules: [{ expression: "  DisplayName  -contains 'Finance' " }],
    }).inputs;
    expect(sharePoint.parse(inputs).rules).toEqual([
      { expression: "(displayName -contains 'Finance')", autoApply: false, key: "site:(displayName -contains 'Finance')" },
    ]);
  });

  it("lets values unknown during preview through", () => {
    const result = exchange.validate({ displayName: UNKNOWN, mailboxIds: UNKNOWN, active: UNKNOWN, mailboxInclusionRules: [UNKNOWN] });
    expect(result.failures).toEqual([]);
    expect(result.inputs).toEqual({
      displayName: UNKNOWN,
      mailboxIds: UNKNOWN,
      active: UNKNOWN,
      adoptExisting: false,
      mailboxInclusionRules: [UNKNOWN],
    });
  });
});

describe("failures name the property and the fix", () => {
  const failures = (rules: typeof sharePoint, news: Record<string, unknown>) => rules.validate(news).failures;

  it("a policy must protect something", () => {
    expect(failures(sharePoint, { displayName: "S" })).toEqual([
      { property: "siteIds", reason: "a policy protects something: list sites in siteIds or siteWebUrls, or give siteInclusionRules" },
    ]);
  });

  it("displayName: 1 to 1,024 characters", () => {
    expect(failures(sharePoint, { displayName: "", siteIds: [SITE] })).toEqual([{ property: "displayName", reason: "must not be empty" }]);
    expect(failures(sharePoint, { displayName: "x".repeat(LIMITS.policyDisplayName.max + 1), siteIds: [SITE] })).toEqual([
      { property: "displayName", reason: "must be at most 1,024 characters (Graph's limit)" },
    ]);
  });

  it("units by id: directory object ids are GUIDs; duplicates are named", () => {
    expect(failures(oneDrive, { displayName: "D", userIds: ["adele@contoso.com", guid(1), guid(1).toUpperCase()] })).toEqual([
      {
        property: "userIds[0]",
        reason: "must be a directory object id (a GUID like 89014d8c-71fe-4d00-a01a-31850bc5b32c); to name it by email use userEmails",
      },
    ]);
    expect(failures(oneDrive, { displayName: "D", userIds: [guid(1), guid(1).toUpperCase()] })).toEqual([
      { property: "userIds[1]", reason: "names the same OneDrive as userIds[0]" },
    ]);
  });

  it("units by name: URLs for sites, emails for mailboxes, compared case-insensitively", () => {
    expect(failures(sharePoint, { displayName: "S", siteWebUrls: ["http://contoso.sharepoint.com/sites/a"] })).toEqual([
      { property: "siteWebUrls[0]", reason: "must be an https URL without credentials, like https://contoso.sharepoint.com/sites/finance" },
    ]);
    expect(
      failures(sharePoint, {
        displayName: "S",
        siteWebUrls: ["https://contoso.sharepoint.com/sites/A", "https://CONTOSO.sharepoint.com/sites/a/"],
      }),
    ).toEqual([{ property: "siteWebUrls[1]", reason: "names the same site as siteWebUrls[0]" }]);
    expect(failures(exchange, { displayName: "E", mailboxEmails: ["not-an-email"] })).toEqual([
      { property: "mailboxEmails[0]", reason: "must be an email address, like adele@contoso.com" },
    ]);
  });

  it("site rules: the documented grammar, at most 10 keywords of 3 to 255 characters", () => {
    const rule = (expression: string) => failures(sharePoint, { displayName: "S", siteInclusionRules: [{ expression }] });
    expect(rule("(title -contains 'Finance')")).toEqual([
      {
        property: "siteInclusionRules[0].expression",
        reason: `"title" is not a documented site property (displayName, webUrl, lastModifiedDateTime); write it like ((displayName -contains 'Finance') -or (webUrl -contains 'Legal'))`,
      },
    ]);
    expect(rule("(displayName -contains 'HR')")).toEqual([
      { property: "siteInclusionRules[0].expression", reason: 'keyword "HR" must be 3 to 255 characters' },
    ]);
    const eleven = `(${Array.from({ length: 11 }, (_, i) => `(webUrl -contains 'site${i}')`).join(" -or ")})`;
    expect(rule(eleven)).toEqual([
      { property: "siteInclusionRules[0].expression", reason: "uses 11 keywords; a rule takes at most 10, so split it over several rules" },
    ]);
    expect(rule("((displayName -contains 'Finance') -or (webUrl -contains 'Legal') -and (webUrl -contains 'Sales'))")).toEqual([
      {
        property: "siteInclusionRules[0].expression",
        reason:
          "mixes -or and -and at one level; add parentheses; write it like ((displayName -contains 'Finance') -or (webUrl -contains 'Legal'))",
      },
    ]);
    expect(rule("(lastModifiedDateTime -ge 'yesterday')")[0]!.reason).toMatch(/^lastModifiedDateTime -ge takes an ISO 8601 date and time/);
    expect(rule("(displayName -contains 'Finance'")[0]!.reason).toMatch(/^a parenthesis is not closed/);
    expect(
      failures(sharePoint, {
        displayName: "S",
        siteInclusionRules: [{ expression: "(displayName -contains 'Finance')", autoApply: true }],
      }),
    ).toEqual([
      {
        property: "siteInclusionRules[0].autoApply",
        reason: "SharePoint has no dynamic rules (Graph allows them for OneDrive and Exchange only); leave autoApply out",
      },
    ]);
  });

  it("group rules: GUIDs, at most 3 groups static, 100 dynamic, one dynamic rule per policy, each rule once", () => {
    const rules = (r: unknown[]) => failures(exchange, { displayName: "E", mailboxInclusionRules: r });
    expect(rules([{ groupIds: ["finance"] }])).toEqual([
      { property: "mailboxInclusionRules[0].groupIds[0]", reason: "must be a group's object id (a GUID)" },
    ]);
    expect(rules([{ groupIds: [guid(1), guid(2), guid(3), guid(4)] }])).toEqual([
      {
        property: "mailboxInclusionRules[0].groupIds",
        reason:
          "a static rule takes at most 3 groups (Graph's limit); split them over several rules, or make it dynamic with autoApply: true (up to 100)",
      },
    ]);
    expect(rules([{ groupIds: Array.from({ length: 101 }, (_, i) => guid(i)), autoApply: true }])).toEqual([
      { property: "mailboxInclusionRules[0].groupIds", reason: "a rule's expression names at most 100 groups (Graph's limit)" },
    ]);
    expect(
      rules([
        { groupIds: [guid(1)], autoApply: true },
        { groupIds: [guid(2)], autoApply: true },
      ]),
    ).toEqual([
      {
        property: "mailboxInclusionRules[1].autoApply",
        reason: "a policy has at most 1 dynamic rule (Graph's limit); put the groups in mailboxInclusionRules[0], or make this rule static",
      },
    ]);
    expect(rules([{ groupIds: [guid(1), guid(2)] }, { groupIds: [guid(2), guid(1)] }])).toEqual([
      { property: "mailboxInclusionRules[1]", reason: "matches the same mailboxes as mailboxInclusionRules[0]" },
    ]);
    expect(rules([{ groupIds: [guid(1), guid(1)] }])).toEqual([
      { property: "mailboxInclusionRules[0].groupIds[1]", reason: "names the same group as mailboxInclusionRules[0].groupIds[0]" },
    ]);
    expect(rules([{ groupIds: [] }])).toEqual([{ property: "mailboxInclusionRules[0].groupIds", reason: "must name at least one group" }]);
  });

  it("read-only Graph properties and the other workloads' keys get hints", () => {
    expect(
      failures(sharePoint, { displayName: "S", siteIds: [SITE], retentionSettings: [], siteProtectionUnits: [], userIds: [] }),
    ).toEqual([
      {
        property: "retentionSettings",
        reason: "retention is set by the service and cannot be changed through Graph; it is shown in the retentionSettings output",
      },
      { property: "siteProtectionUnits", reason: "list sites by id in siteIds or by name in siteWebUrls" },
      {
        property: "userIds",
        reason: "unknown property; allowed here: displayName, siteIds, siteWebUrls, siteInclusionRules, active, adoptExisting, statusWait",
      },
    ]);
  });
});

describe("rule expressions", () => {
  it("parses the documented examples and renders one canonical text per meaning", () => {
    const documented =
      "(((displayName -contains 'Finance') -or (webUrl -contains 'Legal')) -and (lastModifiedDateTime -ge '2024-02-26T11:36:20Z'))";
    expect(parseSiteExpression(documented)).toEqual({ canonical: documented, keywords: ["Finance", "Legal"] });
    expect(parseSiteExpression("((displayName -contains 'Finance')  -or  (displayName -contains 'Legal'))").canonical).toBe(
      "((displayName -contains 'Finance') -or (displayName -contains 'Legal'))",
    );
    expect(parseSiteExpression("((WEBURL -CONTAINS 'a b c'))").canonical).toBe("(webUrl -contains 'a b c')");
  });

  it("reads group ids back from Graph's expression, and keys group rules as sets", () => {
    expect(groupIdsOf(groupExpression([guid(1), guid(2)]))).toEqual([guid(1), guid(2)]);
    expect(groupIdsOf("(memberOf -any (group.id -in ['A','B']))")).toEqual(["A", "B"]);
    expect(groupIdsOf("(displayName -contains 'x')")).toBeUndefined();
    expect(ruleKey("groupMembership", groupExpression([guid(2), guid(1)]), false)).toBe(
      ruleKey("groupMembership", groupExpression([guid(1), guid(2)]), false),
    );
    expect(ruleKey("groupMembership", groupExpression([guid(1)]), true)).not.toBe(
      ruleKey("groupMembership", groupExpression([guid(1)]), false),
    );
  });
});
