import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { handler } from "../src/lambda/ingest-redrive";

// SQS and Step Functions cannot be reached here: recorded AWS SDK responses (aws-sdk-client-mock).
const sqs = mockClient(SQSClient);
const sfn = mockClient(SFNClient);
const env = {
  queueUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/dead-letters",
  stateMachineArn: "arn:aws:states:eu-west-1:111111111111:stateMachine:ingest",
};
const message = (id: string, body: unknown) => ({
  MessageId: id,
  ReceiptHandle: `receipt-${id}`,
  Body: typeof body === "string" ? body : JSON.stringify(body),
});

beforeEach(() => {
  sqs.reset();
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: "arn:execution" });
  sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe("the dead-letter queue's redrive (recorded AWS SDK responses)", () => {
  it("starts one execution per failed document, then deletes exactly those messages", async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          message("1", {
            bucket: "uploads-bucket",
            key: "uploads/a.pdf",
            error: { Error: "ModelUnavailableError" },
          }),
          message("2", "not json"),
          message("3", { bucket: "uploads-bucket", key: "uploads/b.txt" }),
        ],
      })
      .resolves({ Messages: [] });
    expect(await handler({}, env)).toEqual({ restarted: 2, skipped: 1 });
    expect(
      sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input),
    ).toEqual([
      {
        stateMachineArn: env.stateMachineArn,
        input: '{"bucket":"uploads-bucket","key":"uploads/a.pdf"}',
      },
      {
        stateMachineArn: env.stateMachineArn,
        input: '{"bucket":"uploads-bucket","key":"uploads/b.txt"}',
      },
    ]);
    const [deleted] = sqs.commandCalls(DeleteMessageBatchCommand);
    expect(deleted.args[0].input.Entries!.map((e) => e.ReceiptHandle)).toEqual([
      "receipt-1",
      "receipt-3",
    ]);
  });

  it("keeps a message whose execution could not start, for the next redrive", async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [message("1", { bucket: "b", key: "uploads/a.txt" })],
      })
      .resolves({ Messages: [] });
    sfn.on(StartExecutionCommand).rejects(
      Object.assign(new Error("Rate exceeded"), {
        name: "ThrottlingException",
      }),
    );
    await expect(handler({}, env)).rejects.toThrow("Rate exceeded");
    expect(sqs.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  it("stops at maxMessages", async () => {
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [message("1", { bucket: "b", key: "uploads/a.txt" })],
    });
    expect(await handler({ maxMessages: 3 }, env)).toEqual({
      restarted: 3,
      skipped: 0,
    });
  });

  it("takes full batches of ten, starts one execution per document, deletes exactly those, and stops at its limit", async () => {
    const batch = Array.from({ length: 10 }, (_, i) =>
      i === 3
        ? message(String(i), "not json")
        : message(String(i), {
            bucket: "uploads-bucket",
            key: `uploads/${i}.pdf`,
          }),
    );
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: batch })
      .resolves({ Messages: [] });
    expect(await handler({}, env)).toEqual({ restarted: 9, skipped: 1 });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(9);
    const [deleted] = sqs.commandCalls(DeleteMessageBatchCommand);
    expect(deleted.args[0].input.Entries!.map((e) => e.ReceiptHandle)).toEqual(
      batch.filter((_, i) => i !== 3).map((m) => m.ReceiptHandle),
    );
    expect(
      sqs.commandCalls(ReceiveMessageCommand)[0].args[0].input
        .MaxNumberOfMessages,
    ).toBe(10);

    // A limit below a batch asks SQS for no more than the limit.
    sqs.reset();
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: "arn:execution" });
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    sqs.on(ReceiveMessageCommand).callsFake((input) => ({
      Messages: batch
        .filter((_, i) => i !== 3)
        .slice(0, input.MaxNumberOfMessages),
    }));
    expect(await handler({ maxMessages: 4 }, env)).toEqual({
      restarted: 4,
      skipped: 0,
    });
    expect(
      sqs.commandCalls(ReceiveMessageCommand)[0].args[0].input
        .MaxNumberOfMessages,
    ).toBe(4);
  });
});
