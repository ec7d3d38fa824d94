/**
 * How every AWS SDK client of Sextant retries and times out, set explicitly rather than left to
 * the SDK's defaults (3 attempts, no request timeout), so that "3 attempts" means 3 and a hung
 * connection ends. https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/configuring-retries.html
 */
export interface AwsClientLimits {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  readonly requestHandler: {
    /** Milliseconds to open the connection. */
    readonly connectionTimeout: number;
    /** Milliseconds a request may go without a byte arriving. */
    readonly requestTimeout: number;
  };
}

/**
 * Model calls (Bedrock, SageMaker): one attempt each, since `withRetries` already retries them
 * with backoff (three attempts in all); a minute without a byte ends a hung stream.
 */
export const MODEL_CLIENT_LIMITS: AwsClientLimits = {
  maxAttempts: 1,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 60_000 },
};

/** Every other AWS call (S3, Cognito, Secrets Manager, SQS, Step Functions, the Data API). */
export const SERVICE_CLIENT_LIMITS: AwsClientLimits = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000 },
};
