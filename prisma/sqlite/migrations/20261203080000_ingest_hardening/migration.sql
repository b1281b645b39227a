-- Events carry the WhatsApp line they came through, so an event only ever applies to a message of
-- the company that owns that line (issue 7, "tenant by channel").
ALTER TABLE "event_log" ADD COLUMN "phone_number_id" TEXT;

-- Only events still looking for their message (waiting) or kept aside (late) are ever looked up by
-- wamid; indexing every event cost a random index page per event on the ingest's hot path.
-- Prisma's schema language cannot say "partial": schema.prisma keeps a plain @@index([wamid]).
DROP INDEX "event_log_wamid_idx";
CREATE INDEX "event_log_wamid_idx" ON "event_log"("wamid") WHERE "outcome" IN ('waiting', 'late');
