import {
  LambdaIntegration,
  type IntegrationRenderProps,
} from "@aws/pdk/type-safe-api";
import { Aws } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";

/**
 * A Lambda proxy integration in API Gateway's `STREAM` response transfer mode: the function's
 * response (a `streamifyResponse` handler) reaches the client as it is written, through the same
 * REST API, authorizer, WAF and custom domain as every other operation.
 */
export class StreamingLambdaIntegration extends LambdaIntegration {
  constructor(private readonly fn: IFunction) {
    super(fn);
  }

  render(props: IntegrationRenderProps) {
    return {
      ...super.render(props),
      uri: `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2021-11-15/functions/${this.fn.functionArn}/response-streaming-invocations`,
      responseTransferMode: "STREAM",
    };
  }
}
