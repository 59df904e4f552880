/** The dynamic provider of one workload's restore sessions: check and diff (pure), and the Graph lifecycle. */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { restoreSessionInputRules } from "../../schemas/inputs/restore-session";
import type { Workload } from "../../workloads";
import * as host from "../host";
import * as lifecycle from "./lifecycle";
import * as plan from "./plan";

/** The provider methods the serialized provider of `workload`'s restore sessions calls. */
export interface KindProvider {
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult>;
  diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult>;
  create(inputs: Record<string, unknown>): Promise<dynamic.CreateResult>;
  read(id: string, props?: Record<string, unknown>): Promise<dynamic.ReadResult>;
  update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
}

/** Builds the provider of one workload's restore sessions. */
export function restoreSessionProvider(workload: Workload): KindProvider {
  const rules = restoreSessionInputRules(workload);
  const context = (): lifecycle.SessionContext => ({ graph: host.graph(), workload, log: host.log, apiVersion: host.apiVersion() });
  return {
    check: async (olds, news) => host.withConfigurationCheck(plan.check(workload, olds ?? {}, news ?? {}, host.apiVersion()), news),
    diff: async (_id, olds, news) => plan.diff(workload, olds, news),
    create: (inputs) => host.writeStep(inputs, () => lifecycle.create(context(), rules.parse(inputs))),
    read: (id, props = {}) => lifecycle.read(context(), id, props),
    update: (id, olds, news) => host.writeStep(news, () => lifecycle.update(context(), id, olds, rules.parse(news))),
    delete: (id, props) => lifecycle.remove(context(), id, props),
  };
}
