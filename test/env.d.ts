import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      PROVIDER_SIM_URL: string;
      RECEIVER_URL: string;
      /** Test-only AES key (vitest.config.ts), a secret in production. */
      CREDENTIALS_ENCRYPTION_KEY: string;
    }
  }
}
