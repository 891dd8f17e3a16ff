CREATE TABLE `workspace_files` (
	`workspace` text NOT NULL,
	`path` text NOT NULL,
	`org_id` text NOT NULL,
	`parent` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`size_bytes` integer DEFAULT 0 NOT NULL,
	`mime_type` text,
	`readonly` integer DEFAULT false NOT NULL,
	`modified_at` text NOT NULL,
	PRIMARY KEY(`workspace`, `path`)
);
--> statement-breakpoint
CREATE INDEX `workspace_files_parent_idx` ON `workspace_files` (`workspace`,`parent`,`name`);--> statement-breakpoint
CREATE TABLE `hooks` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`event` text NOT NULL,
	`handler` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`timeout_ms` integer NOT NULL,
	`on_error` text NOT NULL,
	`secret_sealed` text NOT NULL,
	`secret_hint` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `hooks_harness_idx` ON `hooks` (`org_id`,`harness_id`,`event`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`secret_sealed` text NOT NULL,
	`secret_hint` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhooks_harness_idx` ON `webhooks` (`org_id`,`harness_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `body` text;