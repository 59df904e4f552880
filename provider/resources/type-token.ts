/**
 * Program side: the type token a resource class carries as a static, the way generated Pulumi SDKs
 * do, so `@pulumi/policy`'s `validateResourceOfType` and `args.isType` recognise our dynamic
 * resources. The policy host knows a resource only by its token: it reads the class's static
 * `__pulumiType` and, failing that, asks `isInstance({ __pulumiType: token })`.
 */

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
