/** `getRestorePoints` and its output form: one restore point per protection unit, read in the program. */
import * as pulumi from "@pulumi/pulumi";
import { lookup } from "./run";
import type { GetRestorePointsArgs, GetRestorePointsOutputArgs, GetRestorePointsResult } from "./types";

/**
 * One restore point per protection unit (any workload, any number of units): each unit's newest in
 * the window (`restorePointPreference: "latest"`, the default) or its oldest (`"oldest"`).
 *
 * Graph's search takes at most 20 units but returns at most five restore points in all, unpaged;
 * so the units are searched five at a time (a few searches at once), which leaves room for one
 * point per unit, and the answers are merged in the order of `protectionUnitIds`. Units without a
 * point in the window are listed in `noResultProtectionUnitIds`. Needs `BackupRestore-Search.Read.All`.
 */
export function getRestorePoints(args: GetRestorePointsArgs): Promise<GetRestorePointsResult> {
  return lookup("getRestorePoints", args, (graph, lookups) => lookups.findRestorePoints(graph, args, "getRestorePoints"));
}

/** `getRestorePoints` with arguments that may be Outputs; unknown while any of them is (during preview). */
export function getRestorePointsOutput(args: GetRestorePointsOutputArgs): pulumi.Output<GetRestorePointsResult> {
  return pulumi.output(args).apply((resolved) => getRestorePoints(resolved));
}
