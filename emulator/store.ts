/**
 * The mutable part of the tenant: restore sessions, their artifacts and bulk addition requests,
 * plus the outcomes tests chose for artifacts. Plain JSON-able data, so persistence is a dump.
 */

/** The calling application, as recorded in createdBy / lastModifiedBy. */
export interface AppIdentity {
  id: string;
  displayName: string;
}

/** An artifact as stored; its status is derived from the clock (see progress.ts). */
export interface StoredArtifact {
  id: string;
  restorePointId: string;
  protectionMs: number;
  siteId: string;
  destinationType: "new" | "inPlace";
  /** Position in activation order; drives the staggered schedule. */
  ordinal?: number;
  /** For `new` destinations: the n in `<site>-restored-<n>`, fixed at activation. */
  restoredNumber?: number;
  /** Frozen the first time the artifact is seen finished. */
  outcome?: "succeeded" | "failed";
}

/** A bulk addition request as stored. */
export interface StoredBulkRequest {
  id: string;
  displayName?: string;
  destinationType: "new" | "inPlace";
  siteIds: string[];
  siteWebUrls: string[];
  protectionTimePeriod?: { startDateTime?: string; endDateTime?: string };
  restorePointPreference: "latest" | "oldest";
  tags?: string;
  createdDateTime: string;
  createdBy: AppIdentity;
  lastModifiedDateTime: string;
  /** Set at activation, when the sites are resolved to artifacts. */
  resolution?: { status: "completed" | "completedWithErrors"; unresolved: string[]; at: string };
}

/** A restore session as stored. */
export interface StoredSession {
  id: string;
  restoreJobType: "standard" | "bulk";
  createdDateTime: string;
  createdBy: AppIdentity;
  lastModifiedDateTime: string;
  lastModifiedBy: AppIdentity;
  activatedDateTime?: string;
  artifacts: StoredArtifact[];
  bulkRequests: StoredBulkRequest[];
}

/** Everything persisted between runs. */
export interface StoreSnapshot {
  sessions: StoredSession[];
  outcomes: Record<string, "succeeded" | "failed">;
  restoredCounters: Record<string, number>;
}

/** In-memory store of sessions and test-chosen outcomes. */
export class SessionStore {
  private sessions = new Map<string, StoredSession>();
  /** Outcome per restore-point id or site id, chosen by tests; default is success. */
  outcomes: Record<string, "succeeded" | "failed"> = {};
  /** Per original site: how many `new` restores were numbered so far. */
  restoredCounters: Record<string, number> = {};

  /** All sessions in creation order. */
  list(): StoredSession[] {
    return [...this.sessions.values()];
  }

  /** One session by id (case-insensitive, as Graph ids are). */
  get(id: string): StoredSession | undefined {
    return this.sessions.get(id.toLowerCase());
  }

  /** Adds a new session. */
  add(session: StoredSession): void {
    this.sessions.set(session.id.toLowerCase(), session);
  }

  /** Removes a session; true when it existed. */
  delete(id: string): boolean {
    return this.sessions.delete(id.toLowerCase());
  }

  /** Next restored-site number for a site (`<name>-restored-<n>`). */
  nextRestoredNumber(siteId: string): number {
    const next = (this.restoredCounters[siteId] ?? 0) + 1;
    this.restoredCounters[siteId] = next;
    return next;
  }

  /** A JSON-able copy of the whole store. */
  snapshot(): StoreSnapshot {
    return structuredClone({ sessions: this.list(), outcomes: this.outcomes, restoredCounters: this.restoredCounters });
  }

  /** Replaces the whole store with a snapshot. */
  restore(snapshot: StoreSnapshot): void {
    this.sessions = new Map(snapshot.sessions.map((s) => [s.id.toLowerCase(), s]));
    this.outcomes = { ...snapshot.outcomes };
    this.restoredCounters = { ...snapshot.restoredCounters };
  }
}
