/**
 * Where the provider host's CPU time goes: the bulk-sites load run once more with the host sampled
 * by V8's profiler (bench/host-profiler.js), each sample charged to what was running. Module loading
 * wins over everything (a require inside our code is loading, not our code); otherwise the innermost
 * frame that belongs to a package or to our dist decides.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../emulator";
import { runHostFleet, type FleetLoad } from "./fleet";
import { round } from "./support";

/** A V8 `.cpuprofile` as the inspector writes it (the fields used here). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where host CPU goes, by category, in ms. */
export type CpuBreakdown = Record<string, number>;

/** The categories, in the order results.md lists them. */
export const CATEGORIES = {
  loading: "loading modules (ours and our dependencies)",
  pulumi: "Pulumi host: gRPC and protobuf Struct marshalling",
  zod: "zod: parsing inputs, state and Graph answers",
  graphSdk: "Graph SDK middleware chain",
  http: "HTTP and TLS (undici, node:tls)",
  ours: "pulumi-m365-backup's own code",
  gc: "garbage collection",
  node: "Node internals and other packages",
} as const;

/** Whose each category's time is: what this package could change, and what it cannot. */
export const OWNERS: Record<string, string> = {
  [CATEGORIES.loading]: "ours: the engine and the packages it loads, in every fresh host",
  [CATEGORIES.pulumi]: "Pulumi's dynamic-provider host (grows with the state's size)",
  [CATEGORIES.zod]: "ours",
  [CATEGORIES.graphSdk]: "ours (a dependency)",
  [CATEGORIES.http]: "Node's fetch under our transport (its first use in each host included)",
  [CATEGORIES.ours]: "ours",
  [CATEGORIES.gc]: "everyone's",
  [CATEGORIES.node]: "Node and the Pulumi host",
};

/** The preload that samples the host. */
const PROFILER = "/bench/host-profiler.js";

const PULUMI_PACKAGES = /node_modules\/(google-protobuf|@grpc\/grpc-js|@pulumi\/pulumi)\//;

/** The category of one frame, or undefined when the frame says nothing (native code, Node internals). */
function frameCategory(url: string): keyof typeof CATEGORIES | undefined {
  if (PULUMI_PACKAGES.test(url)) return "pulumi";
  if (/node_modules\/zod\//.test(url)) return "zod";
  if (/node_modules\/@microsoft\/microsoft-graph-client\//.test(url)) return "graphSdk";
  if (/node:internal\/deps\/undici|^node:(_tls|tls|net|https?)|node:internal\/(tls|http)/.test(url)) return "http";
  if (/\/dist\/provider\//.test(url)) return "ours";
  if (/node_modules\//.test(url)) return "node";
  return undefined;
}

/** Milliseconds per category of the samples in `profile` (idle time left out). */
export function categorize(profile: CpuProfile): CpuBreakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals: CpuBreakdown = {};
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(id);
    if (leaf === undefined || leaf.callFrame.functionName === "(idle)") return;
    let category: keyof typeof CATEGORIES | undefined;
    if (leaf.callFrame.functionName === "(garbage collector)") category = "gc";
    else {
      const stack: string[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!.callFrame.url);
      // Starting the profiler is sampled too; it is the benchmark's, not the host's.
      if (stack.some((url) => url.endsWith(PROFILER))) return;
      category = stack.some((url) => url.includes("internal/modules/cjs/loader"))
        ? "loading"
        : (stack.map(frameCategory).find((c) => c !== undefined) ?? "node");
    }
    const label = CATEGORIES[category];
    totals[label] = (totals[label] ?? 0) + ms;
  });
  return totals;
}

/** Adds breakdowns, and rounds them to a tenth of a ms, in the categories' order. */
export function sumBreakdowns(breakdowns: readonly CpuBreakdown[]): CpuBreakdown {
  const sum: CpuBreakdown = {};
  for (const label of Object.values(CATEGORIES)) {
    const ms = breakdowns.reduce((total, b) => total + (b[label] ?? 0), 0);
    if (ms > 0) sum[label] = round(ms, 1);
  }
  return sum;
}

/** The bulk-sites load once more with every host profiled; the host CPU of its three commands by category. */
export async function profileHostFleet(emulator: Emulator, load: FleetLoad): Promise<CpuBreakdown> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "m365-bench-profile-"));
  const preload = `--require ${path.join(__dirname, path.basename(PROFILER))}`;
  const nodeOptions = [process.env.NODE_OPTIONS, preload].filter(Boolean).join(" ");
  await runHostFleet(emulator, load, { NODE_OPTIONS: nodeOptions, M365_BENCH_PROFILE_DIR: directory });
  const profiles = fs
    .readdirSync(directory)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(directory, f), "utf8")) as CpuProfile);
  if (profiles.length === 0) throw new Error("the profiled hosts wrote no profile");
  return sumBreakdowns(profiles.map(categorize));
}
