/**
 * Hostile session ids through the real host: `../`, `?`, `#`, `%2F`, unicode and very long values
 * reach Graph only as one encoded path segment, or are refused before any request. They never
 * change the request path.
 */
import { urnFor } from "../support/host";
import { outcomeOf, purgeSessions, RESTORE_SESSIONS_PATH, SESSIONS_PATH, startRig, type Rig } from "./rig";

let rig: Rig;
const urn = urnFor("hostile");
let draft: { id: string; properties: Record<string, unknown> };

beforeAll(async () => {
  rig = await startRig();
  draft = await rig.host.create(urn, inputs([rig.restorePoints.sharePoint[0]!]));
});
afterAll(() => rig?.close());

function inputs(restorePoints: string[]) {
  return {
    siteRestoreArtifacts: restorePoints.map((restorePointId) => ({ restorePointId })),
    destinationType: "new",
    activate: false,
    __provider: rig.providers.sharePoint,
  };
}

/** Ids sent as one encoded segment: Graph answers 404 for each. */
const ENCODED = [
  "../../sharePointRestoreSessions",
  "../" + "x",
  "a?$select=id",
  "a#fragment",
  "%2F",
  "a%2F..%2F..%2Fb",
  "%2e%2e",
  "a/b",
  "a\\b",
  "ü-日本-😀-\u202e",
  "x".repeat(1_024),
];
/** Ids refused before any request: URL parsers resolve `.`/`..` even percent-encoded; blank and over-long ids are no ids. */
const REFUSED = [".", "..", " ", "x".repeat(1_025)];

/** Every Graph request of the last operation, as the path after the collection it addressed. */
function requestedSegments(): { method: string; collection: string; rest: string }[] {
  return rig.emulator.journal
    .entries()
    .filter((entry) => entry.path.startsWith("/v1.0/"))
    .map((entry) => {
      const collection = [RESTORE_SESSIONS_PATH, SESSIONS_PATH].find((prefix) => entry.path.startsWith(`${prefix}/`)) ?? "(other)";
      return { method: entry.method, collection, rest: entry.path.slice(collection.length + 1) };
    });
}

beforeEach(() => rig.emulator.journal.clear());

describe.each(ENCODED.map((id) => [id.length > 80 ? `${id.slice(0, 8)}… (${id.length} chars)` : JSON.stringify(id), id]))(
  "id %s",
  (_label, id) => {
    const encoded = encodeURIComponent(id);
    const operations: Record<"read" | "update" | "delete", () => Promise<unknown>> = {
      read: () => rig.host.read(id, urn, draft.properties),
      update: () => rig.host.update(id, urn, draft.properties, inputs(rig.restorePoints.sharePoint.slice(0, 2)), inputs([rig.restorePoints.sharePoint[0]!])),
      delete: () => rig.host.delete(id, urn, draft.properties),
    };

    test.each(Object.keys(operations) as (keyof typeof operations)[])("%s addresses only that one encoded segment", async (name) => {
      const outcome = await outcomeOf(operations[name]);
      const requests = requestedSegments();
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests) {
        expect(request.collection).not.toBe("(other)");
        expect([encoded, `${encoded}/siteRestoreArtifacts`]).toContain(request.rest);
      }
      // Graph refuses or does not know such an id; the error names the encoded path it was sent to.
      if (!outcome.ok)
        expect(outcome.error.details).toMatch(
          new RegExp(
            `^(GET|PATCH|DELETE) /v1\\.0/solutions/backupRestore/(restoreSessions|sharePointRestoreSessions)/${escapeRegExp(encoded)}(/siteRestoreArtifacts)? -> 4\\d\\d `,
          ),
        );
    });
  },
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe.each(REFUSED.map((id) => [id.length > 80 ? `${id.slice(0, 8)}… (${id.length} chars)` : JSON.stringify(id), id]))(
  "id %s",
  (_label, id) => {
    test("is refused by read, update and delete without any request", async () => {
      for (const operation of [
        (): Promise<unknown> => rig.host.read(id, urn, draft.properties),
        () => rig.host.delete(id, urn, draft.properties),
        () => rig.host.update(id, urn, draft.properties, inputs(rig.restorePoints.sharePoint.slice(0, 2)), inputs([rig.restorePoints.sharePoint[0]!])),
      ]) {
        const outcome = await outcomeOf(operation);
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.error.details).toContain("invalid restore session id");
      }
      expect(requestedSegments()).toEqual([]);
    });
  },
);

test("the real session was never touched by any of them", () => {
  expect(rig.emulator.tenant.sessions().map((s) => [s.id, s.artifacts.length])).toEqual([[draft.id, 1]]);
  purgeSessions(rig.emulator);
});
