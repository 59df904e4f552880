/**
 * create, read, update and delete of a restore session, for any workload: the half of the provider
 * that talks to Graph.
 *
 * A session restores one of three kinds of contents: listed artifacts (by restore point, or by a
 * protected object the provider resolves), item-level mailbox artifacts, or a bulk restore whose
 * names the service resolves. Whatever fails after the session exists keeps its id (the engine
 * keeps it in state) and the next `up` finishes the work.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ArtifactDelta, ArtifactSpec, GraphClient } from "../../graph";
import { isGraphRequestError, NO_LONGER_DRAFT } from "../../graph";
import { restorePointIdOf } from "../../graph/reconcile";
import { drillSummary } from "../../report";
import type { RestoreSessionInputs } from "../../schemas/inputs/restore-session";
import type { GraphSession } from "../../schemas/wire";
import { LIMITS, type Workload } from "../../workloads";
import { chunks } from "../../graph/chunks";
import { PartialFailureError } from "../partial-failure-error";
import { WaitTimeoutError } from "../wait-timeout-error";
import { resolveGranular } from "./granular";
import { warnAboutMonthlyTestRestores } from "./month-guard";
import { outcomeFailure } from "./outcome";
import { requestedArtifacts, requestKey } from "./plan";
import { assertDistinct, resolveArtifacts } from "./resolve";
import {
  artifactsInInputOrder,
  artifactState,
  bulkRequestState,
  bulkRestoreState,
  compact,
  isDraft,
  isHeld,
  readState,
  requestOf,
  sessionFields,
  settingsOf,
  storedOutputs,
  type ArtifactRequest,
  type ArtifactState,
  type SessionState,
} from "./state";
import { activateWithinBudget, isTerminal, planWait, realClock, waitUntilTerminal, type Clock, type Log, type WaitPlan } from "./wait";

export type { Log } from "./wait";

/** What every operation works with: the Graph client, the workload, where to log, and the clock. */
export interface SessionContext {
  graph: GraphClient;
  workload: Workload;
  log: Log;
  clock?: Clock;
  /** The Graph version the client speaks; item-level queries differ between v1.0 and beta. */
  apiVersion?: "v1.0" | "beta";
}

const WAIT_ADVICE = "the next `pulumi up` (with waitForCompletion) or `pulumi refresh` picks it up where it is";
const OUTCOME_ADVICE = "it is the drill's record; change drillId to run the drill again";

/**
 * Creates the session: resolves named objects to restore points (before anything exists), creates
 * the session with its first 50 artifacts (or empty, for a bulk restore), adds the rest (PATCH
 * chunks of 50, or the one bulk request), then activates and waits if asked.
 */
export async function create(context: SessionContext, inputs: RestoreSessionInputs): Promise<dynamic.CreateResult> {
  const { graph, workload } = context;
  const clock = context.clock ?? realClock;
  const now = () => new Date(clock.now());

  if (inputs.bulkRestore !== undefined) {
    const run = new RestoreRun(context, inputs, []);
    run.session = await graph.createSession(workload, { empty: true });
    const id = run.session.id;
    await run.step(id, "adding the bulk request", () => run.postBulkRequest(id));
    if (inputs.activate) await run.activateAndWait(id);
    return { id, outs: run.outputs(id) };
  }

  if (inputs.granularArtifacts.length > 0) {
    const { requests, units } = await resolveGranular(graph, workload, inputs.granularArtifacts, context.apiVersion ?? "v1.0", now);
    assertDistinct(workload, requests);
    if (inputs.drillId !== undefined) await warnAboutMonthlyTestRestores(graph, workload, units, now(), context.log);
    const run = new RestoreRun(
      context,
      inputs,
      [],
      requests.map(({ searchResponseId: _search, ...request }) => request),
    );
    run.session = await graph.createSession(workload, {
      granularArtifacts: requests.map((r) => ({ ...spec(r.restorePointId, inputs.destinationType), searchResponseId: r.searchResponseId })),
    });
    run.markHeld(
      run.granular.map((a) => a.restorePointId),
      "granular",
    );
    if (inputs.activate) await run.activateAndWait(run.session.id);
    return { id: run.session.id, outs: run.outputs(run.session.id) };
  }

  const { requests, units } = await resolveArtifacts(graph, workload, inputs.artifacts, now);
  // A drill is a test restore; Microsoft's guidance limits those per object and month.
  if (inputs.drillId !== undefined) await warnAboutMonthlyTestRestores(graph, workload, units, now(), context.log);
  const specs = requests.map((r) => spec(r.restorePointId, inputs.destinationType));
  const run = new RestoreRun(context, inputs, requests);
  const first = specs.slice(0, LIMITS.artifactsPerRequest);
  run.session = await graph.createSession(workload, { artifacts: first });
  const id = run.session.id;
  run.markHeld(
    first.map((s) => s.restorePointId),
    "standard",
  );
  await run.step(id, "adding artifacts", async () => {
    for (const chunk of chunks(specs.slice(LIMITS.artifactsPerRequest), LIMITS.artifactsPerRequest)) {
      run.learn(
        await graph.patchArtifacts(
          workload,
          id,
          chunk.map((add) => ({ add })),
        ),
      );
      run.markHeld(
        chunk.map((add) => add.restorePointId),
        "standard",
      );
    }
  });
  if (inputs.activate) await run.activateAndWait(id);
  return { id, outs: run.outputs(id) };
}

/**
 * Reads the session and what it restores. A missing draft is gone; a missing activated session
 * (the service purges sessions a year after they end) stays in state, flagged, and is never re-created.
 */
export async function read(context: SessionContext, id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult> {
  const { graph, workload, log } = context;
  const previous = readState(workload, props);
  const session = await graph.getSession(id);
  if (!session) {
    if (isDraft(previous)) return {};
    const missingSince = previous.missingSince ?? new Date((context.clock ?? realClock).now()).toISOString();
    log(
      `warning: restore session ${id} (last status ${previous.status}) no longer exists in Microsoft Graph; ` +
        "the service purges sessions a year after they end. It stays in the stack state and will not be re-created; " +
        "remove it with `pulumi state delete` once it is no longer needed as a record.",
    );
    const kept = { ...previous, missingSince };
    return { id, props: outputsOf(workload, id, kept), inputs: inputsOf(workload, kept) };
  }
  const state: SessionState = {
    ...previous,
    ...sessionFields(session),
    // What Graph holds: a draft was not activated, whatever was asked (a failed activation, say).
    activate: !isDraft(session),
    missingSince: undefined,
  };
  if (previous.granularArtifacts.length > 0) {
    state.granularArtifacts = artifactsInInputOrder(
      previous.granularArtifacts.map(requestOf),
      await graph.listArtifacts(workload, id, { granular: true }),
    );
  } else if (previous.bulkRestore !== undefined) {
    const [listed, requests] = await Promise.all([graph.listArtifacts(workload, id), graph.listBulkRequests(workload, id)]);
    // The service adds a bulk restore's artifacts itself: none of them is "out of band".
    state.artifacts = listed.map((a) => artifactState(a, { restorePointId: restorePointIdOf(a) }));
    state.bulkRequest = requests[0] === undefined ? undefined : bulkRequestState(requests[0]);
  } else {
    state.artifacts = artifactsInInputOrder(requestedArtifacts(previous), await graph.listArtifacts(workload, id));
  }
  return { id, props: outputsOf(workload, id, state), inputs: inputsOf(workload, state) };
}

/**
 * A draft: brings it in line with the inputs (new named objects resolved first, then PATCH deltas
 * of 50, or the bulk request that is still missing), then activates if asked. An activated session
 * takes no Graph write: its update only stores new settings and, when asked, waits for the end.
 */
export async function update(
  context: SessionContext,
  id: string,
  olds: Record<string, unknown>,
  inputs: RestoreSessionInputs,
): Promise<dynamic.UpdateResult> {
  const { graph, workload, log } = context;
  const clock = context.clock ?? realClock;
  const previous = readState(workload, olds);
  if (!isDraft(previous)) return { outs: await waitOnly(context, id, previous, inputs) };

  if (previous.bulkRestore !== undefined || previous.granularArtifacts.length > 0) {
    const run = new RestoreRun(context, inputs, previous.artifacts, previous.granularArtifacts, previous);
    run.bulkRequest = previous.bulkRequest;
    if (previous.bulkRestore !== undefined && previous.bulkRequest === undefined) {
      await run.step(id, "adding the bulk request", () => run.postBulkRequest(id));
    }
    if (inputs.activate) await run.activateAndWait(id);
    else await run.step(id, "reading the session back", async () => (run.session = await graph.getSession(id)));
    return { outs: run.outputs(id) };
  }

  // Entries already stored keep the restore point they resolved to; only new ones are looked up.
  const stored = new Map(requestedArtifacts(previous).map((a) => [requestKey(a), requestOf(a as ArtifactState)]));
  const fresh = inputs.artifacts.filter((entry) => !stored.has(requestKey(entry)));
  const { requests: resolved } = await resolveArtifacts(graph, workload, fresh, () => new Date(clock.now()));
  const requests = inputs.artifacts.map((entry) => stored.get(requestKey(entry)) ?? resolved.shift()!);
  assertDistinct(workload, requests);

  const listed = await graph.listArtifacts(workload, id);
  const wanted = new Set(requests.map((r) => r.restorePointId));
  const present = new Set(listed.map(restorePointIdOf));
  const delta: ArtifactDelta[] = [
    ...listed.filter((a) => !wanted.has(restorePointIdOf(a))).map((a) => ({ remove: a.id })),
    ...requests.filter((r) => !present.has(r.restorePointId)).map((r) => ({ add: spec(r.restorePointId, inputs.destinationType) })),
  ];

  const run = new RestoreRun(
    context,
    inputs,
    artifactsInInputOrder(
      requests,
      listed.filter((a) => wanted.has(restorePointIdOf(a))),
    ),
    [],
    previous,
  );
  await run.step(id, "updating artifacts", async () => {
    for (const chunk of chunks(delta, LIMITS.artifactsPerRequest)) {
      run.learn(await graph.patchArtifacts(workload, id, chunk));
      // A 200 without per-item failures added every artifact it carried, echoed or not.
      run.markHeld(
        chunk.flatMap((item) => ("add" in item ? [item.add.restorePointId] : [])),
        "standard",
      );
    }
    if (delta.length > 0)
      log(`restore session ${id}: ${counted(countOf(delta, "add"), workload)} added, ${countOf(delta, "remove")} removed`);
    if (!inputs.activate) run.session = await graph.getSession(id);
  });
  if (inputs.activate) await run.activateAndWait(id);
  return { outs: run.outputs(id) };
}

/** The update of an activated session: new settings, and a wait if one is asked for and useful. */
async function waitOnly(context: SessionContext, id: string, previous: SessionState, inputs: RestoreSessionInputs) {
  const settled: SessionState = { ...previous, ...settingsOf(inputs) };
  const plan = planWait(inputs.waitForCompletion, context.clock ?? realClock);
  if (!plan.wait || isTerminal(previous.status) || previous.missingSince !== undefined) return outputsOf(context.workload, id, settled);
  const run = new RestoreRun(context, inputs, previous.artifacts, previous.granularArtifacts, settled);
  run.bulkRequest = previous.bulkRequest;
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
  artifacts: ArtifactState[];
  granular: ArtifactState[];
  bulkRequest: SessionState["bulkRequest"];
  activatedDateTime: string | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly context: SessionContext,
    private readonly inputs: RestoreSessionInputs,
    artifacts: readonly ArtifactRequest[],
    granular: readonly ArtifactRequest[] = [],
    private readonly previous?: SessionState,
  ) {
    this.artifacts = artifacts.map((a) => ({ ...a }));
    this.granular = granular.map((a) => ({ ...a }));
    this.clock = context.clock ?? realClock;
    this.activatedDateTime = previous?.activatedDateTime;
  }

  /** Graph accepted these artifacts (a create answered 201): they are held, as draft artifacts are, `added`. */
  markHeld(restorePointIds: readonly string[], kind: "standard" | "granular"): void {
    const accepted = new Set(restorePointIds);
    const list = kind === "granular" ? this.granular : this.artifacts;
    for (const artifact of list) if (accepted.has(artifact.restorePointId)) artifact.status ??= "added";
  }

  /** Records the status a delta PATCH echoed back for each artifact it added. */
  learn(results: readonly { status?: string; restorePoint?: { id?: string } }[]): void {
    const byRestorePoint = new Map(this.artifacts.map((a) => [a.restorePointId, a]));
    for (const result of results) {
      const known = result.restorePoint?.id === undefined ? undefined : byRestorePoint.get(result.restorePoint.id);
      if (known) known.status = result.status ?? known.status ?? "added";
    }
  }

  state(): SessionState {
    const base: SessionState = this.previous ?? readState(this.context.workload, {});
    const state: SessionState = {
      ...base,
      ...settingsOf(this.inputs),
      artifacts: this.artifacts,
      granularArtifacts: this.granular,
      bulkRestore: bulkRestoreState(this.context.workload, this.inputs.bulkRestore) ?? base.bulkRestore,
      bulkRequest: this.bulkRequest,
      activatedDateTime: this.activatedDateTime ?? base.activatedDateTime,
    };
    return this.session ? { ...state, ...sessionFields(this.session), missingSince: undefined } : state;
  }

  outputs(id: string): Record<string, unknown> {
    return outputsOf(this.context.workload, id, this.state());
  }

  /**
   * Runs a step that follows the create; a failure keeps the session (with what is known) in state.
   * Refused because the session is no longer a draft (activated since the state last saw it, by an
   * attempt whose answer was lost), it keeps the session as it is now: the next diff replaces it.
   */
  async step<T>(id: string, what: string, action: () => Promise<T>, advice?: string): Promise<T> {
    try {
      return await action();
    } catch (cause) {
      if (isGraphRequestError(cause) && cause.code === NO_LONGER_DRAFT) {
        this.session = (await this.context.graph.getSession(id).catch(() => undefined)) ?? this.session;
        this.artifacts = this.artifacts.filter(isHeld);
      }
      throw new PartialFailureError(id, this.outputs(id), `restore session ${id}`, what, cause, advice);
    }
  }

  /** Posts the session's one bulk request with what the program asked for. */
  async postBulkRequest(id: string): Promise<void> {
    const { workload, graph } = this.context;
    const bulk = this.inputs.bulkRestore!;
    const request = await graph.createBulkRequest(workload, id, {
      displayName: bulk.displayName ?? `pulumi-m365-backup ${workload.title} restore`,
      destinationType: this.inputs.destinationType,
      names: bulk[workload.restoreSession.bulkNames] ?? [],
      protectionTimePeriod: bulk.protectionTimePeriod,
      restorePointPreference: bulk.restorePointPreference,
      fastRestoreOnly: bulk.fastRestoreOnly,
    });
    this.bulkRequest = bulkRequestState(request);
  }

  /** Activates (waiting out TooManyActiveRestoreSessions), then waits for the end if asked. */
  async activateAndWait(id: string): Promise<void> {
    const plan = planWait(this.inputs.waitForCompletion, this.clock);
    this.session = await this.step(id, "activation", () =>
      activateWithinBudget(this.context.graph, id, plan, this.clock, this.context.log),
    );
    // Graph keeps no activation time; the activate answer's lastModifiedDateTime is the service's
    // own clock at activation, comparable with completedDateTime (the local clock may differ).
    this.activatedDateTime = this.session.lastModifiedDateTime ?? new Date(this.clock.now()).toISOString();
    this.context.log(`restore session ${id} activated (status ${this.session.status})`);
    if (plan.wait) await this.wait(id, plan, this.session);
  }

  /** Polls until the restore ends, reads the outcome per item, and applies failOn. */
  async wait(id: string, plan: WaitPlan, first?: GraphSession): Promise<void> {
    const { graph, workload, log } = this.context;
    try {
      this.session = await waitUntilTerminal(graph, id, plan, this.clock, log, first);
      await this.readOutcome(id);
    } catch (cause) {
      if (cause instanceof WaitTimeoutError) this.session = cause.lastSession;
      throw new PartialFailureError(id, this.outputs(id), `restore session ${id}`, "waiting for completion", cause, WAIT_ADVICE);
    }
    const failure = outcomeFailure(workload, this.state(), this.inputs.failOn);
    if (failure)
      throw new PartialFailureError(id, this.outputs(id), `restore session ${id}`, "the drill", new Error(failure), OUTCOME_ADVICE);
  }

  /** Lists what the finished session restored (and, for a bulk restore, how its request ended). */
  private async readOutcome(id: string): Promise<void> {
    const { graph, workload } = this.context;
    if (this.granular.length > 0) {
      this.granular = artifactsInInputOrder(this.granular.map(requestOf), await graph.listArtifacts(workload, id, { granular: true }));
    } else if (this.inputs.bulkRestore !== undefined) {
      const [listed, requests] = await Promise.all([graph.listArtifacts(workload, id), graph.listBulkRequests(workload, id)]);
      this.artifacts = listed.map((a) => artifactState(a, { restorePointId: restorePointIdOf(a) }));
      if (requests[0] !== undefined) this.bulkRequest = bulkRequestState(requests[0]);
    } else {
      this.artifacts = artifactsInInputOrder(
        this.artifacts.filter((a) => a.outOfBand !== true).map(requestOf),
        await graph.listArtifacts(workload, id),
      );
    }
  }
}

/**
 * Deletes a draft. Graph cannot delete an activated session, so those are only forgotten, with a
 * warning that says why. A finished bulk request is deleted first where Graph allows it.
 */
export async function remove(context: SessionContext, id: string, props: Record<string, unknown>): Promise<void> {
  const { graph, workload, log } = context;
  const state = readState(workload, props);
  const request = state.bulkRequest;
  if (request !== undefined && (request.status === "completed" || request.status === "completedWithErrors")) {
    await graph.deleteBulkRequest(workload, id, request.id).catch((error: unknown) => {
      if (!(isGraphRequestError(error) && (error.status === 403 || error.status === 404))) throw error;
    });
  }
  if (isDraft(state)) {
    try {
      await graph.deleteSession(id);
      return;
    } catch (error) {
      // Activated outside Pulumi since the last refresh: Graph now refuses, like any activated session.
      if (!(isGraphRequestError(error) && error.code === NO_LONGER_DRAFT)) throw error;
    }
  }
  log(
    `warning: restore session ${id} was activated (status ${state.status === "draft" ? "no longer draft" : state.status}); ` +
      "Microsoft Graph does not allow deleting activated restore sessions, so it is only removed from the stack state. " +
      "The service purges it one year after it ends.",
  );
}

/** The outputs: the state under the workload's names, plus the drill report's summary computed from it. */
export function outputsOf(workload: Workload, id: string, state: SessionState): Record<string, unknown> {
  const drillReport = drillSummary(
    {
      sessionId: id,
      workload: workload.title,
      drillId: state.drillId,
      status: state.status,
      activatedDateTime: state.activatedDateTime,
      completedDateTime: state.completedDateTime,
      unresolvedNames: state.bulkRequest?.error,
    },
    [...state.artifacts, ...state.granularArtifacts],
  );
  return compact({ ...storedOutputs(workload, state), drillReport });
}

/** The inputs that describe a stored session, returned by read so refresh shows drift. */
function inputsOf(workload: Workload, state: SessionState): Record<string, unknown> {
  const { artifacts, granularArtifacts } = workload.restoreSession;
  const entry = (a: ArtifactState) => {
    const named = a.siteWebUrl ?? a.siteId ?? a.directoryObjectId ?? a.email;
    const base =
      named === undefined
        ? { restorePointId: a.restorePointId }
        : {
            siteWebUrl: a.siteWebUrl,
            siteId: a.siteId,
            directoryObjectId: a.directoryObjectId,
            email: a.email,
            pointInTime: a.requestedPointInTime,
            restorePointPreference: a.restorePointPreference,
            fastRestoreOnly: a.fastRestoreOnly,
          };
    return a.query === undefined ? base : { ...base, query: a.query };
  };
  const contents: Record<string, unknown> =
    state.bulkRestore !== undefined
      ? {
          bulkRestore: {
            [workload.restoreSession.bulkNames]: state.bulkRestore.names,
            protectionTimePeriod: state.bulkRestore.protectionTimePeriod,
            restorePointPreference: state.bulkRestore.restorePointPreference,
            fastRestoreOnly: state.bulkRestore.fastRestoreOnly,
            displayName: state.bulkRestore.displayName,
          },
        }
      : state.granularArtifacts.length > 0 && granularArtifacts !== undefined
        ? { [granularArtifacts]: state.granularArtifacts.map(entry) }
        : { [artifacts]: requestedArtifacts(state).map((a) => entry(a as ArtifactState)) };
  return compact({ ...contents, ...settingsOf(state) });
}

function spec(restorePointId: string, destinationType: string): ArtifactSpec {
  return { restorePointId, destinationType: destinationType as ArtifactSpec["destinationType"] };
}

/** `1 site`, `3 sites`. */
function counted(n: number, workload: Workload): string {
  return `${n} ${n === 1 ? workload.noun.one : workload.noun.many}`;
}

function countOf(delta: ArtifactDelta[], kind: "add" | "remove"): number {
  return delta.filter((d) => kind in d).length;
}
