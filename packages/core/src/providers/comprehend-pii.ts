import {
  ComprehendClient,
  DetectPiiEntitiesCommand,
  type LanguageCode,
} from "@aws-sdk/client-comprehend";
import { SERVICE_CLIENT_LIMITS } from "../aws-client-config";
import { redactPii, type PiiRedactor } from "../guardrails/redact-pii";

/** Comprehend's entity types, as the offline placeholders name them; others keep their own name. */
const AS_OFFLINE: Record<string, string> = {
  CREDIT_DEBIT_NUMBER: "CARD",
  SSN: "NATIONAL_ID",
  UK_NATIONAL_INSURANCE_NUMBER: "NATIONAL_ID",
  CA_SOCIAL_INSURANCE_NUMBER: "NATIONAL_ID",
  IN_AADHAAR: "NATIONAL_ID",
  US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER: "NATIONAL_ID",
};

/**
 * Not redacted: dates and URLs are what questions about documents are made of ("the address of
 * 1983"), not personal data by themselves.
 */
const KEPT = new Set(["DATE_TIME", "URL"]);

/** Detections below this confidence are left. */
const MIN_SCORE = 0.5;

/** Text per call: Comprehend takes at most 100 KB of UTF-8, and a character is at most 4 bytes. */
const CHUNK_CHARACTERS = 20_000;

/**
 * Personal data found by Amazon Comprehend (DetectPiiEntities: names, addresses, bank accounts,
 * passports and more), replaced by typed placeholders; then the offline patterns, so a card that
 * passes Luhn or an AWS key is redacted whatever the service found. IAM:
 * `comprehend:DetectPiiEntities`, which has no resource-level permissions.
 * https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectPiiEntities.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncomprehend.html
 */
export class ComprehendPiiRedactor implements PiiRedactor {
  constructor(
    private readonly languageCode: LanguageCode = "en",
    private readonly client: ComprehendClient = new ComprehendClient({
      ...SERVICE_CLIENT_LIMITS,
    }),
  ) {}

  async redact(text: string): Promise<string> {
    let out = "";
    for (let start = 0; start < text.length; start += CHUNK_CHARACTERS) {
      const chunk = text.slice(start, start + CHUNK_CHARACTERS);
      out += chunk.trim() ? await this.redactChunk(chunk) : chunk;
    }
    return redactPii(out).text;
  }

  private async redactChunk(text: string): Promise<string> {
    const { Entities = [] } = await this.client.send(
      new DetectPiiEntitiesCommand({
        Text: text,
        LanguageCode: this.languageCode,
      }),
    );
    // From the end, so earlier offsets stay right (EndOffset is exclusive).
    return Entities.filter(
      (e) =>
        e.Type &&
        !KEPT.has(e.Type) &&
        (e.Score ?? 0) >= MIN_SCORE &&
        e.BeginOffset !== undefined &&
        e.EndOffset !== undefined,
    )
      .sort((a, b) => b.BeginOffset! - a.BeginOffset!)
      .reduce(
        (t, e) =>
          `${t.slice(0, e.BeginOffset!)}[${AS_OFFLINE[e.Type!] ?? e.Type}]${t.slice(e.EndOffset!)}`,
        text,
      );
  }
}
