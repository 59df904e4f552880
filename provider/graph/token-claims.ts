/**
 * The application a bearer token stands for (`appid` in v1 tokens, `azp` in v2), read without
 * verifying the signature: only to recognise sessions this application created, never to trust.
 * Decoding the payload is three lines; loading a JWT library for it cost the host's cold start.
 */
export function applicationIdOf(token: string): string | undefined {
  try {
    const payload = token.split(".")[1];
    if (payload === undefined) return undefined;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const id = claims.appid ?? claims.azp;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
