import { defineConfig } from "vitest/config";

// Two projects: `unit` (pure logic, no services) and `e2e` (real Redis and Elasticsearch,
// started by test/src/global-setup.ts through the project's own `services up`).
export default defineConfig({
  test: {
    reporters: ["default"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["shared/test/**/*.test.ts", "workers/*/test/**/*.test.ts", "scripts/test/**/*.test.ts", "test/unit/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/src/global-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
