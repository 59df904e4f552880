/** Program side: the SharePointRestoreSession resource users declare in their Pulumi programs. */
import type * as pulumi from "@pulumi/pulumi";
import { SHAREPOINT } from "../workloads/workloads";
import { sharePointRestoreSessionProvider } from "../serialized/sharePointRestoreSession";
import type { RestoreArtifactOutput } from "./outputs";
import {
  outputsOnly,
  RestoreSessionResource,
  type RestoreSessionKind,
  type RestoreSessionSettingsArgs,
  type SiteBulkRestoreArgs,
  type SiteRestoreArtifactArgs,
} from "./restore-session";

/** Inputs of a SharePoint restore session: the sites to restore (listed, or by URL in bulk) and how. */
export interface SharePointRestoreSessionArgs extends RestoreSessionSettingsArgs {
  /** The sites to restore: by restore point, or by site and point in time, each listed once (at most 1,000). */
  siteRestoreArtifacts?: pulumi.Input<pulumi.Input<SiteRestoreArtifactArgs>[]>;
  /** Up to 10,000 sites by URL, resolved by the service (works with application sign-in); instead of siteRestoreArtifacts. */
  bulkRestore?: pulumi.Input<SiteBulkRestoreArgs>;
}

/** The Pulumi type token; moving to a native provider later is then an alias. */
export const SHAREPOINT_RESTORE_SESSION_TYPE = `pulumi-nodejs:dynamic/m365-backup:${SHAREPOINT.restoreSession.resourceType}`;

const KIND: RestoreSessionKind = { type: SHAREPOINT.restoreSession.resourceType, artifacts: SHAREPOINT.restoreSession.artifacts };

/** A Microsoft 365 Backup Storage SharePoint restore session, managed through Microsoft Graph. */
export class SharePointRestoreSession extends RestoreSessionResource {
  /** The Pulumi type token, which CrossGuard matches (see RestoreSessionResource.__pulumiType). */
  static override readonly __pulumiType = SHAREPOINT_RESTORE_SESSION_TYPE;

  /** Sites of the session, with each one's restore point, status, timing and restored URL. */
  declare readonly siteRestoreArtifacts: pulumi.Output<RestoreArtifactOutput[]>;

  /** Declares a restore session; `pulumi up` creates it through Graph. */
  constructor(name: string, args: SharePointRestoreSessionArgs, opts?: pulumi.CustomResourceOptions) {
    super(sharePointRestoreSessionProvider, KIND, name, args as never, opts);
  }

  /** Reads an existing restore session by its Graph id. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): SharePointRestoreSession {
    return new SharePointRestoreSession(name, outputsOnly(KIND) as SharePointRestoreSessionArgs, { ...opts, id });
  }
}
