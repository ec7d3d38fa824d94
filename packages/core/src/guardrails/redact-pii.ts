// Personal data redacted before it is stored or logged: offline, by patterns written and tested
// here (a maintained library for this in Node, without a model download, does not exist; the
// patterns follow the formats' own rules: Luhn for cards and Canadian SINs, the SSA's ranges for
// US SSNs, the octet range for IPv4).

/** What a redacted span was. */
export type PiiType =
  | "EMAIL"
  | "CARD"
  | "PHONE"
  | "NATIONAL_ID"
  | "IP_ADDRESS"
  | "AWS_ACCESS_KEY"
  | "AWS_SECRET_KEY";

/** Whether a string of digits passes the Luhn checksum (payment cards, Canadian SINs). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** A card number is 13 to 19 digits. */
const CARD_LENGTHS = [13, 14, 15, 16, 17, 18, 19];

/**
 * Whether a run of digits holds a card number: any 13 to 19 consecutive digits of it passing Luhn
 * (a longer run is redacted whole when any window passes, so no card survives inside it).
 */
export function holdsCardNumber(digits: string): boolean {
  for (const length of CARD_LENGTHS)
    for (let start = 0; start + length <= digits.length; start++)
      if (passesLuhn(digits.slice(start, start + length))) return true;
  return false;
}

/** US SSN: area 001–899 but 666, group 01–99, serial 0001–9999 (the SSA's rules). */
const validSsn = (ssn: string) => {
  const [area, group, serial] = ssn.split(/[- ]/);
  return (
    area !== "000" &&
    area !== "666" &&
    area[0] !== "9" &&
    group !== "00" &&
    serial !== "0000"
  );
};

/**
 * Each detector, in the order they run: the more specific first, so a span is named for what it
 * is; cards before the shorter digit formats, so none of those can split a card number.
 */
const DETECTORS: readonly {
  readonly type: PiiType;
  readonly pattern: RegExp;
  readonly accept?: (match: string) => boolean;
}[] = [
  {
    type: "AWS_ACCESS_KEY",
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{16}\b/g,
  },
  {
    // 40 characters of base64 with upper and lower case and a digit (a hex digest has no upper case).
    type: "AWS_SECRET_KEY",
    pattern: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    accept: (m) => /[A-Z]/.test(m) && /[a-z]/.test(m) && /\d/.test(m),
  },
  {
    type: "EMAIL",
    pattern:
      /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  },
  {
    type: "IP_ADDRESS",
    pattern:
      /\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b/g,
  },
  {
    // IPv6: eight groups, or fewer around one "::" (a time like 10:30:00 is neither).
    type: "IP_ADDRESS",
    pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{1,4}(?![\w:])/g,
    accept: (m) => {
      const colons = (m.match(/:/g) ?? []).length;
      const compressed = m.split("::").length - 1;
      return compressed === 0 ? colons === 7 : compressed === 1 && colons <= 7;
    },
  },
  {
    // Runs of digits, single spaces or hyphens between them, holding a card number anywhere.
    type: "CARD",
    pattern: /\d(?:[ -]?\d){12,}/g,
    accept: (m) => holdsCardNumber(m.replace(/\D/g, "")),
  },
  {
    // US SSN (123-45-6789), UK National Insurance number (QQ 12 34 56 C), Canadian SIN (123-456-782,
    // Luhn), Indian Aadhaar (1234 5678 9012).
    type: "NATIONAL_ID",
    pattern: /\b\d{3}[- ]\d{2}[- ]\d{4}\b/g,
    accept: validSsn,
  },
  {
    type: "NATIONAL_ID",
    pattern:
      /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi,
  },
  {
    type: "NATIONAL_ID",
    pattern: /\b\d{3}[- ]\d{3}[- ]\d{3}\b/g,
    accept: (m) => passesLuhn(m.replace(/\D/g, "")),
  },
  {
    type: "NATIONAL_ID",
    pattern: /\b[2-9]\d{3} \d{4} \d{4}\b/g,
  },
  {
    // Phone numbers: an optional country code, then 9 to 15 digits in groups (a plain year range
    // like 1983-1994 has 8).
    type: "PHONE",
    pattern:
      /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}(?!\w)/g,
    accept: (m) => {
      const digits = m.replace(/\D/g, "").length;
      return digits >= 9 && digits <= 15 && /[ .()+-]/.test(m);
    },
  },
];

/** Redacts a text for storage: the offline patterns, or a service (Amazon Comprehend) and then them. */
export interface PiiRedactor {
  redact(text: string): Promise<string>;
}

/** The offline redactor: {@link redactPii}'s patterns. */
export const OFFLINE_PII_REDACTOR: PiiRedactor = {
  redact: async (text) => redactPii(text).text,
};

/** A text with its personal data replaced by typed placeholders, and what was found. */
export interface Redaction {
  readonly text: string;
  /** How many spans of each type were replaced (for the record; never the spans themselves). */
  readonly found: Partial<Record<PiiType, number>>;
}

/**
 * Replaces personal data with typed placeholders (`[EMAIL]`, `[CARD]`, `[PHONE]`, `[NATIONAL_ID]`,
 * `[IP_ADDRESS]`, `[AWS_ACCESS_KEY]`, `[AWS_SECRET_KEY]`): e-mail addresses, payment card numbers
 * (Luhn), phone numbers, national identifiers (US SSN, UK NINO, Canadian SIN, Aadhaar), IPv4 and
 * IPv6 addresses, AWS access key ids and secret keys.
 */
export function redactPii(text: string): Redaction {
  const found: Partial<Record<PiiType, number>> = {};
  let out = text;
  for (const { type, pattern, accept } of DETECTORS)
    out = out.replace(pattern, (match) => {
      if (accept && !accept(match)) return match;
      found[type] = (found[type] ?? 0) + 1;
      return `[${type}]`;
    });
  return { text: out, found };
}
