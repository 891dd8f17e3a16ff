/** D1 schema: custom tools registered on a harness (tools.register). */
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { harnesses } from "./harnesses.ts";

/**
 * A custom tool: a name, a description and a JSON Schema the model sees, and a webhook that runs it
 * (each call a signed POST). `sealed_secret` is the signing secret, AES-GCM sealed with the associated
 * data `tool:<id>`; it is shown once, when the tool is registered.
 */
export const customTools = sqliteTable(
  "custom_tools",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id")
      .notNull()
      .references(() => harnesses.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull(),
    inputSchema: text("input_schema", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** webhook (the only handler that runs on the edge). */
    handlerType: text("handler_type").notNull(),
    url: text("url").notNull(),
    sealedSecret: text("sealed_secret").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("custom_tools_harness_name_uq").on(t.harnessId, t.name),
    index("custom_tools_org_harness_idx").on(t.orgId, t.harnessId),
  ],
);
