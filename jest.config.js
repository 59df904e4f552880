/** Tests by cost: unit (pure), mocks (setMocks), contract (emulator), host (real provider host). */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  testMatch: ["<rootDir>/tests/**/*.test.ts"],
  testTimeout: 60000,
  transform: { "^.+\\.ts$": ["ts-jest", {}] },
};
