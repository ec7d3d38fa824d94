import { InvalidArgumentError } from "commander";

/** `--k`: a whole number of passages from 1 to 50 (what retrieval accepts). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50)
    throw new InvalidArgumentError("must be a whole number from 1 to 50.");
  return n;
}
