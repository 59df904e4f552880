import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

/** A named middleware that hands the request on to the next one in the chain. */
export abstract class ChainLink implements Middleware {
  abstract readonly name: string;
  private next?: Middleware;

  setNext(next: Middleware): void {
    this.next = next;
  }

  abstract execute(context: Context): Promise<void>;

  /** Runs the rest of the chain. */
  protected forward(context: Context): Promise<void> {
    if (this.next === undefined) throw new Error(`the ${this.name} middleware is the last in the chain but does not send requests`);
    return this.next.execute(context);
  }
}
