/** The dynamic provider of one workload's protection policies: check and diff (pure), and the Graph lifecycle. */
import { protectionPolicyInputRules } from "../../schemas/inputs/protection-policy";
import type { Workload } from "../../workloads";
import * as host from "../host";
import type { KindProvider } from "../restore-session/provider";
import * as lifecycle from "./lifecycle";
import * as plan from "./plan";

/** Builds the provider of one workload's protection policies. */
export function protectionPolicyProvider(workload: Workload): KindProvider {
  const rules = protectionPolicyInputRules(workload);
  const context = (): lifecycle.PolicyContext => ({ graph: host.graph(), workload, log: host.log });
  return {
    check: async (_olds, news) => host.withConfigurationCheck(plan.check(workload, news ?? {}), news),
    diff: async (_id, olds, news) => {
      const { result, notes } = plan.diff(workload, olds, news);
      // The preview shows what the provider prints: removals the program implies are said out loud.
      for (const note of notes) host.log(`preview: ${note}`);
      return result;
    },
    create: (inputs) => host.writeStep(inputs, () => lifecycle.create(context(), rules.parse(inputs))),
    read: (id, props = {}) => lifecycle.read(context(), id, props),
    update: (id, olds, news) => host.writeStep(news, () => lifecycle.update(context(), id, olds, rules.parse(news))),
    delete: (id, props) => lifecycle.remove(context(), id, props),
  };
}
