/** Program side: the ExchangeProtectionPolicy resource: which mailboxes Microsoft 365 Backup protects. */
import type * as pulumi from "@pulumi/pulumi";
import { EXCHANGE } from "../workloads/workloads";
import { exchangeProtectionPolicyProvider } from "../serialized/exchangeProtectionPolicy";
import type { BulkJobOutput, InclusionRuleOutput, ProtectionUnitOutput } from "./outputs";
import {
  policyKind,
  policyOutputsOnly,
  ProtectionPolicyResource,
  type GroupInclusionRuleArgs,
  type ProtectionPolicySettingsArgs,
} from "./protection-policy";

/** Inputs of an Exchange protection policy: the mailboxes it protects (by id, by name, by rule) and whether it is active. */
export interface ExchangeProtectionPolicyArgs extends ProtectionPolicySettingsArgs {
  /** Mailboxes by id: the mailboxes' directory object ids. */
  mailboxIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Mailboxes by name (their emails), resolved by the service in bulk addition jobs (up to 50,000 a job). */
  mailboxEmails?: pulumi.Input<pulumi.Input<string>[]>;
  /** Inclusion rules: the service adds what they match. */
  mailboxInclusionRules?: pulumi.Input<pulumi.Input<GroupInclusionRuleArgs>[]>;
}

/** The Pulumi type token. */
export const EXCHANGE_PROTECTION_POLICY_TYPE = `pulumi-nodejs:dynamic/m365-backup:${EXCHANGE.protectionPolicy.resourceType}`;

const KIND = policyKind(EXCHANGE);

/** A Microsoft 365 Backup Storage Exchange protection policy, managed through Microsoft Graph. */
export class ExchangeProtectionPolicy extends ProtectionPolicyResource {
  /** The Pulumi type token, which CrossGuard matches (see ProtectionPolicyResource.__pulumiType). */
  static override readonly __pulumiType = EXCHANGE_PROTECTION_POLICY_TYPE;

  /** The mailboxIds input as stored. */
  declare readonly mailboxIds: pulumi.Output<string[] | undefined>;
  /** The mailboxEmails input as stored. */
  declare readonly mailboxEmails: pulumi.Output<string[] | undefined>;
  /** The rules as the program gave them, with what Graph reports of each (and rules added outside Pulumi, marked). */
  declare readonly mailboxInclusionRules: pulumi.Output<InclusionRuleOutput[]>;
  /** The mailboxes Graph holds in the policy, each with its status, error and where it came from. */
  declare readonly mailboxProtectionUnits: pulumi.Output<ProtectionUnitOutput[]>;
  /** The bulk addition jobs sent for mailboxEmails, with the names the service could not resolve. */
  declare readonly mailboxProtectionUnitsBulkAdditionJobs: pulumi.Output<BulkJobOutput[]>;

  /** Declares a protection policy; `pulumi up` creates it through Graph (or adopts the tenant's, with adoptExisting). */
  constructor(name: string, args: ExchangeProtectionPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super(exchangeProtectionPolicyProvider, KIND, name, args, opts);
  }

  /** Reads an existing protection policy by its Graph id. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ExchangeProtectionPolicy {
    return new ExchangeProtectionPolicy(name, policyOutputsOnly(KIND) as ExchangeProtectionPolicyArgs, { ...opts, id });
  }
}
