-- CreateTable
CREATE TABLE "chat_workspaces" (
    "platform" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "tenant_id" INTEGER NOT NULL,
    "bound_at" DATETIME NOT NULL,

    PRIMARY KEY ("platform", "external_id"),
    CONSTRAINT "chat_workspaces_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Existing Slack bindings move to the one binding table (issue 8); nothing is lost.
INSERT INTO "chat_workspaces" ("platform", "external_id", "tenant_id", "bound_at")
SELECT 'slack', "team_id", "tenant_id", "bound_at" FROM "slack_workspaces";

-- DropIndex
DROP INDEX "slack_workspaces_tenant_id_idx";

-- DropTable
DROP TABLE "slack_workspaces";

-- CreateTable
CREATE TABLE "schedules" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tenant_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "frequency" TEXT NOT NULL,
    "day" TEXT,
    "time" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "filters" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "created_by" TEXT,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "deleted_at" DATETIME,
    "next_run_at" DATETIME NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "missed" TEXT,
    CONSTRAINT "schedules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "schedule_runs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "schedule_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "period_from" TEXT NOT NULL,
    "period_to" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fire_at" DATETIME NOT NULL,
    "started_at" DATETIME NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "missed" TEXT,
    "requested_by" TEXT,
    "job_id" INTEGER,
    "outcome" TEXT NOT NULL,
    "post_ref" TEXT,
    "error" TEXT,
    "finished_at" DATETIME,
    CONSTRAINT "schedule_runs_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables (requester_id may now be null: a scheduled report has no requester)
CREATE TABLE "new_report_jobs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tenant_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "requester_id" TEXT,
    "conversation" TEXT NOT NULL,
    "request" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lease_owner" TEXT,
    "lease_until" DATETIME,
    "progress_rows" INTEGER NOT NULL DEFAULT 0,
    "total_rows" INTEGER,
    "message_ref" TEXT,
    "file_name" TEXT,
    "file_bytes" INTEGER,
    "rows" INTEGER,
    "file_id" TEXT,
    "permalink" TEXT,
    "summary" TEXT,
    "error_code" TEXT,
    "error_text" TEXT,
    "created_at" DATETIME NOT NULL,
    "started_at" DATETIME,
    "finished_at" DATETIME,
    "schedule_run_id" INTEGER,
    CONSTRAINT "report_jobs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "report_jobs_schedule_run_id_fkey" FOREIGN KEY ("schedule_run_id") REFERENCES "schedule_runs" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_report_jobs" ("attempts", "conversation", "created_at", "error_code", "error_text", "file_bytes", "file_id", "file_name", "finished_at", "id", "lease_owner", "lease_until", "message_ref", "permalink", "platform", "progress_rows", "request", "requester_id", "rows", "started_at", "status", "summary", "tenant_id", "total_rows") SELECT "attempts", "conversation", "created_at", "error_code", "error_text", "file_bytes", "file_id", "file_name", "finished_at", "id", "lease_owner", "lease_until", "message_ref", "permalink", "platform", "progress_rows", "request", "requester_id", "rows", "started_at", "status", "summary", "tenant_id", "total_rows" FROM "report_jobs";
DROP TABLE "report_jobs";
ALTER TABLE "new_report_jobs" RENAME TO "report_jobs";
CREATE INDEX "report_jobs_status_created_at_idx" ON "report_jobs"("status", "created_at");
CREATE INDEX "report_jobs_tenant_id_requester_id_created_at_idx" ON "report_jobs"("tenant_id", "requester_id", "created_at");

-- CreateIndex
CREATE INDEX "chat_workspaces_tenant_id_idx" ON "chat_workspaces"("tenant_id");

-- CreateIndex
CREATE INDEX "schedules_next_run_at_idx" ON "schedules"("next_run_at");

-- CreateIndex
CREATE INDEX "schedules_tenant_id_platform_conversation_id_idx" ON "schedules"("tenant_id", "platform", "conversation_id");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_runs_schedule_id_period_key_key" ON "schedule_runs"("schedule_id", "period_key");

