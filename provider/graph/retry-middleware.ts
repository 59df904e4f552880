import type { Context } from "@microsoft/microsoft-graph-client";
import { odataErrorSchema } from "../schemas/wire";
import { callState, requestMethod, requestUrl } from "./call-state";
import { ChainLink } from "./chain-link";
import { deadline } from "./deadline";
import { describeUrl } from "./redact";
import { parseRetryAfter, retryDelayMs, shouldRetry, type AttemptOutcome, type RetryPolicy } from "./retry-policy";
import type { ThrottleGate } from "./throttle-gate";
import { TransportError } from "./transport-error";

/** Waits `ms`, rejecting early if `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The one retry loop: repeats an attempt while the policy allows it, waits as the server asked
 * (or backs off), and stops before the operation's time budget would be overrun. When it stops
 * on a retryable failure it leaves the last response (or rethrows the last transport error) and
 * records why in the call state.
 */
export class RetryMiddleware extends ChainLink {
  readonly name = "retry";

  constructor(
    private readonly policy: RetryPolicy,
    private readonly sleep: Sleep,
    private readonly log: (line: string) => void,
    private readonly gate: ThrottleGate,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const state = callState(context);
    const method = requestMethod(context);
    const started = Date.now();
    const operation = deadline(this.policy.totalBudgetMs);
    // A pause another request was told about applies to this one too.
    let slept = await this.sharedPause(operation);
    for (let attempt = 1; ; attempt++) {
      state.attempts = attempt;
      context.response = undefined;
      (context.options ??= {}).signal = deadline(this.policy.attemptTimeoutMs, operation);
      let outcome: AttemptOutcome;
      let transportError: TransportError | undefined;
      try {
        await this.forward(context);
        const response = context.response as Response | undefined;
        if (response === undefined || response.ok || response.status < 400) return;
        outcome = await describeFailure(response);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        transportError = error;
        outcome = { kind: "transportError", connectionRefused: error.connectionRefused };
      }
      const giveUp = (reason?: string): void => {
        state.stopReason = reason;
        if (transportError !== undefined) throw transportError;
      };
      if (!shouldRetry(this.policy, state.readOnly ? "GET" : method, outcome)) return giveUp();
      if (attempt >= this.policy.maxAttempts) return giveUp(`gave up after ${attempt} attempts`);
      const own = retryDelayMs(this.policy, attempt, outcome.kind === "response" ? outcome.retryAfterMs : undefined);
      const delay = Math.max(own, this.gate.pauseRemainingMs());
      // Real time when `sleep` really waits; the summed waits when a test's `sleep` returns at once.
      const elapsed = Math.max(Date.now() - started, slept);
      if (elapsed + delay > this.policy.totalBudgetMs) {
        return giveUp(
          `gave up after ${attempt} attempts: waiting ${delay} ms more would exceed the time budget of ${this.policy.totalBudgetMs} ms`,
        );
      }
      this.log(
        `retrying ${method} ${describeUrl(requestUrl(context))} in ${delay} ms after ${describeOutcome(outcome, transportError)} ` +
          `(attempt ${attempt + 1} of ${this.policy.maxAttempts})`,
      );
      await discardBody(context.response as Response | undefined);
      await this.sleep(delay, operation);
      slept += delay;
    }
  }

  /** Sleeps out the origin's shared pause, if one is in force; returns the ms slept. */
  private async sharedPause(signal: AbortSignal): Promise<number> {
    const pause = this.gate.pauseRemainingMs();
    if (pause > 0) await this.sleep(pause, signal);
    return pause;
  }
}

async function describeFailure(response: Response): Promise<AttemptOutcome> {
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  // Only a 500 needs the Graph error code to decide; reading a clone keeps the body for the client.
  const code = response.status === 500 ? await graphErrorCode(response.clone()) : undefined;
  return {
    kind: "response",
    status: response.status,
    ...(code !== undefined ? { code } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

async function graphErrorCode(response: Response): Promise<string | undefined> {
  try {
    const parsed = odataErrorSchema.safeParse(await response.json());
    return parsed.success ? parsed.data.error.code : undefined;
  } catch {
    return undefined;
  }
}

function describeOutcome(outcome: AttemptOutcome, transportError: TransportError | undefined): string {
  if (outcome.kind === "transportError") return transportError?.code ?? "a transport failure";
  return outcome.code === undefined ? `HTTP ${outcome.status}` : `HTTP ${outcome.status} ${outcome.code}`;
}

async function discardBody(response: Response | undefined): Promise<void> {
  try {
    await response?.body?.cancel();
  } catch {
    // A body that cannot be cancelled is already consumed or gone; nothing to free.
  }
}
