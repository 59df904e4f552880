import { CredentialError } from "./credential-error";

/** The Graph request a refused token went with, and Graph's answer. */
export interface RefusedRequest {
  method: string;
  /** The URL path, e.g. `/v1.0/solutions/backupRestore/restoreSessions/{id}`. */
  path: string;
  code?: string;
  requestId?: string;
  /** Graph's error message, already redacted. */
  graphMessage?: string;
}

/**
 * Microsoft Graph answered 401 and no token it accepts could be had: a freshly issued one was
 * refused too, or the sign-in could only hand back the token already refused. A `CredentialError`
 * (the sign-in is what must change); the message names the sign-in and the request, never a token.
 */
export class TokenRefusedError extends CredentialError {
  override readonly name: string = "TokenRefusedError";
  readonly method: string;
  readonly path: string;
  readonly status = 401;
  readonly code?: string;
  readonly requestId?: string;

  constructor(summary: string, request: RefusedRequest) {
    const code = request.code === undefined ? "" : ` ${request.code}`;
    const graphMessage = request.graphMessage === undefined ? "" : `: ${request.graphMessage}`;
    const requestId = request.requestId === undefined ? "" : ` (request-id ${request.requestId})`;
    super(`${summary}. ${request.method} ${request.path} -> 401${code}${graphMessage}${requestId}`);
    this.method = request.method;
    this.path = request.path;
    this.code = request.code;
    this.requestId = request.requestId;
  }
}
