/**
 * Inclusion rule expressions, as the rule resource pages document them:
 * - sites: comparisons joined by `-and` / `-or` with parentheses, on `displayName -contains '…'`,
 *   `webUrl -contains '…'` and `lastModifiedDateTime -ge '…'` (at most 10 keywords of 3–255 characters);
 * - drives and mailboxes: `(memberOf -any (group.id -in ['<group id>', …]))` (at most 100 group ids).
 * A parse error is the documented 400 InvalidRuleExpression; too many group ids the documented 413.
 */
import { LIMITS } from "../../provider/workloads";
import { GraphHttpError } from "../errors";

/** A site as a site expression sees it. */
export interface SiteFacts {
  displayName: string;
  webUrl: string;
  lastModifiedDateTime: string;
}

type SiteExpression =
  | { kind: "compare"; field: "displayName" | "webUrl"; contains: string }
  | { kind: "since"; at: number }
  | { kind: "and" | "or"; left: SiteExpression; right: SiteExpression };

/** Parses a site expression into a predicate over sites. */
export function parseSiteExpression(text: string): (site: SiteFacts) => boolean {
  const tokens = tokenize(text);
  let position = 0;
  const keywords: string[] = [];
  const peek = () => tokens[position];
  const take = () => tokens[position++];
  const expect = (token: string) => {
    if (take()?.toLowerCase() !== token) invalid(text, `expected '${token}'`);
  };
  const primary = (): SiteExpression => {
    if (peek() === "(") {
      take();
      const inner = disjunction();
      expect(")");
      return inner;
    }
    const field = take() ?? invalid(text, "expected a property");
    const operator = take()?.toLowerCase();
    const literal = take();
    if (literal === undefined || !literal.startsWith("'")) invalid(text, "expected a quoted value");
    const value = literal.slice(1, -1);
    if (/^lastModifiedDateTime$/i.test(field) && operator === "-ge") {
      const at = Date.parse(value);
      if (Number.isNaN(at)) invalid(text, `'${value}' is not a date`);
      return { kind: "since", at };
    }
    if (/^(displayName|webUrl)$/i.test(field) && operator === "-contains") {
      keywords.push(value);
      return { kind: "compare", field: field.toLowerCase() === "weburl" ? "webUrl" : "displayName", contains: value.toLowerCase() };
    }
    return invalid(text, `unsupported comparison '${field} ${operator}'`);
  };
  const conjunction = (): SiteExpression => {
    let left = primary();
    while (peek()?.toLowerCase() === "-and") {
      take();
      left = { kind: "and", left, right: primary() };
    }
    return left;
  };
  const disjunction = (): SiteExpression => {
    let left = conjunction();
    while (peek()?.toLowerCase() === "-or") {
      take();
      left = { kind: "or", left, right: conjunction() };
    }
    return left;
  };
  const expression = disjunction();
  if (position !== tokens.length) invalid(text, `unexpected '${peek()}'`);
  const { max, minLength, maxLength } = LIMITS.siteRuleKeywords;
  if (keywords.length > max) invalid(text, `at most ${max} keywords`);
  for (const keyword of keywords) {
    if (keyword.length < minLength || keyword.length > maxLength)
      invalid(text, `keyword '${keyword}' must have ${minLength}–${maxLength} characters`);
  }
  return (site) => evaluate(expression, site);
}

/** The group ids of a `(memberOf -any (group.id -in [...]))` expression. */
export function parseGroupExpression(text: string): string[] {
  const match = /^\s*\(\s*memberOf\s+-any\s+\(\s*group\.id\s+-in\s+\[(.*)\]\s*\)\s*\)\s*$/i.exec(text);
  if (!match) invalid(text, "expected (memberOf -any (group.id -in ['<group id>', ...]))");
  const items = match[1]!.split(",").map((item) => item.trim());
  if (items.some((item) => !/^'[^']+'$/.test(item))) invalid(text, "group ids must be quoted");
  const ids = items.map((item) => item.slice(1, -1).toLowerCase());
  if (ids.length > LIMITS.groupIdsPerExpression) {
    throw new GraphHttpError(
      413,
      "InvalidRuleExpressionGroupLimitExceeded",
      `An expression can name at most ${LIMITS.groupIdsPerExpression} group ids; this one names ${ids.length}.`,
    );
  }
  return ids;
}

function evaluate(expression: SiteExpression, site: SiteFacts): boolean {
  switch (expression.kind) {
    case "compare":
      return site[expression.field].toLowerCase().includes(expression.contains);
    case "since":
      return Date.parse(site.lastModifiedDateTime) >= expression.at;
    case "and":
      return evaluate(expression.left, site) && evaluate(expression.right, site);
    case "or":
      return evaluate(expression.left, site) || evaluate(expression.right, site);
  }
}

function tokenize(text: string): string[] {
  if ((text.match(/'/g) ?? []).length % 2 !== 0) invalid(text, "unbalanced quotes");
  return text.match(/'[^']*'|\(|\)|[^\s()']+/g) ?? [];
}

function invalid(text: string, why: string): never {
  throw new GraphHttpError(400, "InvalidRuleExpression", `The expression '${text}' isn't valid and can't be parsed: ${why}.`);
}
