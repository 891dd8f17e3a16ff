import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      PROVIDER_SIM_URL: string;
      RECEIVER_URL: string;
      /** The MCP test servers (`test/helpers/mcp-servers.ts`). */
      MCP_TEST_URL: string;
      /** The OAuth-protected MCP test server and its authorization server. */
      OAUTH_MCP_URL: string;
      /** The page server for web_fetch (`test/helpers/page-server.ts`). */
      PAGES_URL: string;
      /** Test-only AES key (vitest.config.ts), a secret in production. */
      CREDENTIALS_ENCRYPTION_KEY: string;
    }
  }
}
