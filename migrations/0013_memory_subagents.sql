CREATE TABLE `memory_archive` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`org_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`content` text NOT NULL,
	`content_hash` text NOT NULL,
	`tags` text NOT NULL,
	`metadata` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memory_archive_id_unique` ON `memory_archive` (`id`);--> statement-breakpoint
CREATE INDEX `memory_archive_agent_time_idx` ON `memory_archive` (`org_id`,`agent_id`,`created_at`,`seq`);--> statement-breakpoint
CREATE INDEX `memory_archive_agent_hash_idx` ON `memory_archive` (`agent_id`,`content_hash`);--> statement-breakpoint
CREATE TABLE `memory_blocks` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`org_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`label` text NOT NULL,
	`value` text NOT NULL,
	`read_only` integer DEFAULT false NOT NULL,
	`char_limit` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "memory_blocks_value_within_limit" CHECK(length("memory_blocks"."value") <= "memory_blocks"."char_limit"),
	CONSTRAINT "memory_blocks_limit_range" CHECK("memory_blocks"."char_limit" BETWEEN 1 AND 100000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memory_blocks_id_unique` ON `memory_blocks` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `memory_blocks_agent_label_uq` ON `memory_blocks` (`agent_id`,`label`);--> statement-breakpoint
CREATE INDEX `memory_blocks_org_agent_idx` ON `memory_blocks` (`org_id`,`agent_id`);--> statement-breakpoint
CREATE TABLE `subagents` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`system_prompt` text,
	`model` text,
	`tools` text,
	`skills` text NOT NULL,
	`last_execution_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subagents_agent_name_uq` ON `subagents` (`agent_id`,`name`);--> statement-breakpoint
CREATE INDEX `subagents_org_agent_idx` ON `subagents` (`org_id`,`agent_id`);--> statement-breakpoint
ALTER TABLE `executions` ADD `parent_execution_id` text;--> statement-breakpoint
ALTER TABLE `executions` ADD `subagent_id` text;--> statement-breakpoint
CREATE INDEX `executions_parent_idx` ON `executions` (`parent_execution_id`);