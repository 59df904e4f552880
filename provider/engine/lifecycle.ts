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
import { chunks } from "./chunks";
import { drillReport } from "./drill-report";
import { warnAboutMonthlyTestRestores } from "./month-guard";
import { outcomeFailure } from "./outcome";
import { SessionPartiallyCreatedError } from "./partial-failure";
import { assertDistinct, resolveArtifacts } from "./resolve";
import {
  artifactsInInputOrder,
  compact,
  isDraft,
  readState,
  requestKey,
  requestOf,
  settingsOf,
  stateFrom,
  type ArtifactRequest,
  type ArtifactState,
  type SessionState,
} from "./state";
import { WaitTimeoutError } from "./wait-timeout-error";
import { activateWithinBudget, isTerminal, planWait, realClock, waitUntilTerminal, type Clock, type Log, type WaitPlan } from "./wait";

export type { Log } from "./wait";

/** Graph accepts at most this many artifacts in one create or PATCH request. */
export const ARTIFACTS_PER_REQUEST = 50;

const WAIT_ADVICE = "the next `pulumi up` (with waitForCompletion) or `pulumi refresh` picks it up where it is";
const OUTCOME_ADVICE = "it is the drill's record; change drillId to run the drill again";

/**
 * Resolves site entries to restore points (before anything is created), creates the session (first
 * 50 artifacts), adds the rest in PATCH chunks, then activates and waits if asked.
 */
export async function create(graph: GraphClient, inputs: SessionInputs, log: Log, clock: Clock = realClock): Promise<dynamic.CreateResult> {
  const { requests, sites } = await resolveArtifacts(graph, inputs.siteRestoreArtifacts, () => new Date(clock.now()));
  // A drill is a test restore; Microsoft's guidance limits those per site and month.
  if (inputs.drillId !== undefined) await warnAboutMonthlyTestRestores(graph, sites, new Date(clock.now()), log);

  const specs = requests.map((r) => spec(r.restorePointId, inputs.destinationType));
  const run = new RestoreRun(graph, inputs, requests, log, clock);
  run.session = await graph.createSession(specs.slice(0, ARTIFACTS_PER_REQUEST));
  const id = run.session.id;
  try {
    for (const chunk of chunks(specs.slice(ARTIFACTS_PER_REQUEST), ARTIFACTS_PER_REQUEST)) {
      await graph.patchArtifacts(
        id,
        chunk.map((add) => ({ add })),
      );
    }
  } catch (cause) {
    throw new SessionPartiallyCreatedError(id, run.outputs(id), "adding artifacts", cause);
  }
  if (inputs.activate) await run.activateAndWait(id);
  return { id, outs: run.outputs(id) };
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
    return { id, props: outputsOf(id, kept), inputs: inputsOf(kept) };
  }
  const listed = await graph.listArtifacts(id);
  const state = stateFrom(
    { ...settingsOf(previous), activate: previous.activate || !isDraft(session) },
    session,
    artifactsInInputOrder(previous.siteRestoreArtifacts.map(requestOf), listed),
    previous.activatedDateTime,
  );
  return { id, props: outputsOf(id, state), inputs: inputsOf(state) };
}

/**
 * A draft: brings its artifacts in line with the inputs (resolving new site entries first, then
 * PATCH deltas of 50), then activates if asked. An activated session takes no Graph write: its
 * update only stores new settings and, when asked, waits for the restore to end.
 */
export async function update(
  graph: GraphClient,
  id: string,
  olds: Record<string, unknown>,
  inputs: SessionInputs,
  log: Log,
  clock: Clock = realClock,
): Promise<dynamic.UpdateResult> {
  const previous = readState(olds);
  if (!isDraft(previous)) return { outs: await waitOnly(graph, id, previous, inputs, log, clock) };

  // Entries already stored keep the restore point they resolved to; only new ones are looked up.
  const stored = new Map(previous.siteRestoreArtifacts.map((a) => [requestKey(a), requestOf(a)]));
  const fresh = inputs.siteRestoreArtifacts.filter((entry) => !stored.has(requestKey(entry)));
  const { requests: resolved } = await resolveArtifacts(graph, fresh, () => new Date(clock.now()));
  const requests = inputs.siteRestoreArtifacts.map((entry) => stored.get(requestKey(entry)) ?? resolved.shift()!);
  assertDistinct(requests);

  const listed = await graph.listArtifacts(id);
  const wanted = new Set(requests.map((r) => r.restorePointId));
  const present = new Set(listed.map((a) => a.restorePoint?.id));
  const delta: ArtifactDelta[] = [
    ...listed.filter((a) => !wanted.has(a.restorePoint?.id ?? "")).map((a) => ({ remove: a.id })),
    ...requests.filter((r) => !present.has(r.restorePointId)).map((r) => ({ add: spec(r.restorePointId, inputs.destinationType) })),
  ];

  const run = new RestoreRun(graph, inputs, requests, log, clock, previous);
  run.known = artifactsInInputOrder(
    requests,
    listed.filter((a) => wanted.has(a.restorePoint?.id ?? "")),
  );
  let step = "updating artifacts";
  try {
    for (const chunk of chunks(delta, ARTIFACTS_PER_REQUEST)) {
      for (const added of await graph.patchArtifacts(id, chunk)) {
        const rp = added.restorePoint?.id;
        if (added.id && rp) run.learn(rp, { id: added.id, status: added.status });
      }
    }
    if (delta.length > 0) log(`restore session ${id}: ${countOf(delta, "add")} site(s) added, ${countOf(delta, "remove")} removed`);
    step = "reading the session back";
    if (!inputs.activate) run.session = await graph.getSession(id);
  } catch (cause) {
    throw new SessionPartiallyCreatedError(id, run.outputs(id), step, cause);
  }
  if (inputs.activate) await run.activateAndWait(id);
  return { outs: run.outputs(id) };
}

/** The update of an activated session: new settings, and a wait if one is asked for and useful. */
async function waitOnly(graph: GraphClient, id: string, previous: SessionState, inputs: SessionInputs, log: Log, clock: Clock) {
  const settled = { ...previous, ...settingsOf(inputs) };
  const plan = planWait(inputs.waitForCompletion, clock);
  if (!plan.wait || isTerminal(previous.status) || previous.missingSince !== undefined) return outputsOf(id, settled);
  const run = new RestoreRun(graph, inputs, previous.siteRestoreArtifacts.map(requestOf), log, clock, settled);
  run.known = previous.siteRestoreArtifacts;
  run.activatedDateTime = previous.activatedDateTime;
  await run.wait(id, plan);
  return run.outputs(id);
}

/**
 * What one create or update has learnt so far, so that whatever step fails, the error carries the
 * session's current properties and the engine keeps the session in state.
 */
class RestoreRun {
  session: GraphSession | undefined;
  known: ArtifactState[];
  activatedDateTime: string | undefined;

  constructor(
    private readonly graph: GraphClient,
    private readonly inputs: SessionInputs,
    private readonly requests: ArtifactRequest[],
    private readonly log: Log,
    private readonly clock: Clock,
    private readonly previous?: SessionState,
  ) {
    this.known = requests;
  }

  /** Records Graph's details for one restore point's artifact. */
  learn(restorePointId: string, details: Partial<ArtifactState>): void {
    const index = this.known.findIndex((a) => a.restorePointId === restorePointId);
    const request = this.requests.find((r) => r.restorePointId === restorePointId);
    if (index >= 0) this.known[index] = { ...this.known[index]!, ...details };
    else if (request) this.known = [...this.known, { ...request, ...details }];
  }

  state(): SessionState {
    const byRestorePoint = new Map(this.known.map((a) => [a.restorePointId, a]));
    const artifacts = this.requests.map((r) => byRestorePoint.get(r.restorePointId) ?? r);
    const settings = settingsOf(this.inputs);
    if (this.session) return stateFrom(settings, this.session, artifacts, this.activatedDateTime);
    return {
      ...this.previous!,
      ...settings,
      siteRestoreArtifacts: artifacts,
      activatedDateTime: this.activatedDateTime ?? this.previous!.activatedDateTime,
    };
  }

  outputs(id: string): Record<string, unknown> {
    return outputsOf(id, this.state());
  }

  /** Activates (waiting out TooManyActiveRestoreSessions), then waits for the end if asked. */
  async activateAndWait(id: string): Promise<void> {
    const plan = planWait(this.inputs.waitForCompletion, this.clock);
    try {
      this.session = await activateWithinBudget(this.graph, id, plan, this.clock, this.log);
    } catch (cause) {
      throw new SessionPartiallyCreatedError(id, this.outputs(id), "activation", cause);
    }
    // Graph keeps no activation time; the activate answer's lastModifiedDateTime is the service's
    // own clock at activation, comparable with completedDateTime (the local clock may differ).
    this.activatedDateTime = this.session.lastModifiedDateTime ?? new Date(this.clock.now()).toISOString();
    this.log(`restore session ${id} activated (status ${this.session.status})`);
    if (plan.wait) await this.wait(id, plan, this.session);
  }

  /** Polls until the restore ends, reads the sites' outcome, and applies failOn. */
  async wait(id: string, plan: WaitPlan, first?: GraphSession): Promise<void> {
    try {
      this.session = await waitUntilTerminal(this.graph, id, plan, this.clock, this.log, first);
      this.known = artifactsInInputOrder(this.requests, await this.graph.listArtifacts(id));
    } catch (cause) {
      if (cause instanceof WaitTimeoutError) this.session = cause.lastSession;
      throw new SessionPartiallyCreatedError(id, this.outputs(id), "waiting for completion", cause, WAIT_ADVICE);
    }
    const failure = outcomeFailure(this.state(), this.inputs.failOn);
    if (failure) throw new SessionPartiallyCreatedError(id, this.outputs(id), "the drill", new Error(failure), OUTCOME_ADVICE);
  }
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

/** The outputs: the state, plus the drill report computed from it. */
function outputsOf(id: string, state: SessionState): Record<string, unknown> {
  return compact({ ...state, drillReport: drillReport(id, state) });
}

/** The inputs that describe a stored session, returned by read so refresh shows drift. */
function inputsOf(state: SessionState): Record<string, unknown> {
  return compact({
    siteRestoreArtifacts: state.siteRestoreArtifacts.map((a) =>
      a.siteWebUrl !== undefined || a.siteId !== undefined
        ? {
            siteWebUrl: a.siteWebUrl,
            siteId: a.siteId,
            pointInTime: a.requestedPointInTime,
            restorePointPreference: a.restorePointPreference,
            fastRestoreOnly: a.fastRestoreOnly,
          }
        : { restorePointId: a.restorePointId },
    ),
    ...settingsOf(state),
  });
}

function spec(restorePointId: string, destinationType: string): ArtifactSpec {
  return { restorePointId, destinationType: destinationType as ArtifactSpec["destinationType"] };
}

function countOf(delta: ArtifactDelta[], kind: "add" | "remove"): number {
  return delta.filter((d) => kind in d).length;
}
