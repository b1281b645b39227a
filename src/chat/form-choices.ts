// The campaigns and channels a report form offers (all of them, or those matching what is typed),
// for every platform's form: Slack's modal and its option loads, Teams' card and its typeahead.
import { closestNames, normalizeName } from "../domain/name-match.ts";
import type { Store } from "../store/open-store.ts";
import { loadDimensions } from "../store/report-source.ts";

export interface Choice {
  label: string;
  value: string;
}

export interface FormChoices {
  campaigns: Choice[];
  channels: Choice[];
}

export async function formChoices(store: Store, tenantId: number): Promise<FormChoices> {
  const d = await loadDimensions(store, tenantId);
  return {
    campaigns: d.campaigns.map((c) => ({ label: c.name, value: c.name })),
    channels: d.channels.map((c) => ({
      label: c.name === c.phoneNumberId ? c.phoneNumberId : `${c.name} (${c.displayNumber ?? c.phoneNumberId})`,
      value: c.phoneNumberId,
    })),
  };
}

/** Choices containing what was typed, then the closest names; at most `max` (the platform's limit). */
export function matchingChoices(all: Choice[], typed: string, max: number): Choice[] {
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
  return [...new Map(matching.map((o) => [o.value, o])).values()].slice(0, max);
}
