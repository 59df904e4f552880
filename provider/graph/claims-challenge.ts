/**
 * Reads a Continuous Access Evaluation challenge the way the Azure SDK's bearer-token policy does
 * (`@azure/core-rest-pipeline` bearerTokenAuthenticationPolicy, `getCaeChallengeClaims`): a 401's
 * `WWW-Authenticate: Bearer ..., error="insufficient_claims", claims="<base64 JSON>"`. That module
 * does not export its parser, and loading it would cost the host's cold start for a dozen lines.
 */

const CHALLENGE = /(\w+)\s+((?:\w+=(?:"[^"]*"|[^,]*),?\s*)+)/g;
const PARAMETER = /(\w+)="([^"]*)"/g;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** The decoded claims a `WWW-Authenticate` header demands; undefined without such a challenge or when they are not base64 JSON. */
export function claimsChallengeOf(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const [, scheme, parameterText] of header.matchAll(CHALLENGE)) {
    if (scheme?.toLowerCase() !== "bearer" || parameterText === undefined) continue;
    const parameters = new Map([...parameterText.matchAll(PARAMETER)].map(([, name, value]) => [name?.toLowerCase(), value ?? ""]));
    const claims = parameters.get("claims");
    if (parameters.get("error") !== "insufficient_claims" || claims === undefined || !BASE64.test(claims)) continue;
    const decoded = Buffer.from(claims, "base64").toString("utf8");
    if (isJsonObject(decoded)) return decoded;
  }
  return undefined;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
