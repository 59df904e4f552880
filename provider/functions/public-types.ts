/**
 * Compile-time proof that the wire schemas produce exactly the lookup functions' result
 * interfaces, which are written out by hand so that the published declarations never reference zod.
 */
import type { ProtectionUnit, RestorePoint, ServiceStatus } from "../schemas/wire";
import type * as Public from "./types";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The fields Graph sends on any protection unit, whatever its workload. */
type AnyUnit = Omit<ProtectionUnit, "@odata.type">;
type SiteFields = "siteId" | "siteName" | "siteWebUrl";
type UserFields = "directoryObjectId" | "email" | "displayName";

/** Each entry fails to compile if a schema and its public interface disagree. */
export const FUNCTION_TYPES_MATCH_SCHEMAS: [
  Same<Omit<AnyUnit, UserFields>, Public.SiteProtectionUnit>,
  Same<Omit<AnyUnit, SiteFields>, Public.UserProtectionUnit>,
  Same<Omit<AnyUnit, SiteFields | UserFields>, Public.ProtectionUnitBase>,
  Same<Omit<RestorePoint, "protectionUnit"> & { protectionUnitId: string }, Public.RestorePointInfo>,
  Same<ServiceStatus, Public.BackupServiceStatus>,
] = [true, true, true, true, true];
