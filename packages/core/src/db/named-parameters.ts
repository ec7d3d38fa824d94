/**
 * SQL with named parameters (`:queryText`, lower camel case), turned into Postgres's positional
 * ones (`$1`…) with their values in order. A name the values lack, or a value no name uses, throws:
 * a statement cannot silently bind the wrong value. Casts (`::vector`), quoted text (`':A'`) and
 * `--` comments are left alone.
 */
export function withNamedParameters(
  text: string,
  values: Readonly<Record<string, unknown>>,
): { text: string; values: unknown[] } {
  const order: string[] = [];
  const positional = text.replace(
    /(--[^\n]*|'(?:[^']|'')*')|(?<![:\w]):([a-z][A-Za-z0-9]*)/g,
    (match, skipped: string | undefined, name: string | undefined) => {
      if (skipped !== undefined) return match;
      if (!(name! in values))
        throw new Error(`SQL parameter :${name} has no value`);
      if (!order.includes(name!)) order.push(name!);
      return `$${order.indexOf(name!) + 1}`;
    },
  );
  const unused = Object.keys(values).filter((name) => !order.includes(name));
  if (unused.length)
    throw new Error(
      `SQL parameters never used: ${unused.map((n) => `:${n}`).join(", ")}`,
    );
  return { text: positional, values: order.map((name) => values[name]) };
}
