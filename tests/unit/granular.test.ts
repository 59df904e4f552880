/**
 * Item-level mailbox restores: the v1.0 `queryExpression` text, beta's structured query, and the
 * one search per entry that picks each entry's restore point and `searchResponseId`.
 */
import { artifactQuery, queryExpression, resolveGranular } from "../../provider/engine/restore-session/granular";
import type { RestorePointSearchRequest } from "../../provider/graph";
import type { MailboxQuery } from "../../provider/schemas/inputs/restore-session";
import { EXCHANGE } from "../../provider/workloads";
import { fakeGraph, rejectionOf } from "./fake-graph";

describe("queryExpression", () => {
  it("writes Microsoft's documented example exactly: a group of alternatives, single conditions, hasAttachment last", () => {
    // restorePoint: search, "Search with artifactQuery expression" (spaces normalised to one).
    expect(
      queryExpression({
        subjects: ["Finance", "Legal"],
        senders: ["alex@contoso.com"],
        recipients: ["carol@contoso.com"],
        hasAttachment: true,
      }),
    ).toBe(
      "((subject -contains 'Finance') -or (subject -contains 'Legal')) -and (sender -eq 'alex@contoso.com') -and (recipient -eq 'carol@contoso.com') -and hasAttachment -eq true",
    );
  });

  it.each([
    [{ subjects: ["Finance"] }, "(subject -contains 'Finance')"],
    [{ senders: ["alex@contoso.com", "adele@contoso.com"] }, "((sender -eq 'alex@contoso.com') -or (sender -eq 'adele@contoso.com'))"],
    [{ recipients: ["carol@contoso.com"], hasAttachment: false }, "(recipient -eq 'carol@contoso.com') -and hasAttachment -eq false"],
    [{ hasAttachment: true }, "hasAttachment -eq true"],
  ] as [MailboxQuery, string][])("%j -> %s", (query, expected) => {
    expect(queryExpression(query)).toBe(expected);
  });

  it("doubles single quotes inside a value, as OData quotes them", () => {
    expect(queryExpression({ subjects: ["O'Brien's budget", "it''s"] })).toBe(
      "((subject -contains 'O''Brien''s budget') -or (subject -contains 'it''''s'))",
    );
  });
});

describe("artifactQuery", () => {
  const query: MailboxQuery = {
    subjects: ["Finance"],
    senders: ["alex@contoso.com"],
    hasAttachment: true,
    itemKinds: ["email", "calendar"],
  };

  it("on v1.0 sends the query as a queryExpression of messages (item kinds exist only in beta)", () => {
    const { itemKinds: _kinds, ...v1 } = query;
    expect(artifactQuery(v1, "v1.0")).toEqual({
      queryExpression: "(subject -contains 'Finance') -and (sender -eq 'alex@contoso.com') -and hasAttachment -eq true",
      artifactType: "message",
    });
  });

  it("on beta sends the structured query, item kinds as items", () => {
    expect(artifactQuery(query, "beta")).toEqual({
      structuredQueryExpression: {
        subjects: ["Finance"],
        senders: ["alex@contoso.com"],
        hasAttachment: true,
        items: ["email", "calendar"],
      },
      artifactType: "message",
    });
    expect(artifactQuery({ recipients: ["carol@contoso.com"] }, "beta")).toEqual({
      structuredQueryExpression: { recipients: ["carol@contoso.com"] },
      artifactType: "message",
    });
  });
});

describe("resolveGranular", () => {
  const units = [
    { id: "unit-adele", directoryObjectId: "user-adele", email: "adele@contoso.com", status: "protected" },
    { id: "unit-alex", directoryObjectId: "user-alex", email: "alex@contoso.com", status: "protected" },
  ];
  const now = () => new Date("2026-11-28T12:00:00.000Z");
  const answer = (request: RestorePointSearchRequest) => ({
    searchResponseId: `search-${request.protectionUnitIds[0]}`,
    searchResults: [
      {
        restorePoint: {
          id: `rp-${request.protectionUnitIds[0]}`,
          protectionDateTime: "2026-11-27T00:00:00Z",
          protectionUnit: { id: request.protectionUnitIds[0] },
        },
      },
    ],
    noResultProtectionUnitIds: [],
  });

  it("makes one search per entry on its one mailbox unit, with the entry's window and artifact query", async () => {
    const { graph, calls } = fakeGraph({
      listProtectionUnits: async () => units,
      searchRestorePoints: async (request) => answer(request),
      getRestorePoint: async (id) => ({ id, protectionDateTime: "2026-11-20T06:00:00Z", protectionUnit: { id: "unit-alex" } }),
    });
    const { requests, units: resolved } = await resolveGranular(
      graph,
      EXCHANGE,
      [
        { email: "ADELE@contoso.com", query: { subjects: ["Finance"] } },
        {
          directoryObjectId: "user-alex",
          pointInTime: "2026-11-01T00:00:00Z",
          restorePointPreference: "oldest",
          fastRestoreOnly: true,
          query: { senders: ["carol@contoso.com"] },
        },
        { restorePointId: "rp-given", query: { hasAttachment: true } },
      ],
      "v1.0",
      now,
    );
    expect(calls).toEqual([
      ["listProtectionUnits", "exchange"],
      [
        "searchRestorePoints",
        {
          protectionUnitIds: ["unit-adele"],
          end: "2026-11-28T12:00:00.000Z",
          preference: "latest",
          artifactQuery: { queryExpression: "(subject -contains 'Finance')", artifactType: "message" },
        },
      ],
      [
        "searchRestorePoints",
        {
          protectionUnitIds: ["unit-alex"],
          start: "2026-11-01T00:00:00Z",
          end: "2026-11-28T12:00:00.000Z",
          preference: "oldest",
          fastRestoreOnly: true,
          artifactQuery: { queryExpression: "(sender -eq 'carol@contoso.com')", artifactType: "message" },
        },
      ],
      ["getRestorePoint", "rp-given"],
      [
        "searchRestorePoints",
        {
          protectionUnitIds: ["unit-alex"],
          start: "2026-11-20T06:00:00Z",
          end: "2026-11-20T06:00:00Z",
          preference: "latest",
          artifactQuery: { queryExpression: "hasAttachment -eq true", artifactType: "message" },
        },
      ],
    ]);
    expect(requests).toEqual([
      {
        restorePointId: "rp-unit-adele",
        protectionDateTime: "2026-11-27T00:00:00Z",
        email: "ADELE@contoso.com",
        query: { subjects: ["Finance"] },
        searchResponseId: "search-unit-adele",
      },
      {
        restorePointId: "rp-unit-alex",
        protectionDateTime: "2026-11-27T00:00:00Z",
        directoryObjectId: "user-alex",
        requestedPointInTime: "2026-11-01T00:00:00Z",
        restorePointPreference: "oldest",
        fastRestoreOnly: true,
        query: { senders: ["carol@contoso.com"] },
        searchResponseId: "search-unit-alex",
      },
      {
        restorePointId: "rp-unit-alex",
        protectionDateTime: "2026-11-27T00:00:00Z",
        query: { hasAttachment: true },
        searchResponseId: "search-unit-alex",
      },
    ]);
    expect(resolved).toEqual([
      { label: "mailbox ADELE@contoso.com", protectionUnitId: "unit-adele" },
      { label: "mailbox directoryObjectId user-alex", protectionUnitId: "unit-alex" },
      { label: "restore point rp-given", protectionUnitId: "unit-alex" },
    ]);
  });

  it("lists no units when every entry gives its restore point", async () => {
    const { graph, calls } = fakeGraph({
      searchRestorePoints: async (request) => answer(request),
      getRestorePoint: async (id) => ({ id, protectionDateTime: "2026-11-20T06:00:00Z", protectionUnit: { id: "unit-adele" } }),
    });
    await resolveGranular(graph, EXCHANGE, [{ restorePointId: "rp-1", query: { subjects: ["x"] } }], "beta", now);
    expect(calls.map((c) => c[0])).toEqual(["getRestorePoint", "searchRestorePoints"]);
    expect((calls[1]![1] as RestorePointSearchRequest).artifactQuery).toEqual({
      structuredQueryExpression: { subjects: ["x"] },
      artifactType: "message",
    });
  });

  it.each([
    [
      "a search without results",
      { email: "adele@contoso.com", query: { subjects: ["x"] } },
      { searchResults: [], noResultProtectionUnitIds: ["unit-adele"], searchResponseId: "search-1" },
      "mailbox adele@contoso.com has no restore point with items matching the query in the requested window",
    ],
    [
      "a search without a searchResponseId",
      { email: "adele@contoso.com", query: { subjects: ["x"] } },
      { searchResults: [{ restorePoint: { id: "rp-1", protectionUnit: { id: "unit-adele" } } }], noResultProtectionUnitIds: [] },
      "mailbox adele@contoso.com has no restore point with items matching the query in the requested window",
    ],
    [
      "a mailbox no policy protects",
      { email: "nobody@contoso.com", query: { subjects: ["x"] } },
      undefined,
      "mailbox nobody@contoso.com is not protected: no mailbox protection unit covers it; add it to the tenant's Exchange protection policy first",
    ],
    [
      "a restore point Graph does not know",
      { restorePointId: "rp-gone", query: { subjects: ["x"] } },
      undefined,
      "restore point rp-gone is not a restore point Microsoft Graph knows (or it names no protection unit)",
    ],
  ])("fails naming the entry for %s", async (_name, entry, response, message) => {
    const { graph } = fakeGraph({
      listProtectionUnits: async () => units,
      searchRestorePoints: async () => response ?? { searchResults: [], noResultProtectionUnitIds: [] },
    });
    const error = await rejectionOf(resolveGranular(graph, EXCHANGE, [entry], "v1.0", now));
    expect({ name: error.name, message: error.message }).toEqual({ name: "UnitResolutionError", message });
  });
});
