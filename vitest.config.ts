import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            // Test-only secrets: a throwaway AES key; provider URLs point at the local simulator.
            CREDENTIALS_ENCRYPTION_KEY: "dGVzdC1vbmx5LWtleS0zMi1ieXRlcy1sb25nLSEhISE=",
            OUTBOUND_PRIVATE_HOST_ALLOWLIST: "127.0.0.1,localhost",
            PUBLIC_ORIGIN: "https://edgeharness.test",
            PROVIDER_SIM_URL: `http://127.0.0.1:${inject("providerSimPort")}`,
            RECEIVER_URL: `http://127.0.0.1:${inject("receiverPort")}`,
            MCP_TEST_URL: `http://127.0.0.1:${inject("mcpPort")}`,
            OAUTH_MCP_URL: `http://127.0.0.1:${inject("oauthMcpPort")}`,
            PAGES_URL: `http://127.0.0.1:${inject("pagePort")}`,
          },
        },
      })),
    ],
    test: {
      // node-html-markdown (web_fetch) is CommonJS with extensionless deep requires: bundle it for the pool.
      deps: { optimizer: { ssr: { enabled: true, include: ["node-html-markdown"] } } },
      globalSetup: ["./test/global-setup.ts"],
      setupFiles: ["./test/setup.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
