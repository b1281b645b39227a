// The request target as a URL, or null when it is not one we serve. `new URL("//", base)` throws
// (a protocol-relative target with an empty host), and before this module one such request
// killed the process: nothing here throws.

const BASE = "http://localhost";

/** Only origin-form targets (`/path?query`): no `//host`, no absolute or asterisk form. */
export function parseRequestTarget(target: string | undefined): URL | null {
  if (target?.[0] !== "/" || target[1] === "/" || target[1] === "\\") return null;
  try {
    const url = new URL(target, BASE);
    // A target that resolves elsewhere (e.g. through a backslash) is not a path of ours.
    return url.origin === BASE ? url : null;
  } catch {
    return null;
  }
}
