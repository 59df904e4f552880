/**
 * The finder CLI's exit codes, which scripts can rely on: each failure class has its own code, and
 * the code depends only on what failed, never on the output format.
 */
import { CommanderError } from "commander";
import { ConfigurationError } from "../provider/config";
import { LookupArgumentError } from "../provider/functions/lookup-argument-error";
import { UnitResolutionError } from "../provider/engine/unit-resolution-error";

/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  /** Done; for lists, also when nothing matched the filters. */
  ok: 0,
  /** Microsoft Graph or sign-in failed (after retries), or anything unexpected. */
  failure: 1,
  /** The command line is wrong: unknown command or option, a missing or malformed value. */
  usage: 2,
  /** A setting (environment variable) is missing or malformed; nothing was sent. */
  configuration: 3,
  /** A named site, user or mailbox is not protected, or has no restore point in the window; or a state holds no drill report. */
  notFound: 4,
} as const;

/** Something asked for was not found; the message names it. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

/** The exit code for an error that ended a command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof LookupArgumentError) return EXIT.usage;
  if (error instanceof ConfigurationError) return EXIT.configuration;
  if (error instanceof UnitResolutionError || error instanceof NotFoundError) return EXIT.notFound;
  return EXIT.failure;
}
