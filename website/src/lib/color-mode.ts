import { applyMode, Mode } from "@cloudscape-design/global-styles";

const KEY = "sextant.colorMode";

/** The colour mode the user chose last, else the system's. */
export function preferredMode(): Mode {
  const saved = localStorage.getItem(KEY);
  if (saved === Mode.Dark || saved === Mode.Light) return saved;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches
    ? Mode.Dark
    : Mode.Light;
}

/** Applies a colour mode to the page and remembers it. */
export function setColorMode(mode: Mode, remember = true): void {
  applyMode(mode);
  if (remember) localStorage.setItem(KEY, mode);
}
