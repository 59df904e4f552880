/**
 * The engine harness: a stand-in for the `pulumi` CLI's engine (engine.ts), the gRPC client it
 * drives the real `@pulumi/pulumi` dynamic-provider host with (host-client.ts). The demo, the tests
 * and the benchmarks import it from here; it imports nothing of provider/, because it reaches the
 * package only through the host and the program, as the CLI does.
 */
export * from "./engine";
export * from "./host-client";
export * from "./policy-host";
