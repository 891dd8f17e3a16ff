DROP INDEX `harnesses_org_slug_uq`;--> statement-breakpoint
CREATE UNIQUE INDEX `harnesses_org_slug_uq` ON `harnesses` (`org_id`,`slug`) WHERE lifecycle <> 'deleted';