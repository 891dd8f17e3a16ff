import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

/** The typed database handle every service receives. */
export type Db = DrizzleD1Database<typeof schema>;

/** Wraps a D1 binding in drizzle with the schema. Cheap: call once per request. */
export function createDb(d1: D1Database): Db {
  return drizzle(d1, { schema });
}

export * as tables from "./schema.ts";
