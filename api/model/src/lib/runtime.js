import { $extension } from "@typespec/openapi";

/** `@streaming`: the answer streams (API Gateway response streaming; the handler exports `stream`). */
export function $streaming(context, target) {
  $extension(context, target, "x-sextant-streaming", true);
}

const usesOf = new WeakMap();

/**
 * `@uses(capability)`: a resource beyond the database the operation's handler calls; infra grants
 * it (and hands over its environment) from this, never from a list of operation names. Repeatable:
 * recorded as a comma-separated `x-sextant-uses` extension.
 */
export function $uses(context, target, capability) {
  const all = [...(usesOf.get(target) ?? []), capability];
  usesOf.set(target, all);
  $extension(context, target, "x-sextant-uses", all.join(","));
}
