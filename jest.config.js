/** Tests by cost: unit (pure), mocks (setMocks), contract (emulator), host (real provider host). */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  testMatch: ["<rootDir>/tests/**/*.test.ts"],
  testTimeout: 60000,
  // Most suites wait on child processes (provider hosts, the emulator) more than they compute, so two
  // workers halve the run even on 2 cores (jest's default there is one); each suite owns its ports,
  // emulator and temp dirs, so suites never share anything.
  maxWorkers: 2,
  transform: { "^.+\\.ts$": ["ts-jest", {}] },
};
