// The campaigns and channels the form offers (all of them, or those matching what is typed).
import { closestNames, normalizeName } from "../../domain/name-match.ts";
import type { Store } from "../../store/open-store.ts";
import { loadDimensions } from "../../store/report-source.ts";
import { type ModalChoices, STATIC_OPTIONS_MAX } from "./report-modal.ts";

export async function modalChoices(store: Store, tenantId: number): Promise<ModalChoices> {
  const d = await loadDimensions(store, tenantId);
  return {
    campaigns: d.campaigns.map((c) => ({ label: c.name, value: c.name })),
    channels: d.channels.map((c) => ({
      label: c.name === c.phoneNumberId ? c.phoneNumberId : `${c.name} (${c.displayNumber ?? c.phoneNumberId})`,
      value: c.phoneNumberId,
    })),
  };
}

/** Options containing what was typed, then the closest names; at most Slack's 100. */
export function matchingChoices(all: { label: string; value: string }[], typed: string): { label: string; value: string }[] {
  const wanted = normalizeName(typed);
  const matching = wanted
    ? [
        ...all.filter((o) => normalizeName(o.label).includes(wanted)),
        ...closestNames(
          wanted,
          all.map((o) => o.label),
        ).flatMap((label) => all.filter((o) => o.label === label)),
      ]
    : all;
  return [...new Map(matching.map((o) => [o.value, o])).values()].slice(0, STATIC_OPTIONS_MAX);
}
