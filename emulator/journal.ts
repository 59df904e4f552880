/** The request journal tests read: what came in and how it ended. Credentials are redacted. */

/** How a request ended. */
export type JournalOutcome = "response" | "fault" | "malformed" | "reset-before" | "reset-after" | "timeout";

/** One journaled request. */
export interface JournalEntry {
  /** Virtual time the request arrived. */
  time: string;
  requestId: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON, form fields (secrets redacted), raw text, or undefined when empty. */
  body: unknown;
  /** HTTP status sent; undefined when no response was sent. */
  status?: number;
  outcome: JournalOutcome;
  /**
   * The emulator's own time handling the request, in real milliseconds (`performance.now()`),
   * excluding added latency and fault delays: a lower bound for what a client waited. The emulator
   * always sets it; it is optional only so entries made by hand (test fixtures) stay valid.
   */
  handlingMs?: number;
}

const REDACTED = "[redacted]";
const SECRET_FORM_FIELDS = ["client_secret", "client_assertion"];

/** An append-only list of journal entries. */
export class Journal {
  private list: JournalEntry[] = [];

  /** Records an entry. */
  record(entry: JournalEntry): void {
    this.list.push(entry);
  }

  /** A copy of all entries, oldest first. */
  entries(): JournalEntry[] {
    return this.list.map((e) => ({ ...e }));
  }

  /** Forgets all entries. */
  clear(): void {
    this.list = [];
  }
}

/** Request headers with the bearer token replaced, so tests see that one was sent but never its value. */
export function journalHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    result[name] = name === "authorization" ? value.replace(/^(\S+)\s+.*$/, `$1 ${REDACTED}`) : value;
  });
  return result;
}

/** A request body as the journal keeps it. */
export function journalBody(text: string, contentType: string | null): unknown {
  if (text.length === 0) return undefined;
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    const form = Object.fromEntries(new URLSearchParams(text));
    for (const field of SECRET_FORM_FIELDS) if (field in form) form[field] = REDACTED;
    return form;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
