-- CreateTable
CREATE TABLE "slack_workspaces" (
    "team_id" TEXT NOT NULL PRIMARY KEY,
    "tenant_id" INTEGER NOT NULL,
    "bound_at" DATETIME NOT NULL,
    CONSTRAINT "slack_workspaces_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "chat_allowed_users" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tenant_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    CONSTRAINT "chat_allowed_users_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "report_jobs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tenant_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "requester_id" TEXT NOT NULL,
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
    CONSTRAINT "report_jobs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "slack_workspaces_tenant_id_idx" ON "slack_workspaces"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "chat_allowed_users_tenant_id_platform_user_id_key" ON "chat_allowed_users"("tenant_id", "platform", "user_id");

-- CreateIndex
CREATE INDEX "report_jobs_status_created_at_idx" ON "report_jobs"("status", "created_at");

-- CreateIndex
CREATE INDEX "report_jobs_tenant_id_requester_id_created_at_idx" ON "report_jobs"("tenant_id", "requester_id", "created_at");

