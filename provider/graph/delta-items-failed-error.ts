import type { DeltaResult, UnitDeltaResult } from "../schemas/wire";
import { GraphRequestError } from "./graph-request-error";

const DELTA_ITEMS_FAILED_BRAND = Symbol.for("pulumi-m365-backup.DeltaItemsFailedError");

/** One element of a delta PATCH that Graph refused inside a 200 response. */
export interface DeltaItemFailure {
  contentId?: string;
  restorePointId?: string;
  artifactId?: string;
  /** A protection unit's key (site id, directory object id), for a unit the PATCH was to add. */
  unitKey?: string;
  /** A protection unit's id, for a unit the PATCH was to remove. */
  unitId?: string;
  code?: string;
  message?: string;
  responseCode?: number;
}

/**
 * A `<artifacts>@delta` or `<units>@delta` PATCH answered 200 but some elements carry
 * `@Core.DataModificationException`; `succeeded` holds the elements that did apply.
 */
export class DeltaItemsFailedError extends GraphRequestError {
  override readonly name = "DeltaItemsFailedError";
  readonly failures: DeltaItemFailure[];
  readonly succeeded: (DeltaResult | UnitDeltaResult)[];

  constructor(fields: { path: string; requestId?: string; failures: DeltaItemFailure[]; succeeded: (DeltaResult | UnitDeltaResult)[] }) {
    super({
      method: "PATCH",
      path: fields.path,
      status: 200,
      code: fields.failures[0]?.code,
      requestId: fields.requestId,
      retryable: false,
      graphMessage: `${fields.failures.length} of ${fields.failures.length + fields.succeeded.length} items failed: ${fields.failures
        .map(describeFailure)
        .join("; ")}`,
    });
    this.failures = fields.failures;
    this.succeeded = fields.succeeded;
    Object.defineProperty(this, DELTA_ITEMS_FAILED_BRAND, { value: true });
  }
}

function describeFailure(failure: DeltaItemFailure): string {
  const subject = failure.artifactId ?? failure.unitKey ?? failure.unitId ?? failure.restorePointId ?? failure.contentId ?? "item";
  const status = failure.responseCode === undefined ? "" : ` ${failure.responseCode}`;
  return `${subject}${status} ${failure.code ?? "UnknownError"}${failure.message === undefined ? "" : ` ${failure.message}`}`;
}

/** True for a `DeltaItemsFailedError` from any copy of this package. */
export function isDeltaItemsFailedError(error: unknown): error is DeltaItemsFailedError {
  return error instanceof Error && (error as unknown as Record<symbol, unknown>)[DELTA_ITEMS_FAILED_BRAND] === true;
}
