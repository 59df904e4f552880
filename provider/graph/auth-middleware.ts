import type { Context } from "@microsoft/microsoft-graph-client";
import { odataErrorSchema } from "../schemas/wire";
import { callState, requestHeaders, requestMethod, requestUrl } from "./call-state";
import { ChainLink } from "./chain-link";
import { claimsChallengeOf } from "./claims-challenge";
import { SecretRedactor } from "./redact";
import { applicationIdOf } from "./token-claims";
import { TokenRefusedError } from "./token-refused-error";
import type { TokenSource } from "./token-source";
import { assertGraphOrigin } from "./url-guard";

/** What a refused fresh token most likely means, since the sign-in itself worked. */
const FRESH_TOKEN_REFUSED =
  "the sign-in works but Graph does not accept its tokens: check that the tenant (m365-backup:tenantId) and the authority " +
  "(m365-backup:authorityHost) belong to the cloud of m365-backup:graphEndpoint, and that the application is enabled and not " +
  "blocked by Conditional Access";

/**
 * Adds the bearer token, only for https requests to the configured Graph origin. A 401 means the
 * token was refused (expired, revoked, or a Continuous Access Evaluation claims challenge), and the
 * service did not act: the request gets a genuinely new token and one more try. When no new token
 * can be had, or the new one is refused too, it fails with a `TokenRefusedError` naming the sign-in.
 */
export class AuthMiddleware extends ChainLink {
  readonly name = "auth";

  constructor(
    private readonly graphEndpoint: string,
    private readonly tokens: TokenSource,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    assertGraphOrigin(requestUrl(context), this.graphEndpoint);
    const { name, whenStuck } = this.tokens.signIn;
    const refused = await this.tokens.getToken();
    const response = await this.send(context, refused);
    if (response?.status !== 401) return;

    const renewed = await this.tokens.renewToken(refused, claimsChallengeOf(response.headers.get("www-authenticate")));
    if (renewed === refused) {
      throw await refusal(
        context,
        response,
        [refused],
        `Microsoft Graph refused the token from ${name}, and no other can be had from it: ${whenStuck}`,
      );
    }
    await response.body?.cancel().catch(() => undefined);
    const retried = await this.send(context, renewed);
    if (retried?.status === 401) {
      throw await refusal(
        context,
        retried,
        [refused, renewed],
        `Microsoft Graph refused a freshly issued token from ${name}; ${FRESH_TOKEN_REFUSED}`,
      );
    }
  }

  private async send(context: Context, token: string): Promise<Response | undefined> {
    requestHeaders(context).set("Authorization", `Bearer ${token}`);
    const state = callState(context);
    state.callerAppId = applicationIdOf(token) ?? state.callerAppId;
    context.response = undefined;
    await this.forward(context);
    return context.response as Response | undefined;
  }
}

/** The error for a final 401, with Graph's code, message and request id; the tokens sent are masked if echoed. */
async function refusal(context: Context, response: Response, tokens: string[], summary: string): Promise<TokenRefusedError> {
  const redactor = new SecretRedactor();
  for (const token of tokens) redactor.add(token);
  const odata = odataErrorSchema.safeParse(await response.json().catch(() => undefined));
  const error = odata.success ? odata.data.error : undefined;
  const requestId = error?.innerError?.["request-id"] ?? response.headers.get("request-id") ?? undefined;
  return new TokenRefusedError(summary, {
    method: requestMethod(context),
    path: new URL(requestUrl(context)).pathname,
    ...(error !== undefined ? { code: error.code, graphMessage: redactor.redact(error.message) } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  });
}
