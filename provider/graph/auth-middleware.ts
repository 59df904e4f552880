import type { Context } from "@microsoft/microsoft-graph-client";
import { callState, requestHeaders, requestUrl } from "./call-state";
import { ChainLink } from "./chain-link";
import { applicationIdOf } from "./token-claims";
import type { TokenSource } from "./token-source";
import { assertGraphOrigin } from "./url-guard";

/**
 * Adds the bearer token, only for https requests to the configured Graph origin. A 401 gets one
 * fresh token and one more try: the service did not act on an unauthenticated request.
 */
export class AuthMiddleware extends ChainLink {
  readonly name = "auth";

  constructor(
    private readonly graphEndpoint: string,
    private readonly tokens: TokenSource,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    assertGraphOrigin(requestUrl(context), this.graphEndpoint);
    const headers = requestHeaders(context);
    const state = callState(context);
    const authorize = (token: string): void => {
      headers.set("Authorization", `Bearer ${token}`);
      state.callerAppId = applicationIdOf(token) ?? state.callerAppId;
    };
    authorize(await this.tokens.getToken({ forceRefresh: false }));
    await this.forward(context);
    const response = context.response as Response | undefined;
    if (response?.status !== 401 || !this.tokens.refreshable) return;
    await response.body?.cancel().catch(() => undefined);
    authorize(await this.tokens.getToken({ forceRefresh: true }));
    context.response = undefined;
    await this.forward(context);
  }
}
