/**
 * check and diff: the preview-time half of the provider. Both are pure and never call Graph.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { containsUnknown, validateInputs, type CheckFailure } from "../schemas/inputs";
import { isDraft, readState, requestKey } from "./state";
import { isTerminal } from "./wait";

/** Validates new inputs; refuses to "deactivate" a session that was already activated. */
export function check(olds: Record<string, unknown>, news: Record<string, unknown>): dynamic.CheckResult {
  const { inputs, failures } = validateInputs(news);
  const all: CheckFailure[] = [...failures];
  if (olds.activate === true && news.activate === false) {
    all.push({
      property: "activate",
      reason:
        "the session was already activated and Graph cannot deactivate it; keep activate: true, or replace the resource to start a new draft",
    });
  }
  return all.length > 0 ? { inputs: news, failures: all } : { inputs };
}

/**
 * Decides between no change, an in-place update and a replacement, without calling Graph.
 *
 * `olds` are the stored outputs, `news` the checked inputs. Entries are compared as requested (a
 * site with its point in time), never re-resolved, so an unchanged program is a no-op. Drafts take
 * new artifacts and activation in place; once activated, Graph refuses every change, so a different
 * artifact set or destination needs a new session. A new `drillId` always means a new session: it
 * is the only way to run a restore again. An activated session that has not ended yet gets an
 * update when `waitForCompletion` is set, and that update only waits.
 */
export function diff(olds: Record<string, unknown>, news: Record<string, unknown>): dynamic.DiffResult {
  const state = readState(olds);
  const changed: string[] = [];

  if (containsUnknown(news.siteRestoreArtifacts) || !sameRequests(state.siteRestoreArtifacts, news.siteRestoreArtifacts))
    changed.push("siteRestoreArtifacts");
  if (news.destinationType !== state.destinationType) changed.push("destinationType");
  if (news.activate === true && state.activate !== true && isDraft(state)) changed.push("activate");
  if ((news.drillId ?? undefined) !== state.drillId) changed.push("drillId");
  for (const setting of ["allowInPlaceRestore", "failOn", "waitForCompletion"] as const) {
    if (!sameValue(news[setting], state[setting])) changed.push(setting);
  }
  const stillRunning = !isDraft(state) && !isTerminal(state.status) && state.missingSince === undefined;
  if (stillRunning && news.waitForCompletion !== undefined && news.waitForCompletion !== false && !changed.includes("waitForCompletion"))
    changed.push("waitForCompletion");

  if (changed.length === 0) return { changes: false };
  const replaces = isDraft(state)
    ? changed.filter((p) => p === "destinationType" || p === "drillId")
    : changed.filter((p) => p === "siteRestoreArtifacts" || p === "destinationType" || p === "drillId");
  return { changes: true, replaces, deleteBeforeReplace: false };
}

function sameRequests(stored: readonly Parameters<typeof requestKey>[0][], wanted: unknown): boolean {
  if (!Array.isArray(wanted)) return false;
  const a = new Set(stored.map(requestKey));
  const b = new Set(wanted.map((w: Parameters<typeof requestKey>[0]) => requestKey(w)));
  return a.size === b.size && [...a].every((key) => b.has(key));
}

/** Equal as stored: absent and null are the same, objects compare by content (the engine sorts keys). */
function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value !== "object") return JSON.stringify(value);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(",")}}`;
}
