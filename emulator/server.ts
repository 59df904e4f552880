/** The real HTTPS transport: Node's `https` server in front of the dispatcher. */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Readable } from "node:stream";
import type { Dispatcher } from "./dispatcher";

/** A listening server and how to stop it. */
export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** Listens on `host:port` with the given certificate and serves every request through `dispatcher`. */
export async function listen(options: {
  host: string;
  port: number;
  cert: string;
  key: string;
  dispatcher: Dispatcher;
  baseUrl: (port: number) => string;
}): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  let port = 0;
  const server = https.createServer({ cert: options.cert, key: options.key }, (req, res) => {
    void serve(req, res, options.dispatcher, options.baseUrl(port));
  });
  server.on("secureConnection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  port = typeof address === "object" && address ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging (timeout-fault) requests and keep-alive sockets would keep close() waiting forever.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, dispatcher: Dispatcher, baseUrl: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const request = new Request(new URL(req.url ?? "/", baseUrl), {
    method: req.method,
    headers,
    body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
  });
  const result = await dispatcher.dispatch(request);
  if (result.kind === "reset") {
    req.socket.destroy();
    return;
  }
  if (result.kind === "hang") return;
  const { response } = result;
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (response.body) Readable.fromWeb(response.body as import("node:stream/web").ReadableStream).pipe(res);
  else res.end();
}
