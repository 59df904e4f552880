import { setTimeout as delay } from "node:timers/promises";
import { Client } from "@microsoft/microsoft-graph-client";
import type { Settings } from "../config";
import { AuthMiddleware } from "./auth-middleware";
import { BackupRestoreClient, type GraphClient } from "./client";
import { GraphRequester } from "./requester";
import { LogMiddleware } from "./log-middleware";
import { SecretRedactor } from "./redact";
import { RequestIdMiddleware } from "./request-id-middleware";
import { RetryMiddleware, type Sleep } from "./retry-middleware";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";
import { throttleGateFor, type ThrottleGate } from "./throttle-gate";
import { ThrottleMiddleware } from "./throttle-middleware";
import { tokenSourceFor } from "./token-source";
import { TransportMiddleware } from "./transport-middleware";
import { assertGraphOrigin } from "./url-guard";

/** Seams for tests and embedding programs; all optional. */
export interface GraphClientOptions {
  /** Transport; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Receives one redacted line per retry, and per attempt unless `logRequests` is false. */
  log?: (line: string) => void;
  /** Log every attempt, not only retries (default true). */
  logRequests?: boolean;
  /** Waits between retries; defaults to a real, abortable timer. */
  sleep?: Sleep;
  /** Overrides of `DEFAULT_RETRY_POLICY`. */
  retry?: Partial<RetryPolicy>;
  /** Supplies bearer tokens instead of the configured credentials. */
  getToken?: () => Promise<string>;
  /** The shared throttle; defaults to the process-wide gate of the Graph origin. */
  throttle?: ThrottleGate;
}

const realSleep: Sleep = (ms, signal) => delay(ms, undefined, signal === undefined ? undefined : { signal });

/**
 * Builds the Graph client: the SDK with our chain request-id -> retry -> throttle -> auth ->
 * redacting log -> transport. Nothing signs in until the first request.
 */
export function createGraphClient(settings: Settings, options: GraphClientOptions = {}): GraphClient {
  // Refuse a plain-http or malformed endpoint before anything could carry a token to it.
  assertGraphOrigin(`${settings.graphEndpoint}/`, settings.graphEndpoint);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const log = options.log ?? (() => undefined);
  const redactor = new SecretRedactor();
  for (const secret of secretsOf(settings)) redactor.add(secret);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...settings.retry, ...options.retry };
  const sleep = options.sleep ?? realSleep;
  const gate = options.throttle ?? throttleGateFor(settings.graphEndpoint);

  const tokens = tokenSourceFor(settings, { getToken: options.getToken, fetch: fetchImpl, redactor });

  const sdk = Client.initWithMiddleware({
    baseUrl: settings.graphEndpoint,
    defaultVersion: settings.apiVersion,
    middleware: [
      new RequestIdMiddleware(),
      new RetryMiddleware(policy, sleep, (line) => log(redactor.redact(line)), gate),
      new ThrottleMiddleware(gate),
      new AuthMiddleware(settings.graphEndpoint, tokens),
      new LogMiddleware(options.logRequests === false ? () => undefined : log, redactor),
      new TransportMiddleware(fetchImpl),
    ],
  });
  const requester = new GraphRequester(sdk, settings, redactor, policy, (line) => log(redactor.redact(line)));
  return new BackupRestoreClient(requester, policy);
}

function secretsOf(settings: Settings): (string | undefined)[] {
  const credentials = settings.credentials;
  switch (credentials.kind) {
    case "accessToken":
      return [credentials.token];
    case "clientSecret":
      return [credentials.clientSecret];
    case "clientCertificate":
      return [credentials.certificatePassword];
    case "oidc":
      return [credentials.token];
    default:
      return [];
  }
}
