/**
 * The error create and update throw when Graph already holds the object but a later step failed.
 *
 * The dynamic-provider host turns an error carrying `id` into ErrorResourceInitFailed, so the engine
 * keeps the object in state (partially initialised) instead of orphaning it, and the next `up`
 * finishes the work.
 */
export class PartialFailureError extends Error {
  override readonly name = "PartialFailureError";
  readonly reasons: string[];

  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    /** What exists, as people call it: "restore session 1234". */
    what: string,
    step: string,
    override readonly cause: unknown,
    advice = "run `pulumi up` again to continue",
  ) {
    const detail = (cause instanceof Error ? cause.message : String(cause)).replace(/\.+$/, "");
    super(`${what} exists, but ${step} failed: ${detail}. It is kept in the stack state; ${advice}.`);
    this.reasons = [this.message];
  }
}
