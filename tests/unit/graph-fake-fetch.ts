/** Test helpers for the Graph client tests: a scripted fake `fetch` that records every request. */

/** A request as the fake transport saw it (header names lower case). */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  redirect?: string;
}

type Reply = Response | Error | DOMException | ((request: RecordedRequest) => Response);

/** A fake `fetch` answering from a script, in order, and failing loudly when the script runs out. */
export function scriptedFetch(...replies: Reply[]): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const queue = [...replies];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const text = typeof init?.body === "string" ? init.body : undefined;
    const request: RecordedRequest = {
      method: init?.method ?? "GET",
      url: String(input),
      headers,
      ...(text !== undefined ? { body: JSON.parse(text) } : {}),
      ...(init?.redirect !== undefined ? { redirect: init.redirect } : {}),
    };
    requests.push(request);
    const reply = queue.shift();
    if (reply === undefined) throw new Error(`unexpected request ${request.method} ${request.url}`);
    if (reply instanceof Response) return reply;
    if (typeof reply === "function") return reply(request);
    throw reply;
  };
  return { fetch: fake as typeof fetch, requests };
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** A Graph OData error response. */
export function graphError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): Response {
  return json(status, { error: { code, message, innerError: { "request-id": requestId, date: "2026-11-28T21:03:00" } } }, headers);
}

/** A `sleep` that waits for nothing and records each requested wait; `now` is a clock that only its waits move. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[]; now: () => number } {
  const waits: number[] = [];
  let clock = Date.now();
  return {
    waits,
    now: () => clock,
    sleep: async (ms: number) => {
      waits.push(ms);
      clock += ms;
    },
  };
}

/** The fetch failure undici raises when nothing listens on the port. */
export function connectionRefused(): Error {
  return new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED" }) });
}

/** A session as Graph returns it. */
export function sessionBody(id: string, status = "draft"): Record<string, unknown> {
  return { "@odata.type": "#microsoft.graph.sharePointRestoreSession", id, status, restoreJobType: "standard" };
}
