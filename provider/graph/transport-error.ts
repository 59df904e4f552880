/** `fetch` itself failed (no HTTP response): refused, reset, DNS, TLS or the attempt timed out. */
export class TransportError extends Error {
  override readonly name = "TransportError";
  /** The connection was refused, so the service certainly did not see the request. */
  readonly connectionRefused: boolean;
  /** A short code for messages: ECONNREFUSED, ECONNRESET, TimeoutError, ... */
  readonly code: string;

  constructor(cause: unknown, options: { neverSent?: boolean } = {}) {
    const code = transportErrorCode(cause);
    super(`transport failure: ${code}`, { cause });
    this.code = code;
    this.connectionRefused = options.neverSent === true || code === "ECONNREFUSED";
  }
}

function transportErrorCode(error: unknown): string {
  // undici reports `TypeError("fetch failed")` with the socket error (or an AggregateError of
  // them, one per address tried) as its cause.
  // Duck-typed: a DOMException or an error from another realm fails `instanceof Error`.
  const seen = new Set<unknown>();
  let current = error as { name?: unknown; code?: unknown; cause?: unknown; errors?: unknown } | undefined;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    if (typeof current.code === "string") return current.code;
    if (current.name === "TimeoutError" || current.name === "AbortError") return current.name;
    current = (Array.isArray(current.errors) && current.errors.length > 0 ? current.errors[0] : current.cause) as typeof current;
  }
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : "UnknownTransportError";
}
