/**
 * check and diff: the preview-time half of a restore session's provider. Both are pure and never
 * call Graph.
 *
 * diff compares the program with the session as last observed, not with what was last asked: a
 * draft whose program says `activate: true` still needs activating, and requested artifacts that
 * Graph does not hold still need adding, whatever a failed step or a `pulumi refresh` left in the
 * state. The same program after that update is a no-op.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  containsUnknown,
  DEFAULT_RESTORE_POINT_PREFERENCE,
  normalizeEmail,
  normalizeSiteUrl,
  type CheckFailure,
} from "../../schemas/inputs/common";
import {
  restoreSessionInputRules,
  type ArtifactInput,
  type BulkRestoreInput,
  type GranularArtifactInput,
} from "../../schemas/inputs/restore-session";
import type { Workload } from "../../workloads";
import { bulkRestoreState, isDraft, isHeld, readState, type ArtifactRequest, type ArtifactState, type SessionState } from "./state";
import { isTerminal } from "./wait";

/** Validates new inputs; refuses to "deactivate" a session that was already activated. */
export function check(
  workload: Workload,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  apiVersion: "v1.0" | "beta",
): dynamic.CheckResult {
  const { inputs, failures } = restoreSessionInputRules(workload).validate(news, apiVersion);
  const all: CheckFailure[] = [...failures];
  if (olds.activate === true && news.activate === false) {
    all.push({
      property: "activate",
      reason:
        "the session was already activated and Graph cannot deactivate it; keep activate: true, or replace the resource to start a new draft " +
        "(if its activation failed, run `pulumi refresh` first)",
    });
  }
  return all.length > 0 ? { inputs: news, failures: all } : { inputs };
}

/**
 * Decides between no change, an in-place update and a replacement.
 *
 * `olds` are the stored outputs, `news` the checked inputs. Entries are compared as requested (an
 * object with its point in time), never re-resolved, so an unchanged program is a no-op. Drafts
 * take new artifacts and activation in place; once activated, Graph refuses every change, so a
 * different set of artifacts or destination needs a new session. A bulk restore cannot be changed
 * at all (Graph has no PATCH for it). A new `drillId` always means a new session: it is the only
 * way to run a restore again.
 */
export function diff(workload: Workload, olds: Record<string, unknown>, news: Record<string, unknown>): dynamic.DiffResult {
  const state = readState(workload, olds);
  const { artifacts: artifactsKey, granularArtifacts: granularKey } = workload.restoreSession;
  const draft = isDraft(state);
  const changed: string[] = [];
  const replacing: string[] = [];

  const kind = contentsOf(workload, news);
  if (kind !== storedContents(state)) {
    replacing.push(kind === "bulk" ? "bulkRestore" : kind === "granular" ? granularKey! : artifactsKey);
  } else if (kind === "bulk") {
    if (
      containsUnknown(news.bulkRestore) ||
      !sameBulk(workload, bulkRestoreState(workload, news.bulkRestore as BulkRestoreInput), state.bulkRestore)
    ) {
      replacing.push("bulkRestore");
    } else if (draft && state.bulkRequest === undefined) {
      // The session exists but its bulk request was never confirmed: the update posts (or finds) it.
      changed.push("bulkRestore");
    }
  } else if (kind === "granular") {
    // Graph documents no @delta for item-level artifacts: a different set needs a new session.
    if (containsUnknown(news[granularKey!]) || !sameRequests(state.granularArtifacts, news[granularKey!])) replacing.push(granularKey!);
  } else {
    const requested = requestedArtifacts(state);
    const listed = news[artifactsKey];
    if (containsUnknown(listed) || !sameRequests(requested, listed)) changed.push(artifactsKey);
    else if (draft && (requested.some((a) => !isHeld(a)) || state.artifacts.some((a) => a.outOfBand === true))) changed.push(artifactsKey);
  }

  if (news.destinationType !== state.destinationType) replacing.push("destinationType");
  if ((news.drillId ?? undefined) !== state.drillId) replacing.push("drillId");
  if (news.activate === true && draft) changed.push("activate");
  for (const setting of ["allowInPlaceRestore", "failOn", "waitForCompletion"] as const) {
    if (!sameValue(news[setting], state[setting])) changed.push(setting);
  }
  const stillRunning = !draft && !isTerminal(state.status) && state.missingSince === undefined;
  if (stillRunning && news.waitForCompletion !== undefined && news.waitForCompletion !== false && !changed.includes("waitForCompletion"))
    changed.push("waitForCompletion");

  // Once activated, any change to what is restored needs a new session.
  if (!draft) replacing.push(...changed.filter((p) => p === artifactsKey));
  const replaces = [...new Set(replacing)];
  if (changed.length === 0 && replaces.length === 0) return { changes: false };
  return { changes: true, replaces, deleteBeforeReplace: false };
}

/** Bulk restores compare their names as a set, the way the service resolves them (URLs case-insensitively, emails too). */
function sameBulk(workload: Workload, a: SessionState["bulkRestore"], b: SessionState["bulkRestore"]): boolean {
  const normalize = (bulk: SessionState["bulkRestore"]) =>
    bulk === undefined
      ? undefined
      : {
          ...bulk,
          names: [
            ...new Set(
              bulk.names.map((name) => (workload.restoreSession.bulkNameKind === "url" ? normalizeSiteUrl(name) : normalizeEmail(name))),
            ),
          ].sort(),
        };
  return sameValue(normalize(a), normalize(b));
}

type Contents = "standard" | "granular" | "bulk";

/** What a program's session restores: listed artifacts, item-level artifacts, or a bulk restore. */
function contentsOf(workload: Workload, news: Record<string, unknown>): Contents {
  if (news.bulkRestore !== undefined && news.bulkRestore !== null) return "bulk";
  const granularKey = workload.restoreSession.granularArtifacts;
  return granularKey !== undefined && news[granularKey] !== undefined && news[granularKey] !== null ? "granular" : "standard";
}

function storedContents(state: SessionState): Contents {
  return state.bulkRestore !== undefined ? "bulk" : state.granularArtifacts.length > 0 ? "granular" : "standard";
}

function sameRequests(stored: readonly ArtifactRequest[], wanted: unknown): boolean {
  if (!Array.isArray(wanted)) return false;
  const a = new Set(stored.map(requestKey));
  const b = new Set((wanted as (ArtifactInput | GranularArtifactInput)[]).map((w) => requestKey(w)));
  return a.size === b.size && [...a].every((key) => b.has(key));
}

/**
 * What identifies an entry for diff: the restore point id, or the object with its point in time,
 * preference and tag (and, for item-level restores, the query). The same request stays the same
 * entry whatever restore point it resolved to.
 */
export function requestKey(a: Partial<ArtifactRequest> & { pointInTime?: string }): string {
  const query = a.query === undefined ? "" : `|${canonical(a.query)}`;
  const named =
    a.siteWebUrl !== undefined
      ? `url:${normalizeSiteUrl(a.siteWebUrl)}`
      : a.email !== undefined
        ? `email:${normalizeEmail(a.email)}`
        : a.siteId !== undefined
          ? `siteId:${a.siteId.toLowerCase()}`
          : a.directoryObjectId !== undefined
            ? `directoryObjectId:${a.directoryObjectId.toLowerCase()}`
            : undefined;
  if (named === undefined) return `restorePoint:${a.restorePointId ?? ""}${query}`;
  const when = a.pointInTime ?? a.requestedPointInTime ?? "";
  const instant = when === "" ? "" : new Date(Date.parse(when)).toISOString();
  return `${named}|${instant}|${a.restorePointPreference ?? DEFAULT_RESTORE_POINT_PREFERENCE}|${a.fastRestoreOnly === true}${query}`;
}

/** Equal as stored: absent and null are the same, objects compare by content (the engine sorts keys). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
  return `{${entries
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(",")}}`;
}

/** A state's artifacts that the program asked for (not those added outside Pulumi). */
export function requestedArtifacts(state: SessionState): ArtifactState[] {
  return state.artifacts.filter((a) => a.outOfBand !== true);
}
