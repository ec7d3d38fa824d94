import {
  ComprehendClient,
  DetectPiiEntitiesCommand,
} from "@aws-sdk/client-comprehend";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { ComprehendPiiRedactor } from "./comprehend-pii";
import { postMessage } from "../chat/messages";
import { createSession } from "../chat/sessions";
import { openDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";

// Comprehend cannot be reached here: recorded DetectPiiEntities responses in the shape the API
// reference documents (Entities: BeginOffset, EndOffset exclusive, Score, Type).
// https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectPiiEntities.html
const comprehend = mockClient(ComprehendClient);
beforeEach(() => comprehend.reset());

const at = (text: string, span: string) => ({
  BeginOffset: text.indexOf(span),
  EndOffset: text.indexOf(span) + span.length,
});

describe("ComprehendPiiRedactor (recorded AWS SDK responses)", () => {
  it("replaces what Comprehend finds with typed placeholders, keeps dates and low-confidence finds, then applies the offline patterns", async () => {
    const text =
      "Jane Doe of 12 Main St, Springfield asked in 1983 about card 4111 1111 1111 1111 and passport X1234567; maybe Paris.";
    comprehend.on(DetectPiiEntitiesCommand).resolves({
      Entities: [
        { ...at(text, "Jane Doe"), Score: 0.99, Type: "NAME" },
        {
          ...at(text, "12 Main St, Springfield"),
          Score: 0.97,
          Type: "ADDRESS",
        },
        { ...at(text, "1983"), Score: 0.9, Type: "DATE_TIME" },
        { ...at(text, "X1234567"), Score: 0.93, Type: "PASSPORT_NUMBER" },
        { ...at(text, "Paris"), Score: 0.2, Type: "NAME" },
        // The card is not among Comprehend's finds here: the offline patterns still take it.
      ],
    });
    expect(
      await new ComprehendPiiRedactor(
        "en",
        new ComprehendClient({ region: "eu-west-1" }),
      ).redact(text),
    ).toBe(
      "[NAME] of [ADDRESS] asked in 1983 about card [CARD] and passport [PASSPORT_NUMBER]; maybe Paris.",
    );
    expect(
      comprehend.commandCalls(DetectPiiEntitiesCommand)[0].args[0].input,
    ).toEqual({
      Text: text,
      LanguageCode: "en",
    });
  });

  it("names national identifiers and cards as the offline placeholders do", async () => {
    const text = "SSN 123-45-6789, NINO AB123456C";
    comprehend.on(DetectPiiEntitiesCommand).resolves({
      Entities: [
        { ...at(text, "123-45-6789"), Score: 0.99, Type: "SSN" },
        {
          ...at(text, "AB123456C"),
          Score: 0.99,
          Type: "UK_NATIONAL_INSURANCE_NUMBER",
        },
      ],
    });
    expect(
      await new ComprehendPiiRedactor(
        "en",
        new ComprehendClient({ region: "eu-west-1" }),
      ).redact(text),
    ).toBe("SSN [NATIONAL_ID], NINO [NATIONAL_ID]");
  });

  it("sends a long text in pieces within Comprehend's 100 KB, and none of it twice", async () => {
    comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [] });
    const text = "word ".repeat(10_000); // 50,000 characters
    expect(
      await new ComprehendPiiRedactor(
        "en",
        new ComprehendClient({ region: "eu-west-1" }),
      ).redact(text),
    ).toBe(text);
    const sent = comprehend
      .commandCalls(DetectPiiEntitiesCommand)
      .map((c) => c.args[0].input.Text!);
    expect(sent.join("")).toBe(text);
    for (const piece of sent)
      expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(100_000);
  });
});

describe("what is stored with Comprehend as the detector (embedded Postgres; Comprehend recorded)", () => {
  it("stores the question with what Comprehend found redacted", async () => {
    const question = "Did Jane Doe write about the canal?";
    comprehend
      .on(DetectPiiEntitiesCommand)
      .callsFake(({ Text }: { Text: string }) => ({
        Entities: Text.includes("Jane Doe")
          ? [{ ...at(Text, "Jane Doe"), Score: 0.99, Type: "NAME" }]
          : [],
      }));
    const store = await openDatabase(undefined, "");
    try {
      const session = await createSession(store.db, "ada");
      const pair = await postMessage(
        {
          db: store.db,
          embedder: new LocalEmbedder(),
          piiRedactor: new ComprehendPiiRedactor(
            "en",
            new ComprehendClient({ region: "eu-west-1" }),
          ),
        },
        {
          owner: "ada",
          sessionId: session.id,
          question,
          config: DEFAULT_INFERENCE_CONFIG,
          collections: "all",
        },
      );
      expect(pair.question.content).toBe("Did [NAME] write about the canal?");
    } finally {
      await store.close();
    }
  });
});
