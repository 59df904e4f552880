/** Marks errors of this package across two installed copies, where `instanceof` fails. */
const GRAPH_REQUEST_ERROR_BRAND = Symbol.for("pulumi-m365-backup.GraphRequestError");

/** What one failed Graph request was and how it failed. */
export interface GraphRequestErrorFields {
  method: string;
  path: string;
  status: number;
  code?: string;
  requestId?: string;
  retryable: boolean;
  graphMessage?: string;
  /** Appended to the message, e.g. why retrying stopped. */
  note?: string;
  cause?: unknown;
}

/**
 * A Graph request that did not succeed: an HTTP error (status set) or a transport failure
 * (status 0). The message never contains a token or a secret.
 */
export class GraphRequestError extends Error {
  override readonly name: string = "GraphRequestError";
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly retryable: boolean;

  constructor(fields: GraphRequestErrorFields) {
    super(formatMessage(fields), fields.cause === undefined ? undefined : { cause: fields.cause });
    this.method = fields.method;
    this.path = fields.path;
    this.status = fields.status;
    this.code = fields.code;
    this.requestId = fields.requestId;
    this.retryable = fields.retryable;
    Object.defineProperty(this, GRAPH_REQUEST_ERROR_BRAND, { value: true });
    Object.defineProperty(this, "fields", { value: fields });
  }

  declare private readonly fields: GraphRequestErrorFields;

  /** The same failure, its message extended by one more clause. */
  withNote(note: string): GraphRequestError {
    const previous = this.fields.note;
    return new GraphRequestError({ ...this.fields, note: previous === undefined ? note : `${previous}; ${note}` });
  }
}

function formatMessage(fields: GraphRequestErrorFields): string {
  const outcome = fields.status === 0 ? "request failed" : String(fields.status);
  const code = fields.code === undefined ? "" : ` ${fields.code}`;
  const graphMessage = fields.graphMessage === undefined ? "" : `: ${fields.graphMessage}`;
  const requestId = fields.requestId === undefined ? "" : ` (request-id ${fields.requestId})`;
  const note = fields.note === undefined ? "" : `; ${fields.note}`;
  return `${fields.method} ${fields.path} -> ${outcome}${code}${graphMessage}${requestId}${note}`;
}

/** True for a `GraphRequestError` (or subclass) from any copy of this package. */
export function isGraphRequestError(error: unknown): error is GraphRequestError {
  return error instanceof Error && (error as unknown as Record<symbol, unknown>)[GRAPH_REQUEST_ERROR_BRAND] === true;
}
