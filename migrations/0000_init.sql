CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`name` text NOT NULL,
	`vendor_key` text NOT NULL,
	`agent_key` text NOT NULL,
	`version` text NOT NULL,
	`slug` text NOT NULL,
	`description` text NOT NULL,
	`author` text,
	`license` text,
	`tags` text NOT NULL,
	`skills` text NOT NULL,
	`mcp_servers` text NOT NULL,
	`config` text NOT NULL,
	`instructions` text NOT NULL,
	`frontmatter` text NOT NULL,
	`bundle_key` text,
	`bundle_path` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`harness_id`) REFERENCES `harnesses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_identity_uq` ON `agents` (`harness_id`,`vendor_key`,`agent_key`);--> statement-breakpoint
CREATE INDEX `agents_org_harness_idx` ON `agents` (`org_id`,`harness_id`,`id`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`secret_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `api_keys_org_idx` ON `api_keys` (`org_id`);--> statement-breakpoint
CREATE TABLE `executions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`agent_id` text,
	`session_id` text,
	`status` text NOT NULL,
	`model` text NOT NULL,
	`message_preview` text NOT NULL,
	`progress` text,
	`usage` text,
	`artifacts_count` integer DEFAULT 0 NOT NULL,
	`error_code` text,
	`started_at` text NOT NULL,
	`completed_at` text
);
--> statement-breakpoint
CREATE INDEX `executions_org_harness_idx` ON `executions` (`org_id`,`harness_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `executions_status_idx` ON `executions` (`harness_id`,`status`);--> statement-breakpoint
CREATE TABLE `harness_credentials` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`provider` text NOT NULL,
	`sealed_api_key` text NOT NULL,
	`base_url` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`harness_id`) REFERENCES `harnesses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `harness_credentials_uq` ON `harness_credentials` (`harness_id`,`provider`);--> statement-breakpoint
CREATE TABLE `harnesses` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`slug` text NOT NULL,
	`display_name` text NOT NULL,
	`vendor` text NOT NULL,
	`description` text NOT NULL,
	`execution_type` text NOT NULL,
	`kind` text NOT NULL,
	`availability` text NOT NULL,
	`lifecycle` text NOT NULL,
	`config` text NOT NULL,
	`system_prompt` text NOT NULL,
	`capability_refs` text NOT NULL,
	`default_model_id` text,
	`initial_files` text NOT NULL,
	`mcp_servers` text NOT NULL,
	`network_access` text,
	`parent_harness_id` text,
	`tags` text NOT NULL,
	`is_built_in` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`archived_at` text,
	`deleted_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `harnesses_org_slug_uq` ON `harnesses` (`org_id`,`slug`);--> statement-breakpoint
CREATE INDEX `harnesses_org_idx` ON `harnesses` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`default_model` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
