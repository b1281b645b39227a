-- AlterTable
ALTER TABLE "report_jobs" ADD COLUMN     "schedule_run_id" INTEGER,
ALTER COLUMN "requester_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "chat_workspaces" (
    "platform" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "tenant_id" INTEGER NOT NULL,
    "bound_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "chat_workspaces_pkey" PRIMARY KEY ("platform","external_id")
);

-- Existing Slack bindings move to the one binding table (issue 8); nothing is lost.
INSERT INTO "chat_workspaces" ("platform", "external_id", "tenant_id", "bound_at")
SELECT 'slack', "team_id", "tenant_id", "bound_at" FROM "slack_workspaces";

-- DropTable
DROP TABLE "slack_workspaces";

-- CreateTable
CREATE TABLE "schedules" (
    "id" SERIAL NOT NULL,
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
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "deleted_at" TIMESTAMP(3),
    "next_run_at" TIMESTAMP(3) NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "missed" TEXT,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_runs" (
    "id" SERIAL NOT NULL,
    "schedule_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "period_from" TEXT NOT NULL,
    "period_to" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fire_at" TIMESTAMP(3) NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "missed" TEXT,
    "requested_by" TEXT,
    "job_id" INTEGER,
    "outcome" TEXT NOT NULL,
    "post_ref" TEXT,
    "error" TEXT,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "schedule_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "chat_workspaces_tenant_id_idx" ON "chat_workspaces"("tenant_id");

-- CreateIndex
CREATE INDEX "schedules_next_run_at_idx" ON "schedules"("next_run_at");

-- CreateIndex
CREATE INDEX "schedules_tenant_id_platform_conversation_id_idx" ON "schedules"("tenant_id", "platform", "conversation_id");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_runs_schedule_id_period_key_key" ON "schedule_runs"("schedule_id", "period_key");

-- AddForeignKey
ALTER TABLE "chat_workspaces" ADD CONSTRAINT "chat_workspaces_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_jobs" ADD CONSTRAINT "report_jobs_schedule_run_id_fkey" FOREIGN KEY ("schedule_run_id") REFERENCES "schedule_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_runs" ADD CONSTRAINT "schedule_runs_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

