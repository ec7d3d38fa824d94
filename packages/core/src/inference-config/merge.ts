// Pure functions over configurations (no database): the website imports them too.

/** A changed leaf of the configuration. */
export interface ConfigChange {
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Every leaf that differs between two configurations. */
export function diffConfig(
  from: unknown,
  to: unknown,
  path = "",
): ConfigChange[] {
  if (isObject(from) && isObject(to)) {
    const keys = [
      ...new Set([...Object.keys(from), ...Object.keys(to)]),
    ].sort();
    return keys.flatMap((k) =>
      diffConfig(from[k], to[k], path ? `${path}.${k}` : k),
    );
  }
  return JSON.stringify(from) === JSON.stringify(to)
    ? []
    : [{ path: path || "(root)", from, to }];
}

/** `base` with `overrides` merged in, object by object (overrides win; arrays and scalars replace). */
export function mergeConfig(base: unknown, overrides: unknown): unknown {
  if (!isObject(base) || !isObject(overrides))
    return overrides === undefined ? base : overrides;
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides))
    merged[k] = mergeConfig(base[k], v);
  return merged;
}
