/**
 * Program side: what the three protection-policy resources share, their argument types and the
 * base class that declares their common outputs.
 *
 * It never loads the Graph client or the engine: the only thing that crosses to the engine is the
 * serialized provider each resource hands to Pulumi.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Workload } from "../workloads/workloads";
import type { IdentitySet, RetentionSetting, StatusWait } from "./outputs";
import { TypedResource } from "./type-token";

/** A SharePoint inclusion rule: a site keyword expression, as Graph documents it. */
export interface SiteInclusionRuleArgs {
  /**
   * Like `((displayName -contains 'Finance') -or (webUrl -contains 'Legal'))`, optionally
   * `-and (lastModifiedDateTime -ge '2024-02-26T11:36:20Z')`; at most 10 keywords of 3 to 255 characters.
   */
  expression: pulumi.Input<string>;
}

/** A OneDrive or mailbox inclusion rule: the members of these groups. */
export interface GroupInclusionRuleArgs {
  /** Group object ids: at most 3 for a static rule, 100 for a dynamic one. */
  groupIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Dynamic: Graph keeps the policy in step with the groups' membership (at most one dynamic rule per policy; up to 6,000 users). */
  autoApply?: pulumi.Input<boolean>;
}

/** The settings every protection policy takes besides what it protects. */
export interface ProtectionPolicySettingsArgs {
  /** The policy's name (1 to 1,024 characters); defaults to the resource's name. */
  displayName?: pulumi.Input<string>;
  /** Whether the policy protects (default true); false keeps it inactive. */
  active?: pulumi.Input<boolean>;
  /**
   * Take over the tenant's existing policy of this workload when Graph refuses a new one
   * (PolicyCreationNotAllowed: one active policy per workload). Default false.
   */
  adoptExisting?: pulumi.Input<boolean>;
  /** How long delete and a change of `active` wait while the policy is `updating` (default 60 minutes, looking every 30 s). */
  statusWait?: pulumi.Input<StatusWait>;
}

/** The outputs every protection policy has, whatever it protects. */
export interface ProtectionPolicyOutputs {
  displayName: string;
  active: boolean;
  adoptExisting: boolean;
  statusWait?: StatusWait;
  status: string;
  createdBy?: IdentitySet;
  createdDateTime?: string;
  lastModifiedBy?: IdentitySet;
  lastModifiedDateTime?: string;
  retentionSettings?: RetentionSetting[];
  adopted?: boolean;
  stateVersion: number;
}

/** Every common output named with no value, so Pulumi exposes each as a property of the resource. */
const COMMON_OUTPUTS: Record<keyof ProtectionPolicyOutputs, undefined> = {
  displayName: undefined,
  active: undefined,
  adoptExisting: undefined,
  statusWait: undefined,
  status: undefined,
  createdBy: undefined,
  createdDateTime: undefined,
  lastModifiedBy: undefined,
  lastModifiedDateTime: undefined,
  retentionSettings: undefined,
  adopted: undefined,
  stateVersion: undefined,
};

/** What a protection-policy resource declares about itself: its type and its workload's output names. */
export interface ProtectionPolicyKind {
  type: string;
  /** Units by id and by name, rules, the units Graph holds, and the bulk jobs sent. */
  outputs: readonly string[];
}

/** The base of the three protection-policy resources: their common outputs, and their type token for CrossGuard. */
export abstract class ProtectionPolicyResource extends TypedResource {
  /** The policy's name as Graph holds it. */
  declare readonly displayName: pulumi.Output<string>;
  /** Whether the program wants the policy active. */
  declare readonly active: pulumi.Output<boolean>;
  /** The adoptExisting input as stored. */
  declare readonly adoptExisting: pulumi.Output<boolean>;
  /** The statusWait input as stored. */
  declare readonly statusWait: pulumi.Output<StatusWait | undefined>;
  /** inactive, updating, active, activeWithErrors (or a value Graph adds later). */
  declare readonly status: pulumi.Output<string>;
  /** Who created the policy. */
  declare readonly createdBy: pulumi.Output<IdentitySet | undefined>;
  /** When the policy was created (ISO 8601). */
  declare readonly createdDateTime: pulumi.Output<string | undefined>;
  /** Who last changed the policy. */
  declare readonly lastModifiedBy: pulumi.Output<IdentitySet | undefined>;
  /** When the policy last changed (ISO 8601). */
  declare readonly lastModifiedDateTime: pulumi.Output<string | undefined>;
  /** How often the service backs up and how long it keeps backups; set by the service, read-only. */
  declare readonly retentionSettings: pulumi.Output<RetentionSetting[] | undefined>;
  /** True when the resource took over a policy that existed before (adoptExisting). */
  declare readonly adopted: pulumi.Output<boolean | undefined>;

  protected constructor(
    provider: pulumi.dynamic.ResourceProvider,
    kind: ProtectionPolicyKind,
    name: string,
    args: ProtectionPolicySettingsArgs,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const outputs: Record<string, undefined> = { ...COMMON_OUTPUTS, ...Object.fromEntries(kind.outputs.map((key) => [key, undefined])) };
    // A policy needs a name in Graph; the resource's own is the natural one (not for get(), which reads).
    const named = opts?.id === undefined ? { displayName: args.displayName ?? name } : {};
    super(provider, name, { ...outputs, ...args, ...named }, opts, "m365-backup", kind.type);
  }
}

/** The arguments `get` passes: every output named with no value. */
export function policyOutputsOnly(kind: ProtectionPolicyKind): Record<string, undefined> {
  return { ...COMMON_OUTPUTS, ...Object.fromEntries(kind.outputs.map((key) => [key, undefined])) };
}

/** What a policy resource of this workload declares: its type and its output names, from the descriptor. */
export function policyKind(workload: Workload): ProtectionPolicyKind {
  const { unitIdsInput, unitNamesInput, rules, bulkJobs } = workload.protectionPolicy;
  return {
    type: workload.protectionPolicy.resourceType,
    outputs: [unitIdsInput, unitNamesInput, rules, workload.protectionUnit.collection, bulkJobs],
  };
}
