// ESLint (typescript-eslint, type-aware where it pays) for the package, emulator, demo, bench and tests.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "coverage/**",
      "examples/**/node_modules/**",
      "docs/api/**",
      "bench/.tmp/**",
      "tests/support/fixtures/**/*.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused bindings prefixed with _ document what is deliberately ignored.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // The serialized provider and the host load modules by name at call time, by design.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // Layers (docs/architecture.md): the Graph client, schemas, descriptors, config and the report sit
    // below the engine and the program side, and know nothing of Pulumi.
    files: [
      "provider/graph/**/*.ts",
      "provider/schemas/**/*.ts",
      "provider/workloads/**/*.ts",
      "provider/report/**/*.ts",
      "provider/config.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/engine",
                "**/engine/**",
                "**/resources",
                "**/resources/**",
                "**/functions",
                "**/functions/**",
                "**/serialized/**",
              ],
              message: "lower layers must not import the engine or the program side",
            },
            { group: ["@pulumi/*"], message: "the Graph client, schemas, descriptors, config and the report have no Pulumi imports" },
          ],
        },
      ],
    },
  },
  {
    // The engine runs inside the dynamic-provider host; the program side (resources, functions) is not loaded there.
    files: ["provider/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/resources", "**/resources/**", "**/functions", "**/functions/**", "**/serialized/**"],
              message: "the engine must not import the program side",
            },
          ],
        },
      ],
    },
  },
  {
    // Resources are loaded by every Pulumi program; the engine and the Graph client run in the host.
    files: ["provider/resources/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/engine", "**/engine/**", "**/graph", "**/graph/**"],
              message: "resources must not import the engine or the Graph client",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read untyped JSON from the wire and the state file.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
    },
  },
);
