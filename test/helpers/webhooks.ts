/**
 * Worker-side helpers for tests of outbound webhooks (hooks, webhooks, the delivery queue, custom
 * tools): what the local receiver (`receiver.ts`, `env.RECEIVER_URL`) recorded.
 */
import { env } from "cloudflare:test";

/** One request the receiver recorded: its headers (lower-case names) and raw body. */
export interface Received {
  headers: Record<string, string>;
  body: string;
}

/** The requests the receiver recorded for `<name>` (`POST /hooks/<name>`, `/tools/<name>`), oldest first. */
export async function received(name: string): Promise<Received[]> {
  return (await fetch(`${env.RECEIVER_URL}/__received/${name}`)).json();
}
