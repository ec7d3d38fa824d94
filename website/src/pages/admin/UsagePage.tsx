import BarChart from "@cloudscape-design/components/bar-chart";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ColumnLayout from "@cloudscape-design/components/column-layout";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import DatePicker from "@cloudscape-design/components/date-picker";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import SegmentedControl from "@cloudscape-design/components/segmented-control";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Table from "@cloudscape-design/components/table";
import {
  DefaultApiClientContext,
  useGetUsage,
  type UsageBucket,
} from "@sextant/api-typescript-react-query-hooks";
import { useContext, useState } from "react";
import { useTranslation } from "react-i18next";
import { QuotasEditor } from "./QuotasEditor";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useFormat } from "../../lib/format";

const GROUPINGS = ["day", "user", "group", "model", "assistant"] as const;

const isoDay = (t: Date) => t.toISOString().slice(0, 10);

/** Usage (administrators): tokens, messages and estimated cost over time and by who and what, with the quotas beside. */
export default function UsagePage() {
  const { t } = useTranslation();
  const format = useFormat();
  const groupings = GROUPINGS.map((id) => ({
    id,
    text: t(`usagePage.grouping.${id}`),
  }));
  const api = useContext(DefaultApiClientContext)!;
  const [to, setTo] = useState(isoDay(new Date()));
  const [from, setFrom] = useState(
    isoDay(new Date(Date.now() - 29 * 86_400_000)),
  );
  const [groupBy, setGroupBy] = useState<string>("day");
  const usage = useGetUsage({ from, to, groupBy });
  const [downloadError, setDownloadError] = useState<unknown>();
  const buckets = usage.data?.buckets ?? [];
  const name = (b: UsageBucket) => b.label ?? b.key;

  const download = async () => {
    setDownloadError(undefined);
    try {
      const csv = await api.exportUsage({ from, to, groupBy });
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `sextant-usage-${groupBy}-${from}-${to}.csv`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setDownloadError(e);
    }
  };

  return (
    <ContentLayout
      header={<Header variant="h1">{t("usagePage.usage")}</Header>}
    >
      <SpaceBetween size="l">
        <ProblemAlert
          error={usage.error}
          header={t("usagePage.couldNotLoadTheUsage")}
        />
        <ProblemAlert
          error={downloadError}
          header={t("usagePage.couldNotExport")}
        />
        <Container
          header={
            <Header
              variant="h2"
              description={t("usagePage.meteredModelCallsTokensIn")}
              actions={
                <Button onClick={() => void download()}>
                  {t("usagePage.exportCsv")}
                </Button>
              }
            >
              {t("usagePage.modelUsage")}
            </Header>
          }
        >
          <SpaceBetween size="m">
            <ColumnLayout columns={2}>
              <FormField label={t("usagePage.from")}>
                <DatePicker
                  value={from}
                  onChange={(e) => e.detail.value && setFrom(e.detail.value)}
                  placeholder={t("usagePage.yyyyMmDd")}
                  ariaLabel={t("usagePage.from")}
                  openCalendarAriaLabel={(selected) =>
                    selected
                      ? t("usagePage.chooseTheFirstDaySelected", { selected })
                      : t("usagePage.chooseTheFirstDay")
                  }
                />
              </FormField>
              <FormField label={t("usagePage.to")}>
                <DatePicker
                  value={to}
                  onChange={(e) => e.detail.value && setTo(e.detail.value)}
                  placeholder={t("usagePage.yyyyMmDd")}
                  ariaLabel={t("usagePage.to")}
                  openCalendarAriaLabel={(selected) =>
                    selected
                      ? t("usagePage.chooseTheLastDaySelected", { selected })
                      : t("usagePage.chooseTheLastDay")
                  }
                />
              </FormField>
            </ColumnLayout>
            <FormField label={t("usagePage.by")}>
              <SegmentedControl
                selectedId={groupBy}
                options={groupings}
                onChange={(e) => setGroupBy(e.detail.selectedId)}
                label={t("usagePage.groupUsageBy")}
              />
            </FormField>
            <BarChart
              series={[
                {
                  title: t("usagePage.answers"),
                  type: "bar",
                  data: buckets.map((b) => ({ x: name(b), y: b.messages })),
                },
              ]}
              xScaleType="categorical"
              xTitle={groupings.find((g) => g.id === groupBy)?.text}
              yTitle={t("usagePage.answers")}
              height={220}
              hideFilter
              statusType={usage.isLoading ? "loading" : "finished"}
              ariaLabel={t("usagePage.answersPerBucket")}
              empty={
                <Box textAlign="center">
                  {t("usagePage.noUsageInThisRange")}
                </Box>
              }
            />
            <Table
              variant="embedded"
              items={buckets}
              trackBy="key"
              loading={usage.isLoading}
              loadingText={t("usagePage.loadingUsage")}
              empty={
                <Box textAlign="center">
                  {t("usagePage.noUsageInThisRange")}
                </Box>
              }
              columnDefinitions={[
                {
                  id: "key",
                  header: groupings.find((g) => g.id === groupBy)?.text,
                  cell: name,
                  isRowHeader: true,
                },
                {
                  id: "messages",
                  header: t("usagePage.answers"),
                  cell: (b) => format.number(b.messages),
                },
                {
                  id: "input",
                  header: t("usagePage.tokensIn"),
                  cell: (b) => format.number(b.inputTokens),
                },
                {
                  id: "output",
                  header: t("usagePage.tokensOut"),
                  cell: (b) => format.number(b.outputTokens),
                },
                {
                  id: "cost",
                  header: t("usagePage.estimatedCost"),
                  cell: (b) =>
                    b.unpricedCalls
                      ? t("usagePage.costWithUnpriced", {
                          cost: format.usd(b.costUsd),
                          count: b.unpricedCalls,
                        })
                      : format.usd(b.costUsd),
                },
              ]}
            />
          </SpaceBetween>
        </Container>
        <QuotasEditor />
      </SpaceBetween>
    </ContentLayout>
  );
}
