/**
 * Compile-time proof that the zod schemas produce exactly the public output interfaces, which are
 * written out by hand so that the published declarations never reference zod. It sits at the top,
 * beside index.ts, because it reads both sides (the engine's state, the program's outputs) and
 * neither side should import the other.
 */
import type { ReportArtifact } from "./report";
import type * as Public from "./resources/outputs";
import type { MailboxQuery } from "./schemas/inputs/restore-session";
import type { StatusWait } from "./schemas/inputs/protection-policy";
import type { ArtifactCount, IdentitySet, PublicError, RetentionSetting, TimePeriod } from "./schemas/wire";
import type { BulkJobState, RuleState, UnitState } from "./engine/protection-policy/state";
import type { ArtifactState, SessionState } from "./engine/restore-session/state";

/** Mutually assignable and with the same keys: optional properties alone would let a dropped field pass. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;

/** Each entry fails to compile if a schema and its public interface disagree. */
export const PUBLIC_TYPES_MATCH_SCHEMAS: [
  Same<IdentitySet, Public.IdentitySet>,
  Same<PublicError, Public.PublicError>,
  Same<ArtifactCount, Public.ArtifactCount>,
  Same<TimePeriod, Public.TimePeriod>,
  Same<MailboxQuery, Public.MailboxQuery>,
  Same<ArtifactState, Public.RestoreArtifactOutput>,
  Same<NonNullable<SessionState["bulkRestore"]>, Public.BulkRestoreOutput>,
  Same<NonNullable<SessionState["bulkRequest"]>, Public.BulkRequestOutput>,
  // The drill report reads a subset of what the state stores.
  ArtifactState extends ReportArtifact ? true : false,
  Same<RetentionSetting, Public.RetentionSetting>,
  Same<StatusWait, Public.StatusWait>,
  Same<UnitState, Public.ProtectionUnitOutput>,
  Same<RuleState, Public.InclusionRuleOutput>,
  Same<BulkJobState, Public.BulkJobOutput>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true];
