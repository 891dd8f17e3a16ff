-- Agent memory: full-text search and the agent-wide limits the database itself enforces.
--
-- Full-text search over agent memory (memory.search, the memory_archive_search tool): one FTS5 table
-- over core-memory blocks and archival entries, so both are ranked by the same bm25 statistics.
-- Hand-written (drizzle-kit does not model virtual tables or triggers); kept in step by triggers, so no
-- write path can forget it. Row keys: a block is rowid `seq * 2`, an archive entry `seq * 2 + 1`.
-- `label` holds a block's label or an entry's tags; `body` its value or content. `source` and
-- `agent_id` are filters only (UNINDEXED: never matched by a query).
CREATE VIRTUAL TABLE `memory_fts` USING fts5(
  label,
  body,
  source UNINDEXED,
  agent_id UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `memory_blocks_fts_insert` AFTER INSERT ON `memory_blocks` BEGIN
  INSERT INTO memory_fts (rowid, label, body, source, agent_id) VALUES (new.seq * 2, new.label, new.value, 'block', new.agent_id);
END;
--> statement-breakpoint
CREATE TRIGGER `memory_blocks_fts_update` AFTER UPDATE OF label, value ON `memory_blocks` BEGIN
  UPDATE memory_fts SET label = new.label, body = new.value WHERE rowid = new.seq * 2;
END;
--> statement-breakpoint
CREATE TRIGGER `memory_blocks_fts_delete` AFTER DELETE ON `memory_blocks` BEGIN
  DELETE FROM memory_fts WHERE rowid = old.seq * 2;
END;
--> statement-breakpoint
CREATE TRIGGER `memory_archive_fts_insert` AFTER INSERT ON `memory_archive` BEGIN
  INSERT INTO memory_fts (rowid, label, body, source, agent_id)
  VALUES (new.seq * 2 + 1, (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.tags)), new.content, 'archive', new.agent_id);
END;
--> statement-breakpoint
CREATE TRIGGER `memory_archive_fts_update` AFTER UPDATE OF content, tags ON `memory_archive` BEGIN
  UPDATE memory_fts
  SET label = (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.tags)), body = new.content
  WHERE rowid = new.seq * 2 + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `memory_archive_fts_delete` AFTER DELETE ON `memory_archive` BEGIN
  DELETE FROM memory_fts WHERE rowid = old.seq * 2 + 1;
END;
--> statement-breakpoint
-- Agent-wide core-memory limits (services/memory/store.ts MAX_BLOCKS_PER_AGENT = 50 blocks and
-- MAX_CORE_MEMORY_CHARS = 200000 characters of block limits together), checked by the database on every
-- write path so concurrent writes cannot pass them either. The message starts with the code the API maps.
CREATE TRIGGER `memory_blocks_budget_insert` BEFORE INSERT ON `memory_blocks`
WHEN (SELECT count(*) FROM memory_blocks WHERE agent_id = new.agent_id) >= 50
  OR (SELECT coalesce(sum(char_limit), 0) FROM memory_blocks WHERE agent_id = new.agent_id) + new.char_limit > 200000
BEGIN
  SELECT RAISE(ABORT, 'memory_limit_exceeded: an agent may have at most 50 memory blocks whose limits add up to at most 200000 characters');
END;
--> statement-breakpoint
CREATE TRIGGER `memory_blocks_budget_update` BEFORE UPDATE OF char_limit ON `memory_blocks`
WHEN new.char_limit > old.char_limit
  AND (SELECT coalesce(sum(char_limit), 0) FROM memory_blocks WHERE agent_id = new.agent_id) - old.char_limit + new.char_limit > 200000
BEGIN
  SELECT RAISE(ABORT, 'memory_limit_exceeded: an agent may have at most 50 memory blocks whose limits add up to at most 200000 characters');
END;
