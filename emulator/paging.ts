/** Server-driven paging with `@odata.nextLink` and an opaque `$skiptoken`, as Graph does. */
import { GraphHttpError } from "./errors";
import type { RouteContext } from "./context";

/** Default and largest page sizes. */
export const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 999;

/** One page of `items` for this request, with an absolute `@odata.nextLink` when more remain. */
export function page<T>(request: Request, context: RouteContext, items: T[], contextUrl: string): Record<string, unknown> {
  const offset = decodeSkipToken(context.query.get("$skiptoken"));
  const size = pageSize(context.query.get("$top"));
  const value = items.slice(offset, offset + size);
  const body: Record<string, unknown> = { "@odata.context": contextUrl, value };
  if (offset + size < items.length) {
    const query = [...context.query].filter(([key]) => key !== "$skiptoken");
    query.push(["$skiptoken", Buffer.from(`offset:${offset + size}`).toString("base64url")]);
    // Written by hand because URLSearchParams would escape the `$` that Graph leaves literal.
    const search = query.map(([key, val]) => `${encodeQueryPart(key)}=${encodeQueryPart(val)}`).join("&");
    body["@odata.nextLink"] = `${context.tenant.baseUrl()}${new URL(request.url).pathname}?${search}`;
  }
  return body;
}

function pageSize(top: string | null): number {
  if (top === null) return DEFAULT_PAGE_SIZE;
  const n = Number(top);
  if (!Number.isInteger(n) || n < 1) throw new GraphHttpError(400, "BadRequest", `Invalid value '${top}' for query option $top.`);
  return Math.min(n, MAX_PAGE_SIZE);
}

function decodeSkipToken(token: string | null): number {
  if (token === null) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!match) throw new GraphHttpError(400, "BadRequest", "The $skiptoken is not valid.");
  return Number(match[1]);
}

function encodeQueryPart(value: string): string {
  return encodeURIComponent(value).replace(/%24/g, "$");
}
