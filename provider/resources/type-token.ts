/**
 * Program side: the type token a resource class carries as a static, the way generated Pulumi SDKs
 * do, so `@pulumi/policy`'s `validateResourceOfType` and `args.isType` recognise our dynamic
 * resources. The policy host knows a resource only by its token: it reads the class's static
 * `__pulumiType` and, failing that, asks `isInstance({ __pulumiType: token })`.
 */
import * as pulumi from "@pulumi/pulumi";

/** True when `obj` carries `type` as its `__pulumiType`: a resource instance (any copy of the package) or a policy host's probe. */
export function hasTypeToken(obj: unknown, type: string | undefined): boolean {
  return (
    type !== undefined &&
    type !== "" &&
    typeof obj === "object" &&
    obj !== null &&
    (obj as { __pulumiType?: unknown }).__pulumiType === type
  );
}

/** The base of every resource class of the package: its type token and an `isInstance` that honours it. */
export abstract class TypedResource extends pulumi.dynamic.Resource {
  /**
   * The class's Pulumi type token (`pulumi-nodejs:dynamic/m365-backup:<Name>`), as generated SDKs carry
   * it: `@pulumi/policy` matches `validateResourceOfType(<class>, …)` by it. Registration does not read it.
   */
  static readonly __pulumiType: string = "";

  /**
   * True when `obj` is a resource of the class this is called on (`SharePointProtectionPolicy.isInstance(x)`, say):
   * an instance from any copy of the package, or an object carrying its type token, as `@pulumi/policy` asks.
   */
  static override isInstance<T>(this: { readonly __pulumiType: string; prototype: T }, obj: unknown): obj is T {
    // Called unbound (as older policy SDKs did), there is no class to compare with.
    return hasTypeToken(obj, this?.__pulumiType);
  }
}
