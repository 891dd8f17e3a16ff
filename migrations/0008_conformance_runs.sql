CREATE TABLE `conformance_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`status` text NOT NULL,
	`result` text,
	`passed` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`soft_failed` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`applicable` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`pass_rate` real DEFAULT 0 NOT NULL,
	`golden_rule_violations` integer DEFAULT 0 NOT NULL,
	`harness_version` text NOT NULL,
	`spec_version` text NOT NULL,
	`categories` text,
	`quick` integer DEFAULT false NOT NULL,
	`tests` text NOT NULL,
	`error` text,
	`run_at` text NOT NULL,
	`completed_at` text
);
--> statement-breakpoint
CREATE INDEX `conformance_runs_harness_idx` ON `conformance_runs` (`org_id`,`harness_id`,`run_at`);