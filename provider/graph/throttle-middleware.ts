import type { Context } from "@microsoft/microsoft-graph-client";
import { ChainLink } from "./chain-link";
import { parseRetryAfter } from "./retry-policy";
import type { ThrottleGate } from "./throttle-gate";
import { TransportError } from "./transport-error";

/** Statuses with which Graph says "too much, slow down". */
const THROTTLE_STATUSES = new Set([429, 503]);

/**
 * Holds a slot of the origin's concurrency window for each attempt, and tells the gate what Graph
 * answered. Sits inside the retry loop, so each retry queues like any other request.
 */
export class ThrottleMiddleware extends ChainLink {
  readonly name = "throttle";

  constructor(private readonly gate: ThrottleGate) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const signal = context.options?.signal as AbortSignal | undefined;
    try {
      await this.gate.acquire(signal);
    } catch (error) {
      // Aborted while queued: the request was never sent, like a refused connection.
      throw new TransportError(error, { neverSent: true });
    }
    try {
      await this.forward(context);
    } finally {
      this.gate.release();
    }
    const response = context.response as Response | undefined;
    if (response === undefined) return;
    if (THROTTLE_STATUSES.has(response.status)) this.gate.throttled(parseRetryAfter(response.headers.get("retry-after")));
    else if (response.status < 500) this.gate.succeeded();
  }
}
