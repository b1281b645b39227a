// Matching what a person typed against the names we know: case- and accent-insensitive, and when
// nothing matches, the closest names to suggest ("Campana Chatigo" → "Campaña chattigo").
import { distance } from "fastest-levenshtein";

export function normalizeName(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .trim()
    .replace(/\s+/g, " ");
}

/** The candidate equal to `given` once normalised, if any. */
export function findName<T extends string>(given: string, candidates: readonly T[]): T | undefined {
  const wanted = normalizeName(given);
  return candidates.find((c) => normalizeName(c) === wanted);
}

/** Up to `limit` candidates close to `given`, closest first; empty when none is plausibly meant. */
export function closestNames(given: string, candidates: readonly string[], limit = 3): string[] {
  const wanted = normalizeName(given);
  if (!wanted) return [];
  const scored = candidates.map((name) => {
    const n = normalizeName(name);
    const contains = n.includes(wanted) || wanted.includes(n);
    return { name, score: contains ? 0 : distance(wanted, n) / Math.max(wanted.length, n.length) };
  });
  const best = Math.min(...scored.map((s) => s.score));
  // Plausible (at most half the letters differ) and not much worse than the best guess.
  return scored
    .filter((s) => s.score <= Math.min(0.5, best + 0.2))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}
