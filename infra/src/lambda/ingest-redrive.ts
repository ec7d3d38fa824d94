import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { SERVICE_CLIENT_LIMITS } from "@sextant/core/aws-clients";

const sqs = new SQSClient({ ...SERVICE_CLIENT_LIMITS });
const sfn = new SFNClient({ ...SERVICE_CLIENT_LIMITS });

/** What the redrive did. */
export interface RedriveResult {
  readonly restarted: number;
  /** Messages left in the queue (unreadable ones, or more than one invocation can move). */
  readonly skipped: number;
}

/**
 * The dead-letter queue's redrive: each failed document's message (`{ bucket, key, error }`)
 * starts the state machine again for that document, then leaves the queue. Invoke it once the
 * cause is fixed (`aws lambda invoke --function-name <IngestRedriveFunctionName> out.json`);
 * documents whose bytes were ingested meanwhile are skipped by their content hash.
 */
export async function handler(
  event: { maxMessages?: number } = {},
  env = {
    queueUrl: process.env.DEAD_LETTER_QUEUE_URL!,
    stateMachineArn: process.env.STATE_MACHINE_ARN!,
  },
): Promise<RedriveResult> {
  const limit = event.maxMessages ?? 1000;
  let restarted = 0;
  let skipped = 0;
  while (restarted + skipped < limit) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: env.queueUrl,
        // Never more than the limit leaves room for (SQS hands out at most 10 at a time).
        MaxNumberOfMessages: Math.min(10, limit - restarted - skipped),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
      }),
    );
    if (Messages.length === 0) break;
    const done: { Id: string; ReceiptHandle: string }[] = [];
    for (const [i, message] of Messages.entries()) {
      let ref: { bucket?: unknown; key?: unknown };
      try {
        ref = JSON.parse(message.Body ?? "");
      } catch {
        ref = {};
      }
      if (typeof ref.bucket !== "string" || typeof ref.key !== "string") {
        // Left for a person to read: it becomes visible again, and the queue keeps it 14 days.
        skipped += 1;
        continue;
      }
      await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: env.stateMachineArn,
          input: JSON.stringify({ bucket: ref.bucket, key: ref.key }),
        }),
      );
      restarted += 1;
      done.push({ Id: String(i), ReceiptHandle: message.ReceiptHandle! });
    }
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: env.queueUrl,
          Entries: done,
        }),
      );
    }
  }
  return { restarted, skipped };
}
