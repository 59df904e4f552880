/** Program side: the OneDriveRestoreSession resource: restores users' OneDrive for Business accounts. */
import type * as pulumi from "@pulumi/pulumi";
import { ONEDRIVE } from "../workloads/workloads";
import { oneDriveRestoreSessionProvider } from "../serialized/oneDriveRestoreSession";
import type { RestoreArtifactOutput } from "./outputs";
import {
  outputsOnly,
  RestoreSessionResource,
  type DriveBulkRestoreArgs,
  type DriveRestoreArtifactArgs,
  type RestoreSessionKind,
  type RestoreSessionSettingsArgs,
} from "./restore-session";

/** Inputs of a OneDrive restore session: the OneDrives to restore (listed, or by email in bulk) and how. */
export interface OneDriveRestoreSessionArgs extends RestoreSessionSettingsArgs {
  /** The OneDrives to restore: by restore point, or by user and point in time, each listed once (at most 1,000). */
  driveRestoreArtifacts?: pulumi.Input<pulumi.Input<DriveRestoreArtifactArgs>[]>;
  /** Up to 10,000 OneDrives by their users' emails, resolved by the service; instead of driveRestoreArtifacts. */
  bulkRestore?: pulumi.Input<DriveBulkRestoreArgs>;
}

/** The Pulumi type token. */
export const ONEDRIVE_RESTORE_SESSION_TYPE = `pulumi-nodejs:dynamic/m365-backup:${ONEDRIVE.restoreSession.resourceType}`;

const KIND: RestoreSessionKind = { type: ONEDRIVE.restoreSession.resourceType, artifacts: ONEDRIVE.restoreSession.artifacts };

/** A Microsoft 365 Backup Storage OneDrive restore session, managed through Microsoft Graph. */
export class OneDriveRestoreSession extends RestoreSessionResource {
  /** The Pulumi type token, which CrossGuard matches (see RestoreSessionResource.__pulumiType). */
  static override readonly __pulumiType = ONEDRIVE_RESTORE_SESSION_TYPE;

  /** OneDrives of the session, with each one's restore point, status, timing and restored URL. */
  declare readonly driveRestoreArtifacts: pulumi.Output<RestoreArtifactOutput[]>;

  /** Declares a restore session; `pulumi up` creates it through Graph. */
  constructor(name: string, args: OneDriveRestoreSessionArgs, opts?: pulumi.CustomResourceOptions) {
    super(oneDriveRestoreSessionProvider, KIND, name, args as never, opts);
  }

  /** Reads an existing restore session by its Graph id. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): OneDriveRestoreSession {
    return new OneDriveRestoreSession(name, outputsOnly(KIND) as OneDriveRestoreSessionArgs, { ...opts, id });
  }
}
