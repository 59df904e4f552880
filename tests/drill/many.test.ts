/**
 * Hundreds of sites in one session, through the real provider host against an emulator tenant of
 * 1,000 protected sites: searches of five units, a POST of 50 and PATCH deltas of 50, and the
 * service's limit of 1,000 enforced in check. Counts are exact.
 */
import { protectedSites, SEARCH, SESSIONS, startRig, UNITS, type DrillRig } from "./drill-host";

let rig: DrillRig;
beforeAll(async () => {
  rig = await startRig({ sites: 1000 });
});
afterAll(() => rig?.close());
beforeEach(() => rig.emulator.journal.clear());

const count = (requests: string[], prefix: string) => requests.filter((r) => r.startsWith(prefix)).length;
const patchSizes = () =>
  rig.emulator.journal
    .entries()
    .filter((e) => e.method === "PATCH")
    .map((e) => (e.body as { "siteRestoreArtifacts@delta": unknown[] })["siteRestoreArtifacts@delta"].length);

it("60 sites by id: 12 searches, a POST of 50 and one PATCH of 10", async () => {
  const sites = protectedSites(rig.emulator).slice(0, 60);
  const inputs = await rig.checked({ siteRestoreArtifacts: sites.map((s) => ({ siteId: s.siteId })) });
  const created = await rig.host.create(rig.urn, inputs);
  const requests = rig.graphRequests();
  expect(count(requests, `GET ${UNITS}`)).toBe(10); // 1,000 units, pages of 100, listed once
  expect(count(requests, `POST ${SEARCH} 200`)).toBe(12);
  expect(count(requests, `POST ${SESSIONS} 201`)).toBe(1);
  expect(patchSizes()).toEqual([10]);
  expect(requests).toHaveLength(10 + 12 + 1 + 1);
  const artifacts = created.properties.siteRestoreArtifacts as { siteId: string; restorePointId: string }[];
  expect(artifacts.map((a) => a.siteId)).toEqual(sites.map((s) => s.siteId));
  expect(artifacts.map((a) => a.restorePointId)).toEqual(sites.map((s) => rig.emulator.tenant.latestRestorePointId(s.siteId)));
  await rig.host.delete(created.id, rig.urn, created.properties);
});

it("1,000 sites in one session with no chunking by the user; the next up is a no-op", async () => {
  const sites = protectedSites(rig.emulator);
  expect(sites).toHaveLength(1000);
  const inputs = await rig.checked({ siteRestoreArtifacts: sites.map((s) => ({ siteId: s.siteId })) });
  const created = await rig.host.create(rig.urn, inputs);
  const requests = rig.graphRequests();
  expect(count(requests, `POST ${SEARCH} 200`)).toBe(200);
  expect(count(requests, `POST ${SESSIONS} 201`)).toBe(1);
  expect(patchSizes()).toEqual(Array(19).fill(50));
  expect(rig.emulator.tenant.sessions().find((s) => s.id === created.id)!.artifacts).toHaveLength(1000);

  rig.emulator.journal.clear();
  const read = await rig.host.read(created.id, rig.urn, created.properties);
  const artifacts = read.properties.siteRestoreArtifacts as { status?: string; siteId: string }[];
  expect(artifacts).toHaveLength(1000);
  expect(artifacts.every((a, i) => a.status === "added" && a.siteId === sites[i]!.siteId)).toBe(true);
  expect(await rig.host.diff(created.id, rig.urn, read.properties, inputs)).toMatchObject({ changes: "NONE" });
});

it("more than 1,000 sites fail check with the service's limit, without calling Graph", async () => {
  const entries = Array.from({ length: 1001 }, (_, i) => ({ siteId: `site-${i}` }));
  const result = await rig.host.check(rig.urn, {}, rig.props({ siteRestoreArtifacts: entries }));
  expect(result.failures).toEqual([
    {
      property: "siteRestoreArtifacts",
      reason: "a session holds at most 1000 sites; split them over several sessions, or use bulkRestore",
    },
  ]);
  expect(rig.graphRequests()).toEqual([]);
});
