CREATE TABLE `mcp_connections` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`agent_id` text,
	`layer` text NOT NULL,
	`name` text NOT NULL,
	`origin` text NOT NULL,
	`transport` text NOT NULL,
	`url` text NOT NULL,
	`auth_mode` text NOT NULL,
	`header_names` text NOT NULL,
	`sealed_headers` text,
	`sealed_oauth` text,
	`oauth_state_hash` text,
	`authorization_url` text,
	`oauth_provider_id` text,
	`auto_reconnect` integer DEFAULT true NOT NULL,
	`tool_discovery` integer DEFAULT true NOT NULL,
	`include_tools` text,
	`exclude_tools` text,
	`status` text NOT NULL,
	`last_error` text,
	`protocol_version` text,
	`server_info` text,
	`catalog` text,
	`catalog_at` text,
	`connected_at` text,
	`last_checked_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`harness_id`) REFERENCES `harnesses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mcp_connections_layer_name_uq` ON `mcp_connections` (`harness_id`,`layer`,`name`);--> statement-breakpoint
CREATE INDEX `mcp_connections_org_harness_idx` ON `mcp_connections` (`org_id`,`harness_id`,`id`);--> statement-breakpoint
CREATE INDEX `mcp_connections_oauth_state_idx` ON `mcp_connections` (`oauth_state_hash`);--> statement-breakpoint
CREATE TABLE `custom_tools` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`harness_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`input_schema` text NOT NULL,
	`handler_type` text NOT NULL,
	`url` text NOT NULL,
	`sealed_secret` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`harness_id`) REFERENCES `harnesses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_tools_harness_name_uq` ON `custom_tools` (`harness_id`,`name`);--> statement-breakpoint
CREATE INDEX `custom_tools_org_harness_idx` ON `custom_tools` (`org_id`,`harness_id`);--> statement-breakpoint
ALTER TABLE `agents` ADD `network_access` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `network_access` text;