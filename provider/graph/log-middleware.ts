import type { Context } from "@microsoft/microsoft-graph-client";
import { callState, requestMethod, requestUrl } from "./call-state";
import { ChainLink } from "./chain-link";
import { describeUrl, type SecretRedactor } from "./redact";
import { TransportError } from "./transport-error";

/**
 * Logs one line per attempt: method, URL with query values masked, status, duration and
 * client-request-id. Never headers, never bodies; every line passes through the redactor.
 */
export class LogMiddleware extends ChainLink {
  readonly name = "redacting-log";

  constructor(
    private readonly log: (line: string) => void,
    private readonly redactor: SecretRedactor,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const started = Date.now();
    const request = `${requestMethod(context)} ${describeUrl(requestUrl(context))}`;
    const id = callState(context).clientRequestId;
    const suffix = (): string => `in ${Date.now() - started} ms${id === undefined ? "" : ` (client-request-id ${id})`}`;
    try {
      await this.forward(context);
    } catch (error) {
      const what = error instanceof TransportError ? error.code : error instanceof Error ? error.name : "error";
      this.write(`${request} -> failed: ${what} ${suffix()}`);
      throw error;
    }
    const response = context.response as Response | undefined;
    const requestId = response?.headers.get("request-id");
    this.write(`${request} -> ${response?.status ?? "no response"} ${suffix()}${requestId ? ` request-id ${requestId}` : ""}`);
  }

  private write(line: string): void {
    this.log(this.redactor.redact(line));
  }
}
