import type { Context, MiddlewareOptions } from "@microsoft/microsoft-graph-client";

/**
 * Per-call state shared by the middlewares of one request, handed in as a middleware option.
 * Kept because the SDK wraps anything thrown inside the chain into its own GraphError, which
 * would lose our error types; the client rethrows `failure` instead.
 */
export class GraphCallState implements MiddlewareOptions {
  /** Attempts made by the retry loop. */
  attempts = 0;
  /** Why the retry loop stopped retrying a retryable failure, for the error message. */
  stopReason?: string;
  /** The error thrown inside the chain, before the SDK wrapped it. */
  failure?: unknown;
  /** The `client-request-id` sent with every attempt. */
  clientRequestId?: string;
  /** A POST that changes nothing (a search): repeated like a GET. */
  readOnly = false;
  /** The application id in the last bearer token sent, to recognise sessions it created. */
  callerAppId?: string;

  constructor(
    /** A full URL to send verbatim (an `@odata.nextLink`); the SDK would reorder its query. */
    readonly exactUrl?: string,
  ) {}
}

/** The call state of a request, or a fresh one when the caller gave none. */
export function callState(context: Context): GraphCallState {
  return (context.middlewareControl?.getMiddlewareOptions(GraphCallState) as GraphCallState | undefined) ?? new GraphCallState();
}

/** The request URL of a context as a string. */
export function requestUrl(context: Context): string {
  return typeof context.request === "string" ? context.request : context.request.url;
}

/** The request headers of a context, made into a `Headers` object the middlewares can change. */
export function requestHeaders(context: Context): Headers {
  const options = (context.options ??= {});
  if (!(options.headers instanceof Headers)) options.headers = new Headers(options.headers as HeadersInit | undefined);
  return options.headers as Headers;
}

/** The HTTP method of a context, upper case. */
export function requestMethod(context: Context): string {
  return (context.options?.method ?? "GET").toUpperCase();
}
