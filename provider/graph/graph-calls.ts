/**
 * What every group of typed Graph calls shares: the requester, the retry budget that bounds
 * reconcile-before-retry, creates that recognise what an ambiguous POST made, deletes that treat
 * 404 as done, and the reading of delta answers.
 */
import type { GraphSession } from "../schemas/wire";
import { GraphCallState } from "./call-state";
import { GraphRequestError } from "./graph-request-error";
import { createdByAttempt, writeOnce, type OnceWrite } from "./reconcile";
import type { Answer, GraphRequester } from "./requester";
import type { RetryPolicy } from "./retry-policy";

/** What Graph records of who made an object and when: enough to find what one attempt created. */
type Created = Pick<GraphSession, "createdBy" | "createdDateTime"> & { id: string };

/** One POST that creates an object, and how to recognise that object after an ambiguous failure. */
export interface CreateOnce<T> {
  /** The write in words, for log lines and errors ("create of a SharePoint restore session"). */
  what: string;
  /** The object's noun, singular and plural ("session", "sessions"). */
  noun: readonly [string, string];
  /** Sends the POST; `state` learns which application the token names. */
  post: (state: GraphCallState) => Promise<T>;
  /** The collection the object would be in, as Graph lists it now. */
  list: () => Promise<T[]>;
  /** Whether an object this application created during the attempt is exactly the one asked for (cheap checks first). */
  isThisOne: (candidate: T) => boolean | Promise<boolean>;
}

/** The base of the typed call groups (restore sessions, protection policies) of one Graph client. */
export abstract class GraphCalls {
  constructor(
    protected readonly requester: GraphRequester,
    protected readonly retryPolicy: RetryPolicy,
  ) {}

  protected get log(): (line: string) => void {
    return this.requester.log;
  }

  /** Sends a write that is not safe to repeat, reconciling before any retry, within the retry budget. */
  protected once<T>(write: OnceWrite<T>): Promise<T> {
    return writeOnce(write, this.log, this.retryPolicy.totalBudgetMs);
  }

  /** The application id the last token sent names (to recognise what this application created); undefined before any request. */
  applicationId(): string | undefined {
    return this.requester.applicationId();
  }

  /**
   * Creates an object exactly once. After an ambiguous failure it lists the collection: the one
   * object this application created within the attempt's time window that `isThisOne` recognises is
   * adopted; none means Graph did not act, so the POST is sent again; several fail, naming them.
   */
  protected createOnce<T extends Created>(create: CreateOnce<T>): Promise<T> {
    const [one, many] = create.noun;
    let state = new GraphCallState();
    return this.once<T>({
      what: create.what,
      send: async () => {
        state = new GraphCallState();
        return create.post(state);
      },
      settle: async (_failure, attempt) => {
        if (state.callerAppId === undefined)
          return { kind: "unknown", note: `the ${one} may have been created; the token names no application, so it cannot be looked up` };
        const matches: T[] = [];
        const made = createdByAttempt(await create.list(), state.callerAppId, attempt, this.requester.serviceClockOffsetMs());
        for (const candidate of made) if (await create.isThisOne(candidate)) matches.push(candidate);
        if (matches.length > 1) {
          const ids = matches.map((m) => m.id).join(", ");
          return {
            kind: "unknown",
            note: `the ${one} may have been created, and ${matches.length} ${many} match it (${ids}); adopting none`,
          };
        }
        return matches.length === 1 ? { kind: "applied", result: matches[0]! } : { kind: "notApplied" };
      },
    });
  }

  /** DELETE; a 404 means it is already gone. */
  protected async remove(path: string): Promise<"deleted" | "notFound"> {
    try {
      await this.requester.call("DELETE", { path });
      return "deleted";
    } catch (error) {
      if (error instanceof GraphRequestError && error.status === 404) return "notFound";
      throw error;
    }
  }
}

/** The elements of a delta answer: listed as `value`, under the delta property, or bare; a 204 lists none. */
export function deltaList(answer: Answer, property: string): unknown {
  const body = answer.body as Record<string, unknown> | unknown[] | undefined;
  return body === undefined ? [] : Array.isArray(body) ? body : (body.value ?? body[property]);
}

/** The request item a result answers: by numeric `@contentId` (1-based) when given, else by position. */
export function requestedItem<T>(delta: readonly T[], contentId: string | undefined, position: number): T | undefined {
  const index = contentId !== undefined && /^\d+$/.test(contentId) ? Number(contentId) - 1 : position;
  return delta[index];
}
