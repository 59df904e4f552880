import type { GraphSession } from "../schemas/wire";

/** The restore did not end before the `waitForCompletion` timeout; the session carries on in Graph. */
export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";

  constructor(
    readonly sessionId: string,
    readonly timeoutMinutes: number,
    readonly lastSession: GraphSession,
    lastProgress: string,
  ) {
    super(`timed out after ${timeoutMinutes} minute(s) waiting for restore session ${sessionId} to end (last seen: ${lastProgress})`);
  }
}
