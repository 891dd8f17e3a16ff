import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { findHarness } from "../../../services/harnesses/find.ts";
import { discoverSkills } from "../../../services/skills/discover.ts";
import { downloadSkill } from "../../../services/skills/download.ts";
import { getSkill, listSkills } from "../../../services/skills/list.ts";
import { registerSkill } from "../../../services/skills/register.ts";
import { rollbackSkill } from "../../../services/skills/rollback.ts";
import { uninstallSkill } from "../../../services/skills/uninstall.ts";
import { updateSkill } from "../../../services/skills/update.ts";
import { upgradeSkill } from "../../../services/skills/upgrade.ts";
import { validateSkill } from "../../../services/skills/validate.ts";
import { listSkillVersions } from "../../../services/skills/versions.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./skills.routes.ts";
import { toSkillView, toVersionsView } from "./skills.schemas.ts";
import { requestUpload } from "./skills.upload.ts";

export const register: AppRouteHandler<typeof routes.register> = async (c) => {
  const ctx = authed(c);
  const { harnessId } = c.req.valid("param");
  const { changelog: _ignored, ...upload } = await requestUpload(c, c.req.valid("query"));
  const created = await registerSkill({ ctx, input: { ref: harnessId, ...upload } });
  c.header("location", `/v1/harnesses/${created.harness.slug}/skills/${created.skill.id}`);
  return c.json({ skill: toSkillView(created, created.harness), warnings: created.warnings }, 201);
};

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { harness, page } = await listSkills({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...c.req.valid("query") } });
  return c.json(
    toEnvelope(page, (row) => toSkillView(row, harness)),
    200,
  );
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const ctx = authed(c);
  const { harnessId, skillId } = c.req.valid("param");
  const harness = await findHarness({ ctx, input: { ref: harnessId } });
  return c.json({ skill: toSkillView(await getSkill({ ctx, input: { harness, skillId } }), harness) }, 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { harnessId, skillId } = c.req.valid("param");
  const updated = await updateSkill({ ctx: authed(c), input: { ref: harnessId, skillId, ...c.req.valid("json") } });
  return c.json({ skill: toSkillView(updated, updated.harness) }, 200);
};

export const uninstall: AppRouteHandler<typeof routes.uninstall> = async (c) => {
  const { harnessId, skillId } = c.req.valid("param");
  await uninstallSkill({ ctx: authed(c), input: { ref: harnessId, skillId, force: c.req.valid("query").force ?? false } });
  return c.body(null, 204);
};

export const listVersions: AppRouteHandler<typeof routes.listVersions> = async (c) => {
  const { harnessId, skillId } = c.req.valid("param");
  const found = await listSkillVersions({ ctx: authed(c), input: { ref: harnessId, skillId } });
  return c.json(toVersionsView(found, found.versions), 200);
};

export const rollback: AppRouteHandler<typeof routes.rollback> = async (c) => {
  const { harnessId, skillId } = c.req.valid("param");
  const done = await rollbackSkill({ ctx: authed(c), input: { ref: harnessId, skillId, version: c.req.valid("json").version } });
  return c.json({ skill: toSkillView(done, done.harness), previous_version: done.previousVersion }, 200);
};

export const discover: AppRouteHandler<typeof routes.discover> = async (c) => {
  const body = c.req.valid("json");
  const found = await discoverSkills({
    ctx: authed(c),
    input: { ref: c.req.valid("param").harnessId, ...(body.search_paths ? { search_paths: body.search_paths } : {}) },
  });
  return c.json(found, 200);
};

export const validate: AppRouteHandler<typeof routes.validate> = async (c) => {
  const { upload } = await requestUpload(c, undefined);
  return c.json(await validateSkill({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, upload } }), 200);
};

export const download: AppRouteHandler<typeof routes.download> = async (c) => {
  const { harnessId, skillId } = c.req.valid("param");
  const { version } = c.req.valid("query");
  const found = await downloadSkill({ ctx: authed(c), input: { ref: harnessId, skillId, ...(version ? { version } : {}) } });
  return new Response(found.body, {
    status: 200,
    headers: {
      "content-type": "application/zip",
      "content-length": String(found.version.sizeBytes),
      "content-disposition": `attachment; filename="${found.skill.name}.zip"`,
      "x-skill-version": found.version.version,
      "x-content-sha256": found.version.sha256,
      etag: `"${found.version.sha256}"`,
    },
  }) as never;
};

export const upgrade: AppRouteHandler<typeof routes.upgrade> = async (c) => {
  const ctx = authed(c);
  const { harnessId, skillId } = c.req.valid("param");
  const { display_title: _t, category: _c, config: _cfg, ...upload } = await requestUpload(c, c.req.valid("query"));
  const done = await upgradeSkill({ ctx, input: { ref: harnessId, skillId, ...upload } });
  return c.json({ skill: toSkillView(done, done.harness), previous_version: done.previousVersion, warnings: done.warnings }, 200);
};
