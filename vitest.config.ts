import { defineConfig } from "vitest/config"

const shared = {
  pool: "forks",
  testTimeout: 60_000,
  hookTimeout: 60_000,
} as const

export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  test: {
    reporters: ["default"],
    // `npm run test:unit` and `npm run test:browser` run one of these; `vitest run` runs both.
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: "unit",
          include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
          exclude: ["test/browser/**"],
        },
      },
      {
        extends: true,
        test: { ...shared, name: "browser", include: ["test/browser/**/*.test.ts"] },
      },
    ],
  },
})
