/**
 * What the lookup functions share within one program run: the settings (`m365-backup:*` stack
 * config, then the environment, exactly as the resources' provider reads them), one Graph client
 * and the answers so far.
 *
 * Nothing heavy loads until the first call: the Graph client, its SDK, `@azure/identity` and zod
 * are required inside `lookup`, so a program that only declares resources never loads them.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigurationError, resolveSettings, type Settings } from "../config";
import type { GraphClient } from "../graph";
import type * as Lookups from "./lookups";

/** One program run's client and answers. */
interface Run {
  /** The settings the client was built with. */
  settingsKey: string;
  graph: GraphClient;
  /** In-flight or settled answers by function and arguments; a failed answer is forgotten. */
  answers: Map<string, Promise<unknown>>;
}

/**
 * A program run is one resource monitor: the CLI runs the program once per command, while the
 * Automation API and test harnesses run several in one process, each with a monitor of its own.
 * Calls outside any program (a script) share one run per process.
 */
const runs = new WeakMap<object, Run>();
const OUTSIDE_A_PROGRAM = {};

/** The stack config as the provider's `configure` sees it: fully qualified `m365-backup:<key>` keys. */
const stackConfig = { get: (key: string) => pulumi.runtime.getConfig(key) };

/**
 * Answers `fn(args)` once per program run: the first call asks Graph through `ask`, later calls
 * with equal arguments get the same answer. Settings errors name the config key.
 */
export function lookup<T>(fn: string, args: unknown, ask: (graph: GraphClient, lookups: typeof Lookups) => Promise<T>): Promise<T> {
  let run: Run;
  try {
    run = currentRun();
  } catch (error) {
    return Promise.reject(error instanceof ConfigurationError ? new ConfigurationError(error.key, `${fn}: ${error.message}`) : error);
  }
  const key = `${fn} ${canonicalJson(args)}`;
  const known = run.answers.get(key);
  if (known !== undefined) return known as Promise<T>;
  const answer = ask(run.graph, require("./lookups") as typeof Lookups);
  run.answers.set(key, answer);
  answer.catch(() => run.answers.delete(key));
  return answer;
}

function currentRun(): Run {
  const settings = resolveSettings(stackConfig);
  const settingsKey = JSON.stringify(settings);
  const owner = (pulumi.runtime.getMonitor() as object | undefined) ?? OUTSIDE_A_PROGRAM;
  const existing = runs.get(owner);
  if (existing !== undefined && existing.settingsKey === settingsKey) return existing;
  const run: Run = { settingsKey, graph: createClient(settings), answers: new Map() };
  runs.set(owner, run);
  return run;
}

function createClient(settings: Settings): GraphClient {
  const { createGraphClient } = require("../graph") as typeof import("../graph");
  // Retries always show, every request only with m365-backup:debug, as in the provider.
  return createGraphClient(settings, {
    log: (line) => void pulumi.log.info(`[m365-backup] ${line}`),
    logRequests: settings.debug === true,
  });
}

/** JSON with object keys sorted and undefined members dropped, so equal arguments give equal keys. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
