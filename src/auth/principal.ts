/**
 * Who is calling: one principal acting in exactly one organization.
 * API keys resolve to a `service` principal; OAuth access tokens (a later issue) resolve to a `user`
 * principal of the same shape, so every service verb is written once against this type.
 */
export interface Principal {
  kind: "service" | "user";
  /** The organization every query of this request is filtered by. */
  orgId: string;
  /** Stable subject: the API key id for services, the user id for users. */
  subject: string;
  /** Granted scopes (`*` = everything the organization may do). */
  scopes: string[];
  /** How the caller authenticated (`internal`: a Durable Object acting for a request it accepted earlier). */
  via: "api_key" | "oauth" | "internal";
  /** OAuth: the client the token was issued to. */
  clientId?: string;
  /** OAuth: the consent (grant) behind the token. */
  grantId?: string;
}
