/** An argument a lookup function (or the finder CLI) cannot use; thrown before any Graph request. */
export class LookupArgumentError extends TypeError {
  override readonly name = "LookupArgumentError";
  constructor(
    /** The argument's name, e.g. `protectionUnitIds`. */
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}
