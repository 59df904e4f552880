import type { Context } from "@microsoft/microsoft-graph-client";
import { requestUrl } from "./call-state";
import { ChainLink } from "./chain-link";
import { TransportError } from "./transport-error";

/** Last link: sends the request with the injected (or global) `fetch`, never following redirects. */
export class TransportMiddleware extends ChainLink {
  readonly name = "transport";

  constructor(private readonly fetchImpl: typeof fetch) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const options = context.options ?? {};
    try {
      context.response = await this.fetchImpl(requestUrl(context), {
        method: options.method,
        headers: options.headers as HeadersInit | undefined,
        body: options.body as BodyInit | undefined,
        signal: options.signal as AbortSignal | undefined,
        // A redirect could carry the Authorization header elsewhere; Graph does not redirect
        // these calls, so a 3xx is returned to the client as an error instead.
        redirect: "manual",
      });
    } catch (error) {
      throw new TransportError(error);
    }
  }
}
