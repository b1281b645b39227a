// What the person hears when something fails that is not their doing. The cause (a path, SQL, a
// stack) stays in the log; the conversation gets a sentence and a short reference the operator
// finds in the log entry of that failure.
import { randomBytes } from "node:crypto";
import type { Locale } from "../domain/tenant.ts";

/** A short reference for one failure, e.g. `7f3a9c`: logged as `ref` and shown to the person. */
export function failureRef(): string {
  return randomBytes(3).toString("hex");
}

/** An unexpected failure, said so the person knows it is not their doing and how to try again. */
export function failureText(locale: Locale, ref: string): string {
  return locale === "en"
    ? `The report could not be generated because of an internal error (ref ${ref}). Run the same command again; if it fails again, tell your administrator and give them that reference.`
    : `No se pudo generar el reporte por un error interno (ref ${ref}). Vuelve a ejecutar el mismo comando; si vuelve a fallar, avisa a tu administrador y dale esa referencia.`;
}

/** The last attempt failed too: the job stops here. */
export function gaveUpText(locale: Locale, attempts: number, ref: string): string {
  return locale === "en"
    ? `I gave up on this report after ${attempts} attempts: the database or the chat service did not answer (ref ${ref}). Ask for it again in a few minutes; if it fails again, tell your administrator and give them that reference.`
    : `Dejé de intentar este reporte después de ${attempts} intentos: la base de datos o el servicio de chat no respondían (ref ${ref}). Vuelve a pedirlo en unos minutos; si vuelve a fallar, avisa a tu administrador y dale esa referencia.`;
}
