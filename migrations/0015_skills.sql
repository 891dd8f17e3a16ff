CREATE TABLE `agent_skills` (
	`agent_id` text NOT NULL,
	`skill_id` text NOT NULL,
	`org_id` text NOT NULL,
	`position` integer NOT NULL,
	`required` integer DEFAULT true NOT NULL,
	`version` text,
	PRIMARY KEY(`agent_id`, `skill_id`),
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`skill_id`) REFERENCES `skills`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agent_skills_skill_idx` ON `agent_skills` (`skill_id`);--> statement-breakpoint
CREATE TABLE `skill_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`skill_id` text NOT NULL,
	`version` text NOT NULL,
	`sha256` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`blob_key` text NOT NULL,
	`root` text NOT NULL,
	`description` text NOT NULL,
	`files` text NOT NULL,
	`warnings` text NOT NULL,
	`changelog` text,
	`uploaded_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`skill_id`) REFERENCES `skills`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `skill_versions_label_uq` ON `skill_versions` (`skill_id`,`version`);--> statement-breakpoint
CREATE INDEX `skill_versions_skill_idx` ON `skill_versions` (`skill_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `skills` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`agent_id` text,
	`name` text NOT NULL,
	`display_title` text NOT NULL,
	`description` text NOT NULL,
	`category` text NOT NULL,
	`vendor` text NOT NULL,
	`current_version_id` text NOT NULL,
	`source` text NOT NULL,
	`config` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`harness_id`) REFERENCES `harnesses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `skills_harness_name_uq` ON `skills` (`harness_id`,`name`) WHERE agent_id IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `skills_agent_name_uq` ON `skills` (`agent_id`,`name`) WHERE agent_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `skills_org_harness_idx` ON `skills` (`org_id`,`harness_id`,`id`);