import Alert from "@cloudscape-design/components/alert";
import { useGetAllowance } from "@sextant/api-typescript-react-query-hooks";

const WHAT = {
  messagesPerDay: "questions",
  tokensPerDay: "tokens",
} as const;

/** The caller's daily allowance, shown once less than 20% of a limit is left (none otherwise). */
export function AllowanceNotice() {
  const allowance = useGetAllowance();
  const low = (allowance.data?.items ?? []).filter(
    (a) => a.max - a.used < 0.2 * a.max,
  );
  if (!low.length) return null;
  const time = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
  return (
    <Alert type="warning" header="Your daily allowance is running low">
      {low
        .map((a) => {
          const left = Math.max(0, a.max - a.used);
          const what = WHAT[a.limit as keyof typeof WHAT] ?? a.limit;
          return `${new Intl.NumberFormat().format(left)} of ${new Intl.NumberFormat().format(a.max)} ${what} left today`;
        })
        .join("; ")}
      ; it resets at {time.format(new Date(low[0].resetsAt))}.
    </Alert>
  );
}
