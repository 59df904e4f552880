/**
 * A request would have carried a token somewhere other than the configured Graph host over
 * https (plain http, another host, a foreign `@odata.nextLink` or a redirect), so it was not sent.
 */
export class UnsafeUrlError extends Error {
  override readonly name = "UnsafeUrlError";
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`refused to send a Graph request to ${url}: ${reason}`);
  }
}
