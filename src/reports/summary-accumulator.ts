// The summary gathered from the rows as they stream past, so a report reads its messages once and
// its summary describes exactly the rows in the file.
import { type MessageState, STATES } from "../domain/lifecycle.ts";
import type { ErrorCount, SummaryGroup } from "../domain/report-summary.ts";
import { RAW, type RawRow } from "../store/report-source.ts";

const STATE_INDEX = Object.fromEntries(STATES.map((s, i) => [s, i])) as Record<MessageState, number>;

export class SummaryAccumulator {
  readonly #groups = new Map<number, SummaryGroup & { campaignId: number }>();
  readonly #errors = new Map<string, ErrorCount>();

  add(r: RawRow): void {
    const state = r[RAW.state] as MessageState;
    const campaignId = r[RAW.campaignId] as number;
    const sent = r[RAW.sentStage] === "success";
    const delivered = r[RAW.deliveredStage] === "success";
    const read = r[RAW.readStage] === "success";
    const replied = r[RAW.repliedAt] !== null;
    const invalidNumber = state === "outbound_failed" && r[RAW.outboundError] === "invalid_number";
    // A number, not a string: this runs for every row of the report.
    const flags = (+sent << 4) | (+delivered << 3) | (+read << 2) | (+replied << 1) | +invalidNumber;
    const key = campaignId * 1024 + STATE_INDEX[state] * 32 + flags;
    const group = this.#groups.get(key);
    if (group) group.count++;
    else this.#groups.set(key, { campaignId, campaign: "", state, sent, delivered, read, replied, invalidNumber, count: 1 });
    if (state === "meta_failed") {
      const code = r[RAW.metaErrorCode] === null ? null : Number(r[RAW.metaErrorCode]);
      const title = (r[RAW.metaErrorTitle] as string | null) ?? null;
      const errorKey = `${code}|${title}`;
      const error = this.#errors.get(errorKey);
      if (error) error.count++;
      else this.#errors.set(errorKey, { code, title, count: 1 });
    }
  }

  groups(campaignName: (id: number) => string): SummaryGroup[] {
    return [...this.#groups.values()].map(({ campaignId, ...g }) => ({ ...g, campaign: campaignName(campaignId) }));
  }

  errors(): ErrorCount[] {
    return [...this.#errors.values()];
  }
}
