/**
 * The test-side entry to the dynamic-provider host client; the code lives in demo/host-client.ts so
 * the demo harness (compiled into dist/demo) can use it without importing tests/.
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
} from "../../demo/host-client";
