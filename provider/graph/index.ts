/** The Microsoft Graph backupRestore client: pipeline, credentials and errors. No Pulumi imports. */
export { createGraphClient, type GraphClientOptions } from "./pipeline";
export {
  MAX_DELTA_ITEMS_PER_PATCH,
  MAX_PROTECTION_UNITS_PER_SEARCH,
  NO_LONGER_DRAFT,
  type ArtifactDelta,
  type ArtifactSpec,
  type BulkJobBody,
  type BulkRequestBody,
  type GranularArtifactSpec,
  type GraphClient,
  type PolicyBody,
  type PolicyChange,
  type RestorePointSearchRequest,
  type RuleBody,
  type SessionContents,
  type UnitDelta,
} from "./client";
export { ArtifactWithoutRestorePointError, FailedLooks, mayHaveActed, MAX_FAILED_LOOKS } from "./reconcile";
export { GraphRequestError, isGraphRequestError } from "./graph-request-error";
export { DeltaItemsFailedError, isDeltaItemsFailedError, type DeltaItemFailure } from "./delta-items-failed-error";
export { UnsafeUrlError } from "./unsafe-url-error";
export { CredentialError } from "./credential-error";
export { TokenRefusedError } from "./token-refused-error";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";
export type { Sleep } from "./retry-middleware";
export { MAX_CONCURRENT_REQUESTS, ThrottleGate, throttleGateFor } from "./throttle-gate";
export type {
  DeltaResult,
  GraphArtifact,
  GraphBulkJob,
  GraphBulkRequest,
  GraphPolicy,
  GraphRule,
  GraphSession,
  ListedRestoreSession,
  ProtectionUnit,
  RestorePoint,
  RestorePointSearchResponse,
  ServiceStatus,
  UnitDeltaResult,
} from "../schemas/wire";
