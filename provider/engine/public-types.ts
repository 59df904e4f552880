/**
 * Compile-time proof that the zod schemas produce exactly the public output interfaces, which are
 * written out by hand so that the published declarations never reference zod.
 */
import type * as Public from "../resource/outputs";
import type { ArtifactCount, IdentitySet, PublicError } from "../schemas/graph";
import type { ArtifactState } from "./state";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Each entry fails to compile if a schema and its public interface disagree. */
export const PUBLIC_TYPES_MATCH_SCHEMAS: [
  Same<IdentitySet, Public.IdentitySet>,
  Same<PublicError, Public.PublicError>,
  Same<ArtifactCount, Public.ArtifactCount>,
  Same<ArtifactState, Public.SiteRestoreArtifactOutput>,
] = [true, true, true, true];
