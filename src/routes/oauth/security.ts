/** Browser-facing security headers and checks for the authorization server's pages. */

/**
 * Content-Security-Policy of the pages: nothing but this origin's stylesheet; forms may post to this
 * origin and — for the consent page — redirect to the client (`form-action` also governs redirects).
 */
export function pageCsp(formTargets: string[] = []): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self'${formTargets.map((t) => ` ${t}`).join("")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** A form POST is accepted only without an Origin header (old clients) or from this origin. */
export function sameOrigin(originHeader: string | undefined, origin: string): boolean {
  return originHeader === undefined || originHeader === origin;
}

/** A `return_to` target: a same-origin path, never a scheme-relative or absolute URL. */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || value.length > 4000)
    return "/api/auth/signed-in";
  return value;
}
