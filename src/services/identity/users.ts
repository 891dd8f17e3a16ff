/**
 * Users, their personal organization and memberships (invitations: `services/organizations/invitations.ts`).
 */
import { and, eq } from "drizzle-orm";
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../../auth/passwords.ts";
import type { Db } from "../../db/index.ts";
import { memberships, organizations, users } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import { insertAssistant } from "../assistant/provision.ts";

export type UserRow = typeof users.$inferSelect;
export type Role = "owner" | "admin" | "member";

/** Input of {@link signUp}. */
export interface SignUpInput {
  email: string;
  displayName: string;
  password: string;
}

/** Lowercased, trimmed email; `undefined` when it does not look like an address. */
export function normalizeEmail(email: string): string | undefined {
  const e = email.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) && e.length <= 254 ? e : undefined;
}

/**
 * Sign-up: creates the user and a personal organization they own (with its built-in assistant harness),
 * in one D1 batch. Invitations addressed to their email stay pending until they accept them, signed in
 * (`services/organizations/invitations.ts`, the page `/api/auth/invitations`).
 * @throws ApiError `validation_error` (email, display name, password length), `conflict` when the email is taken.
 */
export async function signUp(db: Db, input: SignUpInput): Promise<{ user: UserRow; orgId: string }> {
  const email = normalizeEmail(input.email);
  if (!email) throw new ApiError("validation_error", "Enter a valid email address.", { details: { field: "email" } });
  const displayName = input.displayName.trim();
  if (displayName.length < 1 || displayName.length > 100)
    throw new ApiError("validation_error", "Enter a name of 1–100 characters.", { details: { field: "display_name" } });
  if (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > MAX_PASSWORD_LENGTH) {
    throw new ApiError("validation_error", `Choose a password of ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters.`, {
      details: { field: "password" },
    });
  }
  const existing = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (existing)
    throw new ApiError("account_exists", "An account with this email already exists; sign in instead.", { details: { field: "email" } });
  const now = nowIso();
  const userId = newId("user");
  const orgId = newId("organization");
  const user: UserRow = {
    id: userId,
    email,
    displayName,
    passwordHash: await hashPassword(input.password),
    personalOrgId: orgId,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(organizations).values({ id: orgId, name: `${displayName}'s organization`, createdAt: now, updatedAt: now }),
    db.insert(users).values(user),
    db
      .insert(memberships)
      .values({ id: newId("membership"), orgId, userId, role: "owner", status: "active", createdAt: now, acceptedAt: now }),
    insertAssistant(db, orgId, now),
  ]);
  return { user, orgId };
}

/** The organizations `userId` is an active member of, with role and name. */
export async function organizationsOf(db: Db, userId: string): Promise<{ orgId: string; name: string; role: Role }[]> {
  const rows = await db
    .select({ orgId: memberships.orgId, role: memberships.role, name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")))
    .all();
  return rows.map((r) => ({ orgId: r.orgId, name: r.name, role: r.role as Role }));
}

/** The user's role in `orgId`, or undefined when they are not an active member. */
export async function roleIn(db: Db, userId: string, orgId: string): Promise<Role | undefined> {
  const row = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId), eq(memberships.status, "active")))
    .get();
  return row?.role as Role | undefined;
}

/** The user with `id`. */
export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.id, id)).get();
}

/** The user with `email` (already normalized), if any. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.email, email)).get();
}
