CREATE TABLE `console_grants` (
	`grant_id` text PRIMARY KEY NOT NULL,
	`web_session_id` text NOT NULL,
	`org_id` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`web_session_id`) REFERENCES `web_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `console_grants_session_idx` ON `console_grants` (`web_session_id`,`org_id`);