/** @jsxImportSource hono/jsx */
/**
 * The invitations page: a signed-in person sees the invitations addressed to their email and accepts
 * or declines each (`services/organizations/invitations.ts`). The forms post to
 * `/api/auth/invitations/{id}/accept|decline` with an Origin check and the session's CSRF token (an
 * HMAC of the session secret, purpose `invitations`); then the browser is sent back to the list.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../context.ts";
import { checkSessionCsrf, readWebSession, sessionCsrfToken } from "../../auth/web-sessions.ts";
import { ApiError } from "../../errors/api-error.ts";
import { organizationsOf } from "../../services/identity/users.ts";
import { acceptInvitation, declineInvitation, invitationsFor } from "../../services/organizations/invitations.ts";
import { page } from "./account.tsx";
import { readCookie } from "./cookies.ts";
import { ErrorPage, InvitationsPage } from "./pages.tsx";
import { sameOrigin } from "./security.ts";

const LIST = "/api/auth/invitations";
const CSRF_PURPOSE = "invitations";

/** What the list shows after a redirect (`?done=`): fixed texts, so the query cannot inject words. */
const NOTICES: Record<string, string> = {
  accepted: "Invitation accepted. The organization is now one of yours, and apps you connect can be given access to it.",
  declined: "Invitation declined.",
};

/** The invitation routes (mounted at the root). */
export const invitationsPageRouter = new Hono<AppEnv>();

invitationsPageRouter.get(LIST, async (c) => {
  const ctx = c.var.services;
  const session = await readWebSession(ctx.db, readCookie(c, "session"));
  if (!session) return c.redirect(`/api/auth/sign-in?return_to=${encodeURIComponent(LIST)}`, 302);
  const [invitations, organizations] = await Promise.all([
    invitationsFor({ ctx, input: { invitee: { id: session.user.id, email: session.user.email } } }),
    organizationsOf(ctx.db, session.user.id),
  ]);
  const notice = NOTICES[c.req.query("done") ?? ""];
  return page(
    c,
    <InvitationsPage
      csrf={await sessionCsrfToken(session, CSRF_PURPOSE)}
      userEmail={session.user.email}
      invitations={invitations.map((i) => ({ id: i.id, orgName: i.organization.name, role: i.role, invitedAt: i.createdAt }))}
      organizations={organizations}
      {...(notice ? { notice } : {})}
    />,
  );
});

/** Accept or decline, for the signed-in user only; failures are pages, never redirects. */
async function answer(c: Context<AppEnv>, decision: "accept" | "decline"): Promise<Response> {
  const ctx = c.var.services;
  const refused = (message: string, status: number) =>
    page(c, <ErrorPage title="The invitation was not answered" message={message} />, status);
  if (!sameOrigin(c.req.header("origin"), ctx.origin)) return refused("This form must be sent from this site.", 403);
  const session = await readWebSession(ctx.db, readCookie(c, "session"));
  if (!session) return refused("Your sign-in expired. Sign in and open your invitations again.", 403);
  const form = new URLSearchParams(await c.req.text());
  if (!(await checkSessionCsrf(session, CSRF_PURPOSE, form.get("csrf") ?? undefined)))
    return refused("The form expired or was not sent from this page. Open your invitations again.", 403);
  const input = { invitationId: c.req.param("id") ?? "", invitee: { id: session.user.id, email: session.user.email } };
  try {
    if (decision === "accept") await acceptInvitation({ ctx, input });
    else await declineInvitation({ ctx, input });
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return refused(error.message, error.status);
    throw error;
  }
  return c.redirect(`${LIST}?done=${decision === "accept" ? "accepted" : "declined"}`, 302);
}

invitationsPageRouter.post(`${LIST}/:id/accept`, (c) => answer(c, "accept"));
invitationsPageRouter.post(`${LIST}/:id/decline`, (c) => answer(c, "decline"));
