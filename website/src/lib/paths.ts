/** The value at a dotted path (`retrieval.k`) of a nested object. */
export function getAt(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (v, key) =>
        typeof v === "object" && v !== null
          ? (v as Record<string, unknown>)[key]
          : undefined,
      value,
    );
}

/** A copy of `value` with the dotted path set (objects along the path are copied, never mutated). */
export function withAt<T>(value: T, path: string, next: unknown): T {
  const [key, ...rest] = path.split(".");
  const object = (
    typeof value === "object" && value !== null ? value : {}
  ) as Record<string, unknown>;
  return {
    ...object,
    [key]: rest.length ? withAt(object[key], rest.join("."), next) : next,
  } as T;
}

/** `base` with each change's new value set at its path (`diffConfig`'s output applied back). */
export const applyChanges = <T>(
  base: T,
  changes: readonly { path: string; to: unknown }[],
): T => changes.reduce((acc, c) => withAt(acc, c.path, c.to), base);

/** What a number field holds: the number when the text is one, else the text (validation names it). */
export const numberOrText = (text: string): number | string =>
  text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
