CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`agent_id` text,
	`name` text,
	`status` text NOT NULL,
	`system_prompt` text,
	`message_count` integer DEFAULT 0 NOT NULL,
	`forked_from` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`ended_at` text,
	FOREIGN KEY (`harness_id`) REFERENCES `harnesses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_org_harness_idx` ON `sessions` (`org_id`,`harness_id`,`id`);--> statement-breakpoint
CREATE INDEX `sessions_status_idx` ON `sessions` (`harness_id`,`status`);