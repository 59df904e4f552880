/** What differs between workloads and object kinds, as data (see workloads.ts), and Graph's limits. */
export * from "./workloads";
export { LIMITS } from "./limits";
