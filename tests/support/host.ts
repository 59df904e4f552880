/**
 * The test-side entry to the dynamic-provider host client, which lives in harness/ beside the
 * engine harness (the demo, the tests and the benchmarks share both).
 */
export {
  startHost,
  urnFor,
  secret,
  isSecret,
  revealSecrets,
  HostCallError,
  UNKNOWN,
  type Host,
  type HostOptions,
  type InitFailure,
  type CheckFailure,
  type DiffResult,
  type PropertyDiff,
  type SecretValue,
} from "../../harness";
