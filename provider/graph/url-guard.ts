import { describeUrl } from "./redact";
import { UnsafeUrlError } from "./unsafe-url-error";

/**
 * Throws unless `url` is https and on exactly the configured Graph origin (scheme, host, port):
 * the only place a token may go.
 */
export function assertGraphOrigin(url: string, graphEndpoint: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeUrlError("<unparseable url>", "not a URL");
  }
  if (parsed.protocol !== "https:") throw new UnsafeUrlError(describeUrl(url), "tokens are only sent over https");
  const expected = new URL(graphEndpoint).origin;
  if (parsed.origin !== expected)
    throw new UnsafeUrlError(describeUrl(url), `tokens are only sent to the configured Graph endpoint ${expected}`);
  return parsed;
}
