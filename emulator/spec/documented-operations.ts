/**
 * What the docs say about the write operations and the paths the generated OpenAPI gets wrong:
 * the writable properties of each documented write, the documented operations a spec lacks (checked
 * with the shapes of a spec operation), and the PATCH answers that echo a delta. Built from the
 * workload descriptors, so the three workloads share one table.
 */
import { WORKLOADS } from "../../provider/workloads";

const ROOT = "/solutions/backupRestore";

/** An operation, by method and path pattern (a template as `normalizeTemplate` writes it). */
export interface OperationPattern {
  method: string;
  pattern: string;
}

const operation = (method: string, template: string): OperationPattern => ({ method, pattern: normalizeTemplate(template) });

/**
 * Documented operations a spec lacks, checked with the shapes of a spec operation: the generated
 * document has inclusion rules and bulk jobs only read under a policy (the docs create them there),
 * no `run` or `deleteAndUnprotect` (answered with a rule, like GET), and the trimmed beta document
 * has no `protectionUnits/microsoft.graph.siteProtectionUnit`.
 */
export const DOCUMENTED_ALIASES: { from: OperationPattern; to: OperationPattern }[] = [
  {
    from: operation("GET", `${ROOT}/protectionUnits/microsoft.graph.siteProtectionUnit`),
    to: operation("GET", `${ROOT}/siteProtectionUnits`),
  },
  ...WORKLOADS.flatMap(({ protectionPolicy: { collection, rules, bulkJobs } }) => {
    const policyRules = `${ROOT}/${collection}/{id}/${rules}`;
    const rootRule = `${ROOT}/${rules}/{id}`;
    return [
      { from: operation("POST", policyRules), to: operation("POST", `${ROOT}/${rules}`) },
      { from: operation("PATCH", `${policyRules}/{id}`), to: operation("PATCH", rootRule) },
      { from: operation("DELETE", `${policyRules}/{id}`), to: operation("DELETE", rootRule) },
      ...[`${policyRules}/{id}`, rootRule].flatMap((rule) => [
        { from: operation("POST", `${rule}/run`), to: operation("GET", rootRule) },
        { from: operation("POST", `${rule}/deleteAndUnprotect`), to: operation("GET", rootRule) },
      ]),
      { from: operation("POST", `${ROOT}/${collection}/{id}/${bulkJobs}`), to: operation("POST", `${ROOT}/${bulkJobs}`) },
    ];
  }),
];

/** PATCH operations whose answer is a delta echo, with the collection the echo carries (normalized template -> collection). */
export const DELTA_PATCHES: Record<string, string> = Object.fromEntries([
  ...WORKLOADS.map((w) => [`PATCH ${normalizeTemplate(`${ROOT}/${w.restoreSession.collection}/{id}`)}`, w.restoreSession.artifacts]),
  ...WORKLOADS.map((w) => [`PATCH ${normalizeTemplate(`${ROOT}/${w.protectionPolicy.collection}/{id}`)}`, w.protectionUnit.collection]),
]);

/** What a client may send, per the docs: a tree of writable properties. */
export type WriteRule =
  | { kind: "value"; type?: "string" }
  | { kind: "object"; fields: Record<string, WriteRule> }
  | { kind: "array"; items: WriteRule }
  | { kind: "delta"; add: WriteRule; remove: WriteRule }
  /** Documented as not implemented yet: refused unless empty (the docs' own examples send empty lists). */
  | { kind: "notImplemented" };

/** Any value may be sent. */
export const value: WriteRule = { kind: "value" };
const notImplemented: WriteRule = { kind: "notImplemented" };
const text: WriteRule = { kind: "value", type: "string" };
/** An object with these writable properties. */
export const object = (fields: Record<string, WriteRule>): WriteRule => ({ kind: "object", fields });
const arrayOf = (items: WriteRule): WriteRule => ({ kind: "array", items });
const timePeriod = object({ startDateTime: value, endDateTime: value });
const artifactToAdd = object({ restorePoint: object({ id: value }), destinationType: value });
const granularArtifact = object({ browseSessionId: text, id: text });
const granularMailboxArtifact = object({ restorePoint: object({ id: value }), destinationType: value, searchResponseId: text });

/** Writable request properties of the documented write operations, keyed "METHOD normalized-template". */
export const DOCUMENTED_WRITES: Record<string, WriteRule> = Object.fromEntries([
  ...WORKLOADS.flatMap((w) => {
    const { collection, artifacts, granularArtifacts, bulkRequests, bulkNames } = w.restoreSession;
    const sessions = `${ROOT}/${collection}`;
    // Granular SharePoint and OneDrive artifacts are documented though absent from the v1.0 spec: typed
    // here so a client gets a clear answer (the emulator does not restore them).
    const granular = granularArtifacts ?? `granular${artifacts.charAt(0).toUpperCase()}${artifacts.slice(1)}`;
    const granularItem = granularArtifacts ? granularMailboxArtifact : granularArtifact;
    return [
      [`POST ${normalizeTemplate(sessions)}`, object({ [artifacts]: arrayOf(artifactToAdd), [granular]: arrayOf(granularItem) })],
      [
        `PATCH ${normalizeTemplate(`${sessions}/{id}`)}`,
        object({ [`${artifacts}@delta`]: { kind: "delta", add: artifactToAdd, remove: object({ id: value }) } }),
      ],
      [
        `POST ${normalizeTemplate(`${sessions}/{id}/${bulkRequests}`)}`,
        object({
          displayName: value,
          destinationType: value,
          protectionTimePeriod: timePeriod,
          restorePointPreference: value,
          tags: value,
          [bulkNames]: value,
          protectionUnitIds: notImplemented,
          [w.protectionUnit.key === "siteId" ? "siteIds" : "directoryObjectIds"]: notImplemented,
        }),
      ],
    ] as [string, WriteRule][];
  }),
  ...WORKLOADS.flatMap((w) => {
    const { collection, rules, ruleExpression, bulkJobs, bulkJobNames } = w.protectionPolicy;
    const { collection: units, key } = w.protectionUnit;
    return [
      [`POST ${normalizeTemplate(`${ROOT}/${collection}`)}`, object({ displayName: value, [units]: arrayOf(object({ [key]: value })) })],
      [
        `PATCH ${normalizeTemplate(`${ROOT}/${collection}/{id}`)}`,
        object({ displayName: value, [`${units}@delta`]: { kind: "delta", add: object({ [key]: value }), remove: object({ id: value }) } }),
      ],
      // isAutoApplyEnabled is accepted on PATCH so the handler can answer the documented InvalidProtectionRulePatchRequest.
      [`POST ${normalizeTemplate(`${ROOT}/${rules}`)}`, object({ [ruleExpression]: value, isAutoApplyEnabled: value })],
      [`PATCH ${normalizeTemplate(`${ROOT}/${rules}/{id}`)}`, object({ [ruleExpression]: value, isAutoApplyEnabled: value })],
      [
        `POST ${normalizeTemplate(`${ROOT}/${bulkJobs}`)}`,
        object({ displayName: value, [bulkJobNames]: value, [key === "siteId" ? "siteIds" : "directoryObjectIds"]: value }),
      ],
    ] as [string, WriteRule][];
  }),
  [
    `POST ${normalizeTemplate(`${ROOT}/restorePoints/search`)}`,
    object({
      protectionUnitIds: value,
      protectionTimePeriod: timePeriod,
      restorePointPreference: value,
      tags: value,
      artifactQuery: object({ queryExpression: value, artifactType: value }),
    }),
  ],
]);

/** True when a normalized path fits a pattern (`{}` takes any segment). */
export function patternMatches(pattern: string, path: string): boolean {
  const expected = pattern.split("/");
  const given = path.split("/");
  return expected.length === given.length && expected.every((segment, i) => segment === "{}" || segment === given[i]);
}

/**
 * A path or template in one comparable form: lower case, parameters as `{}`, and action or cast
 * segments without their namespace (`microsoft.graph.activate` and `activate`, `graph.x` and `x`).
 */
export function normalizeTemplate(path: string): string {
  return path
    .split("/")
    .map((segment) => (/^\{.*\}$/.test(segment) ? "{}" : segment.toLowerCase().replace(/^(microsoft\.)?graph\./, "")))
    .join("/");
}
