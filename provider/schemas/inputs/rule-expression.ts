/**
 * The two expression languages of inclusion rules, as Graph documents them: site keyword
 * expressions (`((displayName -contains 'Finance') -or (webUrl -contains 'Legal'))`, optionally
 * `-and (lastModifiedDateTime -ge '2024-02-26T11:36:20Z')`) and group membership expressions
 * (`(memberOf -any (group.id -in ['…', '…']))`).
 *
 * A rule is identified by what it matches, not by its text: two spellings of one site expression
 * (extra spaces, redundant parentheses, property names in another case) and one group set in any
 * order are the same rule. That is how the program's rules are matched to the rules Graph lists.
 */
import { LIMITS } from "../../workloads";

/** A site expression that parsed: its canonical text (what is sent to Graph) and its keywords. */
export interface SiteExpression {
  canonical: string;
  keywords: string[];
}

/** Why a site expression did not parse, in words for a check failure. */
export class SiteExpressionError extends Error {
  override readonly name = "SiteExpressionError";
}

type Comparison = { kind: "comparison"; property: string; operator: string; value: string };
type Sequence = { kind: "sequence"; operator?: "-or" | "-and"; items: Node[] };
type Node = Comparison | Sequence;

/** The documented comparisons: property (in its documented spelling) → the one operator it takes. */
const COMPARISONS: Record<string, { property: string; operator: string }> = {
  displayname: { property: "displayName", operator: "-contains" },
  weburl: { property: "webUrl", operator: "-contains" },
  lastmodifieddatetime: { property: "lastModifiedDateTime", operator: "-ge" },
};
const EXAMPLE = "((displayName -contains 'Finance') -or (webUrl -contains 'Legal'))";

/** Parses a site expression in the documented grammar; throws `SiteExpressionError` saying what is wrong. */
export function parseSiteExpression(text: string): SiteExpression {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => tokens[position++];
  const fail = (why: string): never => {
    throw new SiteExpressionError(`${why}; write it like ${EXAMPLE}`);
  };

  function sequence(): Sequence {
    const items: Node[] = [operand()];
    let operator: "-or" | "-and" | undefined;
    while (peek() !== undefined && peek() !== ")") {
      const logic = next()!.toLowerCase();
      if (logic !== "-or" && logic !== "-and") fail(`expected -or or -and, found ${JSON.stringify(tokens[position - 1])}`);
      if (operator !== undefined && operator !== logic) fail("mixes -or and -and at one level; add parentheses");
      operator = logic as "-or" | "-and";
      items.push(operand());
    }
    return { kind: "sequence", operator, items };
  }

  function operand(): Node {
    if (next() !== "(")
      fail(`expected "(" ${position > tokens.length ? "but the expression ended" : `before ${JSON.stringify(tokens[position - 1])}`}`);
    const inner = peek() === "(" ? sequence() : comparison();
    if (next() !== ")") fail("a parenthesis is not closed");
    return inner;
  }

  function comparison(): Comparison {
    const [name, operator, value] = [next(), next(), next()];
    const known = name === undefined ? undefined : COMPARISONS[name.toLowerCase()];
    if (known === undefined)
      fail(`${JSON.stringify(name ?? "")} is not a documented site property (displayName, webUrl, lastModifiedDateTime)`);
    if (operator?.toLowerCase() !== known!.operator) fail(`${known!.property} takes the operator ${known!.operator}`);
    if (value === undefined || !value.startsWith("'")) fail(`${known!.property} ${known!.operator} takes a value in single quotes`);
    const unquoted = value!.slice(1, -1);
    if (known!.operator === "-ge" && (!/^\d{4}-\d\d-\d\dT/.test(unquoted) || Number.isNaN(Date.parse(unquoted)))) {
      fail(`lastModifiedDateTime -ge takes an ISO 8601 date and time, like '2024-02-26T11:36:20Z'`);
    }
    return { kind: "comparison", property: known!.property, operator: known!.operator, value: unquoted };
  }

  if (tokens.length === 0) fail("is empty");
  // A single comparison may come without its parentheses.
  const root: Node = tokens[0] !== "(" ? comparison() : sequence();
  if (position < tokens.length) fail(`unexpected ${JSON.stringify(tokens[position])}`);
  const keywords = comparisons(root)
    .filter((c) => c.operator === "-contains")
    .map((c) => c.value);
  return { canonical: render(root), keywords };
}

/** The problems of a site expression against Graph's limits (keyword count and length), in words. */
export function siteExpressionProblems(expression: SiteExpression): string[] {
  const { max, minLength, maxLength } = LIMITS.siteRuleKeywords;
  const problems: string[] = [];
  if (expression.keywords.length > max)
    problems.push(`uses ${expression.keywords.length} keywords; a rule takes at most ${max}, so split it over several rules`);
  for (const keyword of expression.keywords) {
    if (keyword.length < minLength || keyword.length > maxLength) {
      problems.push(
        `keyword ${JSON.stringify(keyword.length > 40 ? `${keyword.slice(0, 40)}…` : keyword)} must be ${minLength} to ${maxLength} characters`,
      );
    }
  }
  return problems;
}

/** The group membership expression Graph documents for OneDrive and mailbox rules. */
export function groupExpression(groupIds: readonly string[]): string {
  return `(memberOf -any (group.id -in [${groupIds.map((id) => `'${id}'`).join(", ")}]))`;
}

/** The group ids a membership expression names, or undefined when it is not one. */
export function groupIdsOf(expression: string | undefined): string[] | undefined {
  const match = /^\(\s*memberOf\s+-any\s+\(\s*group\.id\s+-in\s+\[([^\]]*)\]\s*\)\s*\)$/i.exec((expression ?? "").trim());
  if (!match) return undefined;
  return match[1]!
    .split(",")
    .map((part) => part.trim().replace(/^'(.*)'$/, "$1"))
    .filter((id) => id !== "");
}

/**
 * What a rule matches, as a comparable key: the canonical site expression, or the set of groups
 * and whether the rule is dynamic. An expression that does not parse compares by its text.
 */
export function ruleKey(kind: "siteKeywords" | "groupMembership", expression: string | undefined, autoApply: boolean): string {
  if (kind === "groupMembership") {
    const groups = groupIdsOf(expression);
    const what =
      groups === undefined
        ? `text:${squeeze(expression)}`
        : `groups:${groups
            .map((id) => id.toLowerCase())
            .sort()
            .join(",")}`;
    return `${what}|${autoApply ? "dynamic" : "static"}`;
  }
  try {
    return `site:${parseSiteExpression(expression ?? "").canonical}`;
  } catch {
    return `text:${squeeze(expression)}`;
  }
}

function squeeze(text: string | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").trim();
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(\(|\)|'[^']*'?|[^\s()']+)/gy;
  let end = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const token = match[1]!;
    if (token.startsWith("'") && (token.length === 1 || !token.endsWith("'"))) {
      throw new SiteExpressionError("a quoted value is not closed (values cannot contain single quotes)");
    }
    tokens.push(token);
    end = pattern.lastIndex;
  }
  // A sticky pattern stops at the first character it cannot read; only whitespace may follow.
  if (text.slice(end).trim() !== "") throw new SiteExpressionError(`cannot read ${JSON.stringify(text.slice(end, end + 20))}`);
  return tokens;
}

function comparisons(node: Node): Comparison[] {
  return node.kind === "comparison" ? [node] : node.items.flatMap(comparisons);
}

/** Canonical text: every comparison and every group in one pair of parentheses, single spaces. */
function render(node: Node): string {
  if (node.kind === "comparison") return `(${node.property} ${node.operator} '${node.value}')`;
  if (node.items.length === 1) return render(node.items[0]!);
  return `(${node.items.map(render).join(` ${node.operator} `)})`;
}
