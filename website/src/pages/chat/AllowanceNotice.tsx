import Alert from "@cloudscape-design/components/alert";
import { useGetAllowance } from "@sextant/api-typescript-react-query-hooks";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";

/** The allowance's sentence by limit (a catalogue key). */
const LEFT: Record<string, string> = {
  messagesPerDay: "allowanceNotice.questionsLeft",
  tokensPerDay: "allowanceNotice.tokensLeft",
};

/** The caller's daily allowance, shown once less than 20% of a limit is left (none otherwise). */
export function AllowanceNotice() {
  const { t } = useTranslation();
  const format = useFormat();
  const allowance = useGetAllowance();
  const low = (allowance.data?.items ?? []).filter(
    (a) => a.max - a.used < 0.2 * a.max && a.limit in LEFT,
  );
  if (!low.length) return null;
  return (
    <Alert
      type="warning"
      header={t("allowanceNotice.yourDailyAllowanceIsRunning")}
    >
      {t("allowanceNotice.resets", {
        left: format.list(
          low.map((a) =>
            t(LEFT[a.limit], {
              left: format.number(Math.max(0, a.max - a.used)),
              max: format.number(a.max),
            }),
          ),
        ),
        time: format.time(new Date(low[0].resetsAt)),
      })}
    </Alert>
  );
}
