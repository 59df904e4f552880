/**
 * Serves a fetch-style handler (`Request -> Response | undefined`) over real HTTPS on 127.0.0.1,
 * so clients that insist on a network (MSAL inside @azure/identity) can talk to in-process code.
 */
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A running HTTPS server and the requests it has seen, as "METHOD /path?query". */
export interface ServedHandler {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Starts an HTTPS server on an ephemeral port; unhandled requests (handler returned undefined) get 404. */
export async function serveHandler(
  handler: (request: Request) => Promise<Response | undefined>,
  tls: { cert: string; key: string },
): Promise<ServedHandler> {
  const requests: string[] = [];
  let origin = "";
  const server = createServer(tls, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    toFetchRequest(req, origin)
      .then(handler)
      .then((response) => writeResponse(res, response ?? new Response("not found", { status: 404 })))
      .catch((error: unknown) => writeResponse(res, new Response(String(error), { status: 500 })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function toFetchRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(`${origin}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  res.end(body);
}
