/** A protection policy stayed `updating` (or in a status that allows no action) past the wait's deadline. */
export class PolicyWaitTimeoutError extends Error {
  override readonly name = "PolicyWaitTimeoutError";

  constructor(
    readonly policyId: string,
    readonly goal: "active" | "inactive" | "deleted",
    readonly timeoutMinutes: number,
    readonly lastStatus: string,
  ) {
    const action = goal === "active" ? "activate" : goal === "inactive" ? "deactivate" : "deactivate and delete";
    super(
      `timed out after ${timeoutMinutes} minute(s) waiting to ${action} protection policy ${policyId} (last seen: ${lastStatus}); ` +
        "Graph keeps a policy updating while it adds or removes units. Run the command again later, or raise statusWait.timeoutMinutes",
    );
  }
}
