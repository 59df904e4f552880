/** Graph-shaped errors: handlers throw `GraphHttpError`; the dispatcher renders the OData body. */

/** An HTTP error with a Graph error code, thrown by handlers and rendered as an OData error body. */
export class GraphHttpError extends Error {
  override readonly name = "GraphHttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Request-scoped values every error body carries. */
export interface ErrorContext {
  requestId: string;
  clientRequestId: string;
  date: Date;
}

/** The OData error body Graph sends: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function odataErrorBody(code: string, message: string, context: ErrorContext): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        // Graph writes innerError.date without a zone suffix or fraction.
        date: context.date.toISOString().slice(0, 19),
        "request-id": context.requestId,
        "client-request-id": context.clientRequestId,
      },
    },
  };
}
