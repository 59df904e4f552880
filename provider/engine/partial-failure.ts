/**
 * The error create and update throw when Graph already holds the session but a later step failed.
 *
 * The dynamic-provider host turns an error carrying `id` into ErrorResourceInitFailed, so the engine
 * keeps the session in state (partially initialised) instead of orphaning it.
 */
export class SessionPartiallyCreatedError extends Error {
  override readonly name = "SessionPartiallyCreatedError";
  readonly reasons: string[];

  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    step: string,
    override readonly cause: unknown,
    advice = "run `pulumi up` again to continue",
  ) {
    const detail = (cause instanceof Error ? cause.message : String(cause)).replace(/\.+$/, "");
    super(`restore session ${id} exists, but ${step} failed: ${detail}. It is kept in the stack state; ${advice}.`);
    this.reasons = [this.message];
  }
}
