/**
 * OAuth protocol errors (RFC 6749 §4.1.2.1 and §5.2, RFC 7591 §3.2.2, RFC 8707 §2): these endpoints answer
 * in the OAuth error format that clients such as oauth4webapi parse, not in problem details.
 */

/** An OAuth error code with its description and HTTP status. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = "OAuthError";
  }

  /** The JSON body `{error, error_description}`. */
  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
