/**
 * What every group of typed Graph calls shares: the requester, the retry budget that bounds
 * reconcile-before-retry, deletes that treat 404 as done, and the reading of delta answers.
 */
import { GraphRequestError } from "./graph-request-error";
import { writeOnce, type OnceWrite } from "./reconcile";
import type { Answer, GraphRequester } from "./requester";
import type { RetryPolicy } from "./retry-policy";

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
