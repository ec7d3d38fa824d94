import { $extension } from "@typespec/openapi";

/** `@requiresGroup(group)`: records the group as the `x-sextant-requires-group` extension on the operation. */
export function $requiresGroup(context, target, group) {
  $extension(context, target, "x-sextant-requires-group", group);
}
