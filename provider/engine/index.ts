/**
 * The engine side, loaded inside the dynamic-provider host by the serialized providers
 * (`require("pulumi-m365-backup/engine")`). One provider per resource kind, each loaded on its
 * first call, all sharing the host's settings and Graph client (see host.ts).
 *
 * The top-level `check` ... `remove` are SharePoint restore sessions: the serialized provider of
 * 0.1.0 calls them, and state written by it must keep loading.
 */
import type { KindProvider } from "./restore-session/provider";

export { configure } from "./host";
export type { KindProvider };

/** A provider built on its first call, so a stack loads only the kinds it uses. */
function lazy(build: () => KindProvider): KindProvider {
  let built: KindProvider | undefined;
  const get = () => (built ??= build());
  return {
    check: (...a) => get().check(...a),
    diff: (...a) => get().diff(...a),
    create: (...a) => get().create(...a),
    read: (...a) => get().read(...a),
    update: (...a) => get().update(...a),
    delete: (...a) => get().delete(...a),
  };
}

function restoreSessions(name: "sharePoint" | "oneDrive" | "exchange"): KindProvider {
  return lazy(() => {
    const { restoreSessionProvider } = require("./restore-session/provider") as typeof import("./restore-session/provider");
    const { workload } = require("../workloads") as typeof import("../workloads");
    return restoreSessionProvider(workload(name));
  });
}

/** SharePoint restore sessions. */
export const sharePoint = restoreSessions("sharePoint");
/** OneDrive restore sessions. */
export const oneDrive = restoreSessions("oneDrive");
/** Exchange restore sessions. */
export const exchange = restoreSessions("exchange");

function protectionPolicies(name: "sharePoint" | "oneDrive" | "exchange"): KindProvider {
  return lazy(() => {
    const { protectionPolicyProvider } = require("./protection-policy/provider") as typeof import("./protection-policy/provider");
    const { workload } = require("../workloads") as typeof import("../workloads");
    return protectionPolicyProvider(workload(name));
  });
}

/**
 * SharePoint protection policies. The policy kinds are named by what they protect (site, drive,
 * mailbox), so that each serialized provider stays under 2 KiB (decision 0018).
 */
export const sitePolicy = protectionPolicies("sharePoint");
/** OneDrive protection policies. */
export const drivePolicy = protectionPolicies("oneDrive");
/** Exchange protection policies. */
export const mailboxPolicy = protectionPolicies("exchange");

/** SharePoint restore sessions, as the serialized provider of 0.1.0 calls them. */
export const { check, diff, create, read, update } = sharePoint;
export const remove = sharePoint.delete;
