import { useCallback, useState } from "react";

/**
 * Text kept in session storage under `sextant.<key>`, so neither a reload nor a sign-in redirect
 * after an expired session loses it (message drafts, dev-settings overrides).
 */
export function useStoredText(key: string): [string, (value: string) => void] {
  const storageKey = `sextant.${key}`;
  const [state, setState] = useState({
    key: storageKey,
    value: sessionStorage.getItem(storageKey) ?? "",
  });
  let value = state.value;
  if (state.key !== storageKey) {
    value = sessionStorage.getItem(storageKey) ?? "";
    setState({ key: storageKey, value });
  }
  const update = useCallback(
    (next: string) => {
      setState({ key: storageKey, value: next });
      if (next) sessionStorage.setItem(storageKey, next);
      else sessionStorage.removeItem(storageKey);
    },
    [storageKey],
  );
  return [value, update];
}
