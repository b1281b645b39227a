// `@hsm-report history`: the person's last reports, as markdown text (one line each).
import type { Locale } from "../../domain/tenant.ts";
import type { ReportJob } from "../../store/report-jobs.ts";
import { describeRequest } from "../describe-request.ts";
import { clip, escapeMarkup } from "../safe-text.ts";
import { formatNumber, teamsText } from "./teams-text.ts";

/** A markdown link target: the characters that would end it are percent-encoded. */
const linkUrl = (url: string) => url.replace(/[()[\]<>\s]/g, (c) => encodeURIComponent(c));
const linkLabel = (label: string) => label.replace(/[[\]]/g, (c) => `\\${c}`);

export function historyText(jobs: ReportJob[], locale: Locale): string {
  const t = teamsText(locale);
  if (jobs.length === 0) return t.historyEmpty;
  const lines = jobs.map((j) => {
    const when = j.createdAt.toISOString().slice(0, 16).replace("T", " ");
    const name = j.fileName ? escapeMarkup(clip(j.fileName, 80)) : "";
    const file = j.permalink ? `[${linkLabel(name || t.file)}](${linkUrl(j.permalink)})` : name;
    const rows = j.rows !== null ? ` · ${formatNumber(j.rows, locale)} ${t.rows}` : "";
    const size = j.fileBytes ? ` · ${(j.fileBytes / 1024).toFixed(0)} KiB` : "";
    const status = t.statusText[j.status] ?? j.status;
    return `- ${when} UTC · ${describeRequest(j, 300)} · ${status}${rows}${size}${file ? ` · ${file}` : ""}`;
  });
  return `**${t.historyTitle}**\n\n${lines.join("\n")}`;
}
