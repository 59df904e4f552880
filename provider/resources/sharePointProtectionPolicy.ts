/** Program side: the SharePointProtectionPolicy resource: which sites Microsoft 365 Backup protects. */
import type * as pulumi from "@pulumi/pulumi";
import { SHAREPOINT } from "../workloads/workloads";
import { sharePointProtectionPolicyProvider } from "../serialized/sharePointProtectionPolicy";
import type { BulkJobOutput, InclusionRuleOutput, ProtectionUnitOutput } from "./outputs";
import {
  policyKind,
  policyOutputsOnly,
  ProtectionPolicyResource,
  type SiteInclusionRuleArgs,
  type ProtectionPolicySettingsArgs,
} from "./protection-policy";

/** Inputs of a SharePoint protection policy: the sites it protects (by id, by name, by rule) and whether it is active. */
export interface SharePointProtectionPolicyArgs extends ProtectionPolicySettingsArgs {
  /** SharePoint sites by id: site ids as listed by siteProtectionUnits, like `contoso.sharepoint.com,<guid>,<guid>`. */
  siteIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** SharePoint sites by name (site URLs), resolved by the service in bulk addition jobs (up to 50,000 a job). */
  siteWebUrls?: pulumi.Input<pulumi.Input<string>[]>;
  /** Inclusion rules: the service adds what they match. */
  siteInclusionRules?: pulumi.Input<pulumi.Input<SiteInclusionRuleArgs>[]>;
}

/** The Pulumi type token. */
export const SHAREPOINT_PROTECTION_POLICY_TYPE = `pulumi-nodejs:dynamic/m365-backup:${SHAREPOINT.protectionPolicy.resourceType}`;

const KIND = policyKind(SHAREPOINT);

/** A Microsoft 365 Backup Storage SharePoint protection policy, managed through Microsoft Graph. */
export class SharePointProtectionPolicy extends ProtectionPolicyResource {
  /** The Pulumi type token, which CrossGuard matches (see ProtectionPolicyResource.__pulumiType). */
  static override readonly __pulumiType = SHAREPOINT_PROTECTION_POLICY_TYPE;

  /** The siteIds input as stored. */
  declare readonly siteIds: pulumi.Output<string[] | undefined>;
  /** The siteWebUrls input as stored. */
  declare readonly siteWebUrls: pulumi.Output<string[] | undefined>;
  /** The rules as the program gave them, with what Graph reports of each (and rules added outside Pulumi, marked). */
  declare readonly siteInclusionRules: pulumi.Output<InclusionRuleOutput[]>;
  /** The sites Graph holds in the policy, each with its status, error and where it came from. */
  declare readonly siteProtectionUnits: pulumi.Output<ProtectionUnitOutput[]>;
  /** The bulk addition jobs sent for siteWebUrls, with the names the service could not resolve. */
  declare readonly siteProtectionUnitsBulkAdditionJobs: pulumi.Output<BulkJobOutput[]>;

  /** Declares a protection policy; `pulumi up` creates it through Graph (or adopts the tenant's, with adoptExisting). */
  constructor(name: string, args: SharePointProtectionPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super(sharePointProtectionPolicyProvider, KIND, name, args, opts);
  }

  /** Reads an existing protection policy by its Graph id. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): SharePointProtectionPolicy {
    return new SharePointProtectionPolicy(name, policyOutputsOnly(KIND) as SharePointProtectionPolicyArgs, { ...opts, id });
  }
}
