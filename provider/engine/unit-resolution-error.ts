/** An entry that cannot be turned into a restore point; thrown before any session exists. */
export class UnitResolutionError extends Error {
  override readonly name = "UnitResolutionError";

  constructor(
    /** How the entry is named: `site https://...`, `mailbox adele@contoso.com`. */
    readonly label: string,
    problem: string,
  ) {
    super(`${label} ${problem}`);
  }
}
