// Meta's typed failures (a `failed` status with errors[]). The comment is "CODE - title", as the
// seed's example "408 - Message is not valid". Meta's titles are not stable, so the title Meta sent
// wins and this table only fills in when a status carried a code without one.

export interface MetaFailure {
  at: Date;
  code: number | null;
  title: string | null;
}

/** Titles from Meta's error-code reference (shared/reference/meta-webhooks.md §7). */
export const META_ERROR_TITLES: Readonly<Record<number, string>> = {
  131000: "Something went wrong",
  131026: "Message undeliverable",
  131047: "Re-engagement message",
  131049: "This message was not delivered to maintain healthy ecosystem engagement.",
  131050: "User has stopped receiving marketing messages from this business",
  131053: "Media upload error",
  131056: "(Business Account, Consumer Account) pair rate limit hit",
  130472: "User's number is part of an experiment",
  131048: "Spam rate limit hit",
  131042: "Business eligibility payment issue",
  132000: "Number of parameters does not match the expected number of params",
  132001: "Template does not exist",
  132005: "Translated text too long",
  132007: "Template format character policy violated",
  132012: "Parameter format does not match format in the created template",
  132015: "Template is paused",
  132016: "Template is disabled",
};

export function metaErrorTitle(code: number | null, sentTitle: string | null): string | null {
  if (sentTitle?.trim()) return sentTitle.trim();
  return code === null ? null : (META_ERROR_TITLES[code] ?? null);
}
