/**
 * check and diff: the preview-time half of the provider. Both are pure and never call Graph.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { containsUnknown, validateInputs, type CheckFailure } from "../schemas/inputs";
import { isDraft, readState } from "./state";

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
 * Decides between no change, an in-place update (drafts only) and a replacement.
 *
 * `olds` are the stored outputs, `news` the checked inputs. Drafts can take new artifacts and
 * activation in place; once activated, Graph refuses every change, so a different artifact set or
 * destination needs a new session.
 */
export function diff(olds: Record<string, unknown>, news: Record<string, unknown>): dynamic.DiffResult {
  const state = readState(olds);
  const changed: string[] = [];

  if (containsUnknown(news.siteRestoreArtifacts) || !sameRestorePoints(state.siteRestoreArtifacts, news.siteRestoreArtifacts))
    changed.push("siteRestoreArtifacts");
  if (news.destinationType !== state.destinationType) changed.push("destinationType");
  if (news.activate === true && state.activate !== true && isDraft(state)) changed.push("activate");

  if (changed.length === 0) return { changes: false };
  const replaces = isDraft(state)
    ? changed.filter((p) => p === "destinationType")
    : changed.filter((p) => p === "siteRestoreArtifacts" || p === "destinationType");
  return { changes: true, replaces, deleteBeforeReplace: false };
}

function sameRestorePoints(stored: readonly { restorePointId: string }[], wanted: unknown): boolean {
  if (!Array.isArray(wanted)) return false;
  const a = new Set(stored.map((s) => s.restorePointId));
  const b = new Set(wanted.map((w: { restorePointId: string }) => w.restorePointId));
  return a.size === b.size && [...a].every((id) => b.has(id));
}
