/**
 * Fault injection per route and method: error statuses (429 with Retry-After, 500, 503, 504),
 * latency, connection resets before or after processing, malformed bodies and requests that never
 * answer. A rule fires `times` times, with a `probability`, or as a per-application token bucket.
 */

/** One fault rule; unset matchers match everything. */
export interface FaultRule {
  method?: string;
  /** A route template (`/solutions/backupRestore/sharePointRestoreSessions/{id}`), a concrete path, or a RegExp tested on the full path. */
  path?: string | RegExp;
  /** Usually 429, 500, 503 or 504; any status is accepted (e.g. 403 to rehearse a refusal). */
  status?: number;
  code?: string;
  /** Sent as `Retry-After`; a 429 defaults to 1, and `null` sends no header at all (a bare throttle). */
  retryAfterSeconds?: number | null;
  latencyMs?: number;
  /** "before": the socket is destroyed unprocessed; "after": the request is processed, then the socket is destroyed. */
  reset?: "before" | "after";
  /** Answer with the real status but a truncated JSON body. */
  malformed?: boolean;
  /** Never answer (until the emulator closes or the client gives up). */
  timeout?: boolean;
  times?: number;
  probability?: number;
  /** A token bucket per calling application, refilled by the virtual clock; when empty: 429 with Retry-After. */
  rateLimit?: { perSecond: number; burst?: number };
}

/** What a fired rule asks the dispatcher to do. */
export interface FaultDecision {
  latencyMs: number;
  status?: number;
  code?: string;
  retryAfterSeconds?: number;
  reset?: "before" | "after";
  malformed?: boolean;
  timeout?: boolean;
}

/** The request facts rules match on (and a seeded draw source may key its draws on). */
export interface FaultTarget {
  method: string;
  /** Full path, with the version prefix. */
  path: string;
  /** Path after the version prefix. */
  graphPath: string;
  /** Template of the matched route, if any. */
  template?: string;
  appId: string;
  nowMs: number;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
  buckets: Map<string, { tokens: number; atMs: number }>;
}

/** The set of active fault rules. */
export class FaultSet {
  private rules: ActiveRule[] = [];

  /**
   * `random` draws for `FaultRule.probability`; it is given the request, so a seeded source can key
   * its draws on what was asked rather than on the order requests happen to arrive in.
   */
  constructor(private readonly random: (target: FaultTarget) => number = Math.random) {}

  /** Adds a rule; rules are tried in the order they were added and the first that fires wins. */
  add(rule: FaultRule): void {
    if (rule.rateLimit && !(rule.rateLimit.perSecond > 0)) throw new RangeError("rateLimit.perSecond must be positive");
    this.rules.push({ rule, remaining: rule.times ?? Infinity, buckets: new Map() });
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** The decision of the first rule that fires for this request, if any. */
  pick(target: FaultTarget): FaultDecision | undefined {
    for (const active of this.rules) {
      if (active.remaining <= 0 || !matches(active.rule, target)) continue;
      const decision = active.rule.rateLimit ? this.rateLimit(active, target) : this.fire(active, target);
      if (decision) return decision;
    }
    return undefined;
  }

  private fire(active: ActiveRule, target: FaultTarget): FaultDecision | undefined {
    const { rule } = active;
    if (rule.probability !== undefined && this.random(target) >= rule.probability) return undefined;
    active.remaining -= 1;
    return {
      latencyMs: rule.latencyMs ?? 0,
      status: rule.status,
      code: rule.code,
      retryAfterSeconds: rule.retryAfterSeconds === null ? undefined : (rule.retryAfterSeconds ?? (rule.status === 429 ? 1 : undefined)),
      reset: rule.reset,
      malformed: rule.malformed,
      timeout: rule.timeout,
    };
  }

  private rateLimit(active: ActiveRule, target: FaultTarget): FaultDecision | undefined {
    const { perSecond, burst = perSecond } = active.rule.rateLimit!;
    const bucket = active.buckets.get(target.appId) ?? { tokens: burst, atMs: target.nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + ((target.nowMs - bucket.atMs) / 1000) * perSecond);
    bucket.atMs = target.nowMs;
    active.buckets.set(target.appId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return {
      latencyMs: active.rule.latencyMs ?? 0,
      status: 429,
      code: active.rule.code ?? "TooManyRequests",
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)),
    };
  }
}

function matches(rule: FaultRule, target: FaultTarget): boolean {
  if (rule.method && rule.method.toUpperCase() !== target.method) return false;
  if (rule.path === undefined) return true;
  if (rule.path instanceof RegExp) return rule.path.test(target.path);
  const wanted = rule.path.toLowerCase();
  return [target.template, target.graphPath, target.path].some((candidate) => candidate?.toLowerCase() === wanted);
}

/** Default Graph error code for an injected status. */
export function faultCode(status: number): string {
  switch (status) {
    case 401:
      return "InvalidAuthenticationToken";
    case 429:
      return "TooManyRequests";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "GatewayTimeout";
    default:
      return "InternalServerError";
  }
}

/** Parses a rule given as JSON (CLI `--fault`); `{"path": {"regex": "..."}}` makes a RegExp. */
export function parseFaultRule(json: string): FaultRule {
  const raw = JSON.parse(json) as Omit<FaultRule, "path"> & { path?: string | { regex: string } };
  const path = typeof raw.path === "object" && raw.path !== null ? new RegExp(raw.path.regex) : raw.path;
  return { ...raw, path };
}
