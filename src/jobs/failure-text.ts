import type { Locale } from "../domain/tenant.ts";

/** An unexpected failure, said so the person knows it is not their doing and how to try again. */
export function failureText(locale: Locale, error: unknown): string {
  const reason = (error as Error)?.message ?? String(error);
  return locale === "en"
    ? `The report could not be generated (${reason}). Run the same command again; if it fails again, tell your administrator.`
    : `No se pudo generar el reporte (${reason}). Vuelve a ejecutar el mismo comando; si vuelve a fallar, avisa a tu administrador.`;
}
