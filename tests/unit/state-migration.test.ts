/**
 * State written by every earlier layout keeps reading: fixtures of versions 0, 1 and 2 (each with the
 * program that wrote it) migrate to the current layout, store each artifact once without what Graph
 * can give again, and diff against their own program as they did when they were written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { outputsOf } from "../../provider/engine/restore-session/lifecycle";
import { diff } from "../../provider/engine/restore-session/plan";
import { isDraft, readState, STATE_VERSION } from "../../provider/engine/restore-session/state";
import { workload, type WorkloadName } from "../../provider/workloads";
import { checkedNews } from "./fake-graph";

interface Fixture {
  about: string;
  workload: WorkloadName;
  program: Record<string, unknown>;
  outputs: Record<string, unknown>;
  expectedArtifacts: Record<string, unknown>[];
  expectedDiff: "none" | "update";
}

const FIXTURES = path.join(__dirname, "fixtures", "state");
const fixtures: [string, Fixture][] = fs
  .readdirSync(FIXTURES)
  .sort()
  .map((file) => [file, JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8")) as Fixture]);
/** Fields a stored artifact no longer keeps (decision 0030). */
const DROPPED = ["id", "restoredSiteId", "restoredSiteName"];

it("covers versions 0, 1 and 2", () => {
  expect(fixtures.map(([, f]) => f.outputs.stateVersion ?? 0)).toEqual([0, 1, 2, 2]);
  expect(STATE_VERSION).toBe(3);
});

describe.each(fixtures)("%s", (_file, fixture) => {
  const w = workload(fixture.workload);
  const key = w.restoreSession.artifacts;

  it("reads its artifacts into the current layout: held ones marked by status, dropped fields gone", () => {
    const state = readState(w, fixture.outputs);
    expect(state.stateVersion).toBe(STATE_VERSION);
    expect(state.artifacts).toEqual(fixture.expectedArtifacts);
    expect(state.status).toBe(fixture.outputs.status);
  });

  it("writes the current layout back: stateVersion 3, no dropped field, the drill summary recomputed from the artifacts", () => {
    const outputs = outputsOf(w, "s-1", readState(w, fixture.outputs));
    expect(outputs.stateVersion).toBe(STATE_VERSION);
    expect(outputs.__provider).toBeUndefined();
    const artifacts = outputs[key] as Record<string, unknown>[];
    expect(artifacts).toEqual(fixture.expectedArtifacts);
    for (const artifact of artifacts) for (const field of DROPPED) expect(artifact).not.toHaveProperty(field);
    const summary = outputs.drillReport as Record<string, unknown>;
    expect(summary).not.toHaveProperty("sites");
    const finished = (status: string) => fixture.expectedArtifacts.filter((a) => a.status === status).length;
    expect(summary).toMatchObject({ sessionId: "s-1", workload: w.title, succeeded: finished("succeeded"), failed: finished("failed") });
    // Reading what was written changes nothing more.
    expect(outputsOf(w, "s-1", readState(w, outputs))).toEqual(outputs);
  });

  it("diffs against the program that wrote it as that version did", () => {
    const expected = fixture.expectedDiff === "none" ? { changes: false } : { changes: true, replaces: [], deleteBeforeReplace: false };
    expect(diff(w, fixture.outputs, checkedNews(w, fixture.program))).toEqual(expected);
    // The migrated state too: upgrading alone never turns into work.
    expect(diff(w, outputsOf(w, "s-1", readState(w, fixture.outputs)), checkedNews(w, fixture.program))).toEqual(expected);
  });

  it("keeps telling a draft (deleted on destroy) from an activated session (forgotten)", () => {
    expect(isDraft(readState(w, fixture.outputs))).toBe(fixture.outputs.status === "draft");
  });
});

it("a version 2 artifact listed with an id but no status is held; one with neither, in a version 2 draft, is not", () => {
  const w = workload("sharePoint");
  const state = readState(w, {
    stateVersion: 2,
    status: "draft",
    siteRestoreArtifacts: [{ restorePointId: "a", id: "art-a" }, { restorePointId: "b" }],
  });
  expect(state.artifacts).toEqual([{ restorePointId: "a", status: "added" }, { restorePointId: "b" }]);
});
