import { AspectPriority, Aspects, type IAspect, type Stack } from "aws-cdk-lib";
import { CfnFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import type { IConstruct } from "constructs";

/** The Node.js runtime every function of Sextant's stacks runs on. */
export const NODE_RUNTIME = Runtime.NODEJS_24_X;

/**
 * Moves every Node.js function of a stack to {@link NODE_RUNTIME}, including those of constructs
 * we do not own: PDK's spec-preparation provider pins `nodejs20.x`, deprecated since 2026-04-30,
 * on which Lambda stops creating functions from 2027-02-01, so a fresh deployment would fail.
 * The runtime-parity test loads each bundle on this Node major.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated
 */
export class NewestNodeRuntime implements IAspect {
  static applyTo(stack: Stack): void {
    // Before the nag pack looks at the function.
    Aspects.of(stack).add(new NewestNodeRuntime(), {
      priority: AspectPriority.MUTATING,
    });
  }

  visit(node: IConstruct): void {
    if (
      node instanceof CfnFunction &&
      typeof node.runtime === "string" &&
      node.runtime.startsWith("nodejs") &&
      node.runtime !== NODE_RUNTIME.name
    )
      node.runtime = NODE_RUNTIME.name;
  }
}
