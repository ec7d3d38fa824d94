import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { passesLuhn, redactPii } from "./redact-pii";

/** Luhn, written again here the textbook way, so the property does not trust the code it checks. */
const luhn = (digits: string) =>
  [...digits]
    .reverse()
    .map(Number)
    .map((d, i) => (i % 2 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d))
    .reduce((a, b) => a + b, 0) %
    10 ===
  0;

/**
 * Every run of 13 to 19 digits (single spaces or hyphens between them allowed) that passes Luhn,
 * found the naive way: each window of each maximal run of digits and separators.
 */
function cardNumbersIn(text: string): string[] {
  const cards: string[] = [];
  for (const run of text.match(/\d(?:[ -]?\d)*/g) ?? []) {
    const digits = run.replace(/\D/g, "");
    for (let length = 13; length <= 19; length++)
      for (let i = 0; i + length <= digits.length; i++) {
        const window = digits.slice(i, i + length);
        if (luhn(window)) cards.push(window);
      }
  }
  return cards;
}

describe("redactPii (offline patterns)", () => {
  it("checks Luhn as the card networks do", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("378282246310005")).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
  });

  it.each([
    [
      "mail me at jane.doe+work@example.co.uk today",
      "mail me at [EMAIL] today",
      "EMAIL",
    ],
    ["card 4111 1111 1111 1111, thanks", "card [CARD], thanks", "CARD"],
    ["card 4111-1111-1111-1111", "card [CARD]", "CARD"],
    ["amex 378282246310005.", "amex [CARD].", "CARD"],
    [
      "call +1 (555) 123-4567 or 020 7946 0958",
      "call [PHONE] or [PHONE]",
      "PHONE",
    ],
    ["my SSN is 123-45-6789", "my SSN is [NATIONAL_ID]", "NATIONAL_ID"],
    ["NI number AB 12 34 56 C", "NI number [NATIONAL_ID]", "NATIONAL_ID"],
    ["SIN 046-454-286", "SIN [NATIONAL_ID]", "NATIONAL_ID"],
    ["Aadhaar 2345 6789 0123", "Aadhaar [NATIONAL_ID]", "NATIONAL_ID"],
    [
      "from 192.168.10.254 and 2001:db8::8a2e:370:7334",
      "from [IP_ADDRESS] and [IP_ADDRESS]",
      "IP_ADDRESS",
    ],
    ["key AKIAIOSFODNN7EXAMPLE", "key [AWS_ACCESS_KEY]", "AWS_ACCESS_KEY"],
    [
      "secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "secret [AWS_SECRET_KEY]",
      "AWS_SECRET_KEY",
    ],
  ])("%s", (input, expected, type) => {
    const { text, found } = redactPii(input);
    expect(text).toBe(expected);
    expect(Object.keys(found)).toEqual([type]);
  });

  it("leaves what is not personal data as it is: years, amounts, dates, versions, digests, invalid numbers", () => {
    for (const text of [
      "Which addresses of 1983-1994 spoke of the Soviet Union?",
      "The debt was $1,234,567,890 in 1835; 50 000 men enlisted.",
      "Meet on 2024-01-15 at 10:30, room 4.2.1.",
      "sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 of v1.2.3",
      "IP-like 999.1.1.1 is not an address",
    ])
      expect(redactPii(text)).toEqual({ text, found: {} });
    // Outside the SSA's ranges: not an SSN (nine digits in groups still read as a phone number).
    for (const ssn of [
      "000-12-3456",
      "666-12-3456",
      "900-12-3456",
      "123-00-4567",
    ])
      expect(redactPii(ssn).found.NATIONAL_ID).toBeUndefined();
  });

  it("leaves no card number that passes Luhn, whatever the surrounding text (property)", () => {
    const digitsAndSeparators = fc.stringMatching(/^[0-9 \-a-z.]{0,80}$/);
    const withCard = fc
      .tuple(
        digitsAndSeparators,
        fc.integer({ min: 13, max: 19 }).chain((n) =>
          fc.array(fc.integer({ min: 0, max: 9 }), {
            minLength: n - 1,
            maxLength: n - 1,
          }),
        ),
        digitsAndSeparators,
      )
      .map(([before, body, after]) => {
        // Complete the body with its Luhn check digit.
        const partial = body.join("");
        const check = [...Array(10).keys()].find((d) => luhn(partial + d))!;
        return `${before}${partial}${check}${after}`;
      });
    fc.assert(
      fc.property(fc.oneof(digitsAndSeparators, withCard), (text) => {
        expect(cardNumbersIn(redactPii(text).text)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});
