/**
 * create, read, update and delete: the half of the provider that talks to Graph.
 *
 * Each function takes the Graph client it should use, so tests can hand in one wired to a fake
 * transport; the serialized provider hands in the host's shared client.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ArtifactDelta, ArtifactSpec, GraphClient } from "../graph";
import { isGraphRequestError } from "../graph";
import type { GraphSession } from "../schemas/graph";
import type { SessionInputs } from "../schemas/inputs";
import { SessionPartiallyCreatedError } from "./partial-failure";
import {
  artifactState,
  artifactsInInputOrder,
  compact,
  isDraft,
  readState,
  stateFrom,
  type ArtifactState,
  type SessionState,
} from "./state";

/** Graph accepts at most this many artifacts in one create or PATCH request. */
export const ARTIFACTS_PER_REQUEST = 50;

/** Where lifecycle code reports what it does; the host shows stderr in `pulumi up`. */
export type Log = (line: string) => void;

/** Creates the session (first 50 artifacts), adds the rest in PATCH chunks, then activates if asked. */
export async function create(graph: GraphClient, inputs: SessionInputs, log: Log): Promise<dynamic.CreateResult> {
  const specs = inputs.siteRestoreArtifacts.map((a) => spec(a.restorePointId, inputs.destinationType));
  let session = await graph.createSession(specs.slice(0, ARTIFACTS_PER_REQUEST));
  let artifacts: ArtifactState[] = inputs.siteRestoreArtifacts.map((a) => ({ restorePointId: a.restorePointId }));
  const outs = () => compact(stateFrom(inputs, session, artifacts));

  let step = "adding artifacts";
  try {
    for (const chunk of chunks(specs.slice(ARTIFACTS_PER_REQUEST), ARTIFACTS_PER_REQUEST)) {
      await graph.patchArtifacts(session.id, chunk.map((add) => ({ add })));
    }
    if (inputs.activate) {
      step = "activation";
      session = await graph.activateSession(session.id);
      log(`restore session ${session.id} activated (status ${session.status})`);
    }
  } catch (cause) {
    throw new SessionPartiallyCreatedError(session.id, outs(), step, cause);
  }
  return { id: session.id, outs: outs() };
}

/**
 * Reads the session and its artifacts. A missing draft is gone; a missing activated session (the
 * service purges sessions a year after they end) stays in state, flagged, and is never re-created.
 */
export async function read(graph: GraphClient, id: string, props: Record<string, unknown>, log: Log): Promise<dynamic.ReadResult> {
  const previous = readState(props);
  const session = await graph.getSession(id);
  if (!session) {
    if (isDraft(previous)) return {};
    const missingSince = previous.missingSince ?? new Date().toISOString();
    log(
      `warning: restore session ${id} (last status ${previous.status}) no longer exists in Microsoft Graph; ` +
        "the service purges sessions a year after they end. It stays in the stack state and will not be re-created; " +
        "remove it with `pulumi state delete` once it is no longer needed as a record.",
    );
    const kept = { ...previous, missingSince };
    return { id, props: compact(kept), inputs: inputsOf(kept) };
  }
  const listed = await graph.listArtifacts(id);
  const state = stateFrom(
    { ...previous, activate: previous.activate || !isDraft(session) },
    session,
    artifactsInInputOrder(previous.siteRestoreArtifacts.map((a) => a.restorePointId), listed),
  );
  return { id, props: compact(state), inputs: inputsOf(state) };
}

/** Brings a draft's artifacts in line with the inputs (PATCH deltas of 50), then activates if asked. */
export async function update(
  graph: GraphClient,
  id: string,
  olds: Record<string, unknown>,
  inputs: SessionInputs,
  log: Log,
): Promise<dynamic.UpdateResult> {
  const previous = readState(olds);
  const listed = await graph.listArtifacts(id);
  const wanted = new Set(inputs.siteRestoreArtifacts.map((a) => a.restorePointId));
  const present = new Set(listed.map((a) => a.restorePoint?.id));
  const delta: ArtifactDelta[] = [
    ...listed.filter((a) => !wanted.has(a.restorePoint?.id ?? "")).map((a) => ({ remove: a.id })),
    ...inputs.siteRestoreArtifacts
      .filter((a) => !present.has(a.restorePointId))
      .map((a) => ({ add: spec(a.restorePointId, inputs.destinationType) })),
  ];

  // Artifact details known so far: the listed sites that stay, then the ids Graph gives new ones.
  const known = new Map(
    listed.filter((a) => wanted.has(a.restorePoint?.id ?? "")).map((a) => [a.restorePoint!.id, artifactState(a, a.restorePoint!.id)]),
  );
  const artifacts = () => inputs.siteRestoreArtifacts.map((a) => known.get(a.restorePointId) ?? { restorePointId: a.restorePointId });

  let session: GraphSession | undefined;
  let step = "updating artifacts";
  const outs = () => compact(session ? stateFrom(inputs, session, artifacts()) : { ...previous, siteRestoreArtifacts: artifacts() });
  try {
    for (const chunk of chunks(delta, ARTIFACTS_PER_REQUEST)) {
      for (const added of await graph.patchArtifacts(id, chunk)) {
        const rp = added.restorePoint?.id;
        if (added.id && rp) known.set(rp, { restorePointId: rp, id: added.id, status: added.status });
      }
    }
    if (delta.length > 0) log(`restore session ${id}: ${countOf(delta, "add")} site(s) added, ${countOf(delta, "remove")} removed`);
    step = inputs.activate ? "activation" : "reading the session back";
    session = inputs.activate ? await graph.activateSession(id) : await graph.getSession(id);
    if (inputs.activate) log(`restore session ${id} activated (status ${session?.status})`);
  } catch (cause) {
    throw new SessionPartiallyCreatedError(id, outs(), step, cause);
  }
  return { outs: outs() };
}

/**
 * Deletes a draft. Graph cannot delete an activated session, so those are only forgotten, with a
 * warning that says why.
 */
export async function remove(graph: GraphClient, id: string, props: Record<string, unknown>, log: Log): Promise<void> {
  const state = readState(props);
  if (isDraft(state)) {
    try {
      await graph.deleteSession(id);
      return;
    } catch (error) {
      // Activated outside Pulumi since the last refresh: Graph now refuses, like any activated session.
      if (!(isGraphRequestError(error) && error.code === "RestoreSessionActionNotAllowed")) throw error;
    }
  }
  log(
    `warning: restore session ${id} was activated (status ${state.status === "draft" ? "no longer draft" : state.status}); ` +
      "Microsoft Graph does not allow deleting activated restore sessions, so it is only removed from the stack state. " +
      "The service purges it one year after it ends.",
  );
}

/** The inputs that describe a stored session, returned by read so refresh shows drift. */
function inputsOf(state: SessionState): Record<string, unknown> {
  return {
    siteRestoreArtifacts: state.siteRestoreArtifacts.map((a) => ({ restorePointId: a.restorePointId })),
    destinationType: state.destinationType,
    activate: state.activate,
  };
}

function spec(restorePointId: string, destinationType: string): ArtifactSpec {
  return { restorePointId, destinationType: destinationType as ArtifactSpec["destinationType"] };
}

function countOf(delta: ArtifactDelta[], kind: "add" | "remove"): number {
  return delta.filter((d) => kind in d).length;
}

/** Splits a list into consecutive chunks of at most `size` items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
