/** Program side: the OneDriveProtectionPolicy resource: which OneDrives Microsoft 365 Backup protects. */
import type * as pulumi from "@pulumi/pulumi";
import { ONEDRIVE } from "../workloads/workloads";
import { oneDriveProtectionPolicyProvider } from "../serialized/oneDriveProtectionPolicy";
import type { BulkJobOutput, InclusionRuleOutput, ProtectionUnitOutput } from "./outputs";
import {
  policyKind,
  policyOutputsOnly,
  ProtectionPolicyResource,
  type GroupInclusionRuleArgs,
  type ProtectionPolicySettingsArgs,
} from "./protection-policy";

/** Inputs of a OneDrive protection policy: the OneDrives it protects (by id, by name, by rule) and whether it is active. */
export interface OneDriveProtectionPolicyArgs extends ProtectionPolicySettingsArgs {
  /** OneDrives by id: their users' directory object ids. */
  userIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** OneDrives by name (their users' emails), resolved by the service in bulk addition jobs (up to 50,000 a job). */
  userEmails?: pulumi.Input<pulumi.Input<string>[]>;
  /** Inclusion rules: the service adds what they match. */
  driveInclusionRules?: pulumi.Input<pulumi.Input<GroupInclusionRuleArgs>[]>;
}

/** The Pulumi type token. */
export const ONEDRIVE_PROTECTION_POLICY_TYPE = `pulumi-nodejs:dynamic/m365-backup:${ONEDRIVE.protectionPolicy.resourceType}`;

const KIND = policyKind(ONEDRIVE);

/** A Microsoft 365 Backup Storage OneDrive protection policy, managed through Microsoft Graph. */
export class OneDriveProtectionPolicy extends ProtectionPolicyResource {
  /** The Pulumi type token, which CrossGuard matches (see ProtectionPolicyResource.__pulumiType). */
  static override readonly __pulumiType = ONEDRIVE_PROTECTION_POLICY_TYPE;

  /** The userIds input as stored. */
  declare readonly userIds: pulumi.Output<string[] | undefined>;
  /** The userEmails input as stored. */
  declare readonly userEmails: pulumi.Output<string[] | undefined>;
  /** The rules as the program gave them, with what Graph reports of each (and rules added outside Pulumi, marked). */
  declare readonly driveInclusionRules: pulumi.Output<InclusionRuleOutput[]>;
  /** The OneDrives Graph holds in the policy, each with its status, error and where it came from. */
  declare readonly driveProtectionUnits: pulumi.Output<ProtectionUnitOutput[]>;
  /** The bulk addition jobs sent for userEmails, with the names the service could not resolve. */
  declare readonly driveProtectionUnitsBulkAdditionJobs: pulumi.Output<BulkJobOutput[]>;

  /** Declares a protection policy; `pulumi up` creates it through Graph (or adopts the tenant's, with adoptExisting). */
  constructor(name: string, args: OneDriveProtectionPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super(oneDriveProtectionPolicyProvider, KIND, name, args, opts);
  }

  /** Reads an existing protection policy by its Graph id. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): OneDriveProtectionPolicy {
    return new OneDriveProtectionPolicy(name, policyOutputsOnly(KIND) as OneDriveProtectionPolicyArgs, { ...opts, id });
  }
}
