// Money is an integer count of fen (bigint from the API's int64 fields); it is formatted and parsed
// as text, never through a floating-point number.

/** 29900n → "299.00" */
export function yuan(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const whole = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${whole.toString()}.${cents}`;
}

/** "299" | "299.5" | "299.50" → 29950n; anything else (more than two decimals, signs, letters) → null. */
export function parseYuan(text: string): bigint | null {
  const m = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const whole = m[1] ?? "0";
  const cents = (m[2] ?? "").padEnd(2, "0");
  return BigInt(whole) * 100n + BigInt(cents);
}

/** A share as a percentage with one decimal, "—" when there is nothing to divide by. */
export function percent(part: bigint, whole: bigint): string {
  if (whole <= 0n) return "—";
  // Tenths of a percent, rounded half up, in integer arithmetic.
  const tenths = (part * 2000n + whole) / (2n * whole);
  return `${(tenths / 10n).toString()}.${(tenths % 10n).toString()}%`;
}

/** The same share as a number for a chart axis (0..100). */
export function percentValue(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  return Number((part * 10000n) / whole) / 100;
}
