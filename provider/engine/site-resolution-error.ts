/** A site entry that cannot be turned into a restore point; thrown before any session exists. */
export class SiteResolutionError extends Error {
  override readonly name = "SiteResolutionError";

  constructor(
    readonly site: string,
    problem: string,
  ) {
    super(`site ${site} ${problem}`);
  }
}
