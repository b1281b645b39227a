// The conversation port the chat adapters implement (defined beside the jobs that use it).
export type { DeliveredFile, DeliveryProblem, ReportDelivery, UploadHooks } from "../jobs/delivery.ts";
