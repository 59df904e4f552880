/**
 * The fleet at the Graph-client level, for the retry comparison: the provider has no setting for
 * its retry count, so this child process makes, through the Graph client with a chosen retry
 * policy, the requests the host makes for create (draft), read and delete, `parallel` operations
 * at a time. It runs in
 * its own process so `NODE_EXTRA_CA_CERTS` can trust the emulator. Input: a `ClientFleetJob` as
 * JSON on stdin; output: one JSON line (`ClientFleetOutcome`).
 */
import { SHAREPOINT } from "../provider/workloads";
import pLimit from "p-limit";
import { resolveSettings } from "../provider/config";
import { createGraphClient, MAX_DELTA_ITEMS_PER_PATCH, type ArtifactSpec, type GraphClient, type RetryPolicy } from "../provider/graph";

/** What the parent asks for. */
export interface ClientFleetJob {
  graphEndpoint: string;
  accessToken: string;
  /** One list of restore point ids per session. */
  sessions: string[][];
  parallel: number;
  retry: Partial<RetryPolicy>;
}

/** What the child reports. */
export interface ClientFleetOutcome {
  /** Seconds each phase took: create, read, delete. */
  phaseSeconds: number[];
  failed: number;
  /** The first few distinct failure messages. */
  failures: string[];
}

function graphClient(job: ClientFleetJob): GraphClient {
  const config: Record<string, string> = { "m365-backup:graphEndpoint": job.graphEndpoint, "m365-backup:accessToken": job.accessToken };
  return createGraphClient(resolveSettings({ get: (key) => config[key] }, {}), { retry: job.retry, logRequests: false });
}

/** A draft session of these sites, as the provider creates it: the first 50 in the POST, then PATCHes of 50. */
async function createDraft(graph: GraphClient, restorePointIds: string[]): Promise<string> {
  const specs: ArtifactSpec[] = restorePointIds.map((restorePointId) => ({ restorePointId, destinationType: "new" }));
  const session = await graph.createSession(SHAREPOINT, { artifacts: specs.slice(0, MAX_DELTA_ITEMS_PER_PATCH) });
  for (let i = MAX_DELTA_ITEMS_PER_PATCH; i < specs.length; i += MAX_DELTA_ITEMS_PER_PATCH) {
    await graph.patchArtifacts(
      SHAREPOINT,
      session.id,
      specs.slice(i, i + MAX_DELTA_ITEMS_PER_PATCH).map((add) => ({ add })),
    );
  }
  return session.id;
}

/** A refresh: the session, then its artifacts. */
async function readSession(graph: GraphClient, id: string): Promise<void> {
  await graph.getSession(id);
  await graph.listArtifacts(SHAREPOINT, id);
}

async function runFleet(job: ClientFleetJob): Promise<ClientFleetOutcome> {
  const graph = graphClient(job);
  const limit = pLimit(job.parallel);
  const failures = new Set<string>();
  let failed = 0;
  const phaseSeconds: number[] = [];
  const phase = async <T, R>(items: T[], operation: (item: T) => Promise<R>): Promise<(R | undefined)[]> => {
    const started = Date.now();
    const results = await Promise.all(
      items.map((item) =>
        limit(() =>
          operation(item).catch((error: unknown) => {
            failed++;
            failures.add(error instanceof Error ? error.message : String(error));
            return undefined;
          }),
        ),
      ),
    );
    phaseSeconds.push((Date.now() - started) / 1000);
    return results;
  };

  const created = await phase(job.sessions, (ids) => createDraft(graph, ids));
  const live = created.filter((id): id is string => id !== undefined);
  await phase(live, (id) => readSession(graph, id));
  await phase(live, (id) => graph.deleteSession(id));
  return { phaseSeconds, failed, failures: [...failures].slice(0, 3) };
}

async function readJob(): Promise<ClientFleetJob> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as ClientFleetJob;
}

readJob()
  .then(runFleet)
  .then(
    (outcome) => process.stdout.write(JSON.stringify(outcome) + "\n"),
    (error: unknown) => {
      process.stderr.write(`client fleet failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
