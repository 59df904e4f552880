/** Program-side lookup functions: protection units, restore points and the service status, each in promise and output form. */
export * from "./protection-units";
export * from "./restore-points";
export * from "./service-status";
export type * from "./types";
export { LookupArgumentError } from "./lookup-argument-error";
