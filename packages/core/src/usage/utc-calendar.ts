/** A UTC day as `YYYY-MM-DD`: what usage is counted, reported and reset by. */
export const isoDay = (t: Date): string => t.toISOString().slice(0, 10);

/** The first day of `t`'s UTC month, as `YYYY-MM-DD` (the monthly budget's key). */
export const monthOf = (t: Date): string => `${isoDay(t).slice(0, 7)}-01`;

/** The next UTC midnight after `t`: when daily limits reset. */
export const nextUtcDay = (t: Date): Date =>
  new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1));

/** The first instant of the UTC month after `t`'s: when the monthly budget resets. */
export const nextUtcMonth = (t: Date): Date =>
  new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
