import { randomUUID } from "node:crypto";
import type { Context } from "@microsoft/microsoft-graph-client";
import { callState, requestHeaders } from "./call-state";
import { ChainLink } from "./chain-link";

/**
 * First link: gives the call one `client-request-id` (kept across retries, so Microsoft support can
 * follow a whole operation), sends an exact URL when the caller asked for one, and keeps whatever
 * the chain throws so the client can rethrow it unwrapped.
 */
export class RequestIdMiddleware extends ChainLink {
  readonly name = "request-id";

  constructor(private readonly newId: () => string = randomUUID) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const state = callState(context);
    if (state.exactUrl !== undefined) context.request = state.exactUrl;
    const headers = requestHeaders(context);
    if (!headers.has("client-request-id")) headers.set("client-request-id", this.newId());
    state.clientRequestId = headers.get("client-request-id") ?? undefined;
    try {
      await this.forward(context);
    } catch (error) {
      state.failure = error;
      throw error;
    }
  }
}
