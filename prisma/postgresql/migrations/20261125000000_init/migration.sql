-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "tenants" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'es',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" SERIAL NOT NULL,
    "tenant_id" INTEGER NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channels" (
    "id" SERIAL NOT NULL,
    "tenant_id" INTEGER NOT NULL,
    "phone_number_id" TEXT NOT NULL,
    "display_number" TEXT,
    "name" TEXT NOT NULL,

    CONSTRAINT "channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" SERIAL NOT NULL,
    "tenant_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agents" (
    "id" SERIAL NOT NULL,
    "tenant_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "templates" (
    "id" SERIAL NOT NULL,
    "tenant_id" INTEGER NOT NULL,
    "hsm_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "language" TEXT,

    CONSTRAINT "templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" SERIAL NOT NULL,
    "tenant_id" INTEGER NOT NULL,
    "platform_id" TEXT NOT NULL,
    "wamid" TEXT,
    "campaign_id" INTEGER NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "agent_id" INTEGER NOT NULL,
    "template_id" INTEGER NOT NULL,
    "destination" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "header" TEXT,
    "queued_at" TIMESTAMP(3) NOT NULL,
    "outbound_at" TIMESTAMP(3),
    "outbound_error" TEXT,
    "sent_at" TIMESTAMP(3),
    "delivered_at" TIMESTAMP(3),
    "read_at" TIMESTAMP(3),
    "failed_at" TIMESTAMP(3),
    "meta_error_code" INTEGER,
    "meta_error_title" TEXT,
    "replied_at" TIMESTAMP(3),
    "pricing_category" TEXT,
    "event_keys" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL,
    "outbound_stage" TEXT NOT NULL,
    "sent_stage" TEXT NOT NULL,
    "delivered_stage" TEXT NOT NULL,
    "read_stage" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "raw_bodies" (
    "id" SERIAL NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "raw_bodies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_log" (
    "id" SERIAL NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "body_id" INTEGER,
    "tenant_id" INTEGER,
    "wamid" TEXT,
    "platform_id" TEXT,
    "dedupe_key" TEXT,
    "status" TEXT,
    "occurred_at" TIMESTAMP(3),
    "error_code" INTEGER,
    "error_title" TEXT,
    "pricing_category" TEXT,
    "payload" TEXT,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "applied_at" TIMESTAMP(3),

    CONSTRAINT "event_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "api_keys_tenant_id_idx" ON "api_keys"("tenant_id");

-- CreateIndex
CREATE INDEX "channels_phone_number_id_idx" ON "channels"("phone_number_id");

-- CreateIndex
CREATE UNIQUE INDEX "channels_tenant_id_phone_number_id_key" ON "channels"("tenant_id", "phone_number_id");

-- CreateIndex
CREATE UNIQUE INDEX "campaigns_tenant_id_name_key" ON "campaigns"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "agents_tenant_id_name_key" ON "agents"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "templates_tenant_id_hsm_id_key" ON "templates"("tenant_id", "hsm_id");

-- CreateIndex
CREATE UNIQUE INDEX "messages_wamid_key" ON "messages"("wamid");

-- CreateIndex
CREATE INDEX "messages_tenant_id_queued_at_id_idx" ON "messages"("tenant_id", "queued_at", "id");

-- CreateIndex
CREATE INDEX "messages_tenant_id_campaign_id_queued_at_idx" ON "messages"("tenant_id", "campaign_id", "queued_at");

-- CreateIndex
CREATE INDEX "messages_tenant_id_channel_id_queued_at_idx" ON "messages"("tenant_id", "channel_id", "queued_at");

-- CreateIndex
CREATE UNIQUE INDEX "messages_tenant_id_platform_id_key" ON "messages"("tenant_id", "platform_id");

-- CreateIndex
CREATE INDEX "event_log_wamid_idx" ON "event_log"("wamid");

-- CreateIndex
CREATE INDEX "event_log_body_id_idx" ON "event_log"("body_id");

-- CreateIndex
CREATE INDEX "event_log_tenant_id_received_at_idx" ON "event_log"("tenant_id", "received_at");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channels" ADD CONSTRAINT "channels_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "templates" ADD CONSTRAINT "templates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_log" ADD CONSTRAINT "event_log_body_id_fkey" FOREIGN KEY ("body_id") REFERENCES "raw_bodies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

