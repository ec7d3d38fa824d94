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
import { QuotasEditor } from "./QuotasEditor";
import { ProblemAlert } from "../../components/ProblemAlert";

const GROUPINGS = [
  { id: "day", text: "Day" },
  { id: "user", text: "User" },
  { id: "group", text: "Group" },
  { id: "model", text: "Model" },
  { id: "assistant", text: "Assistant" },
] as const;

const isoDay = (t: Date) => t.toISOString().slice(0, 10);
const number = new Intl.NumberFormat();
const dollars = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 4,
});

/** Usage (administrators): tokens, messages and estimated cost over time and by who and what, with the quotas beside. */
export default function UsagePage() {
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
    <ContentLayout header={<Header variant="h1">Usage</Header>}>
      <SpaceBetween size="l">
        <ProblemAlert error={usage.error} header="Could not load the usage" />
        <ProblemAlert error={downloadError} header="Could not export" />
        <Container
          header={
            <Header
              variant="h2"
              description="Metered model calls: tokens in and out, answers, and their estimated cost from the model price table. Days are UTC."
              actions={
                <Button onClick={() => void download()}>Export CSV</Button>
              }
            >
              Model usage
            </Header>
          }
        >
          <SpaceBetween size="m">
            <ColumnLayout columns={2}>
              <FormField label="From">
                <DatePicker
                  value={from}
                  onChange={(e) => e.detail.value && setFrom(e.detail.value)}
                  placeholder="YYYY/MM/DD"
                  ariaLabel="From"
                  openCalendarAriaLabel={(selected) =>
                    `Choose the first day${selected ? `, ${selected}` : ""}`
                  }
                />
              </FormField>
              <FormField label="To">
                <DatePicker
                  value={to}
                  onChange={(e) => e.detail.value && setTo(e.detail.value)}
                  placeholder="YYYY/MM/DD"
                  ariaLabel="To"
                  openCalendarAriaLabel={(selected) =>
                    `Choose the last day${selected ? `, ${selected}` : ""}`
                  }
                />
              </FormField>
            </ColumnLayout>
            <FormField label="By">
              <SegmentedControl
                selectedId={groupBy}
                options={[...GROUPINGS]}
                onChange={(e) => setGroupBy(e.detail.selectedId)}
                label="Group usage by"
              />
            </FormField>
            <BarChart
              series={[
                {
                  title: "Answers",
                  type: "bar",
                  data: buckets.map((b) => ({ x: name(b), y: b.messages })),
                },
              ]}
              xScaleType="categorical"
              xTitle={GROUPINGS.find((g) => g.id === groupBy)?.text}
              yTitle="Answers"
              height={220}
              hideFilter
              statusType={usage.isLoading ? "loading" : "finished"}
              ariaLabel="Answers per bucket"
              empty={<Box textAlign="center">No usage in this range.</Box>}
            />
            <Table
              variant="embedded"
              items={buckets}
              trackBy="key"
              loading={usage.isLoading}
              loadingText="Loading usage"
              empty={<Box textAlign="center">No usage in this range.</Box>}
              columnDefinitions={[
                {
                  id: "key",
                  header: GROUPINGS.find((g) => g.id === groupBy)?.text,
                  cell: name,
                  isRowHeader: true,
                },
                {
                  id: "messages",
                  header: "Answers",
                  cell: (b) => number.format(b.messages),
                },
                {
                  id: "input",
                  header: "Tokens in",
                  cell: (b) => number.format(b.inputTokens),
                },
                {
                  id: "output",
                  header: "Tokens out",
                  cell: (b) => number.format(b.outputTokens),
                },
                {
                  id: "cost",
                  header: "Estimated cost",
                  cell: (b) =>
                    `${dollars.format(b.costUsd)}${b.unpricedCalls ? ` (+${b.unpricedCalls} unpriced calls)` : ""}`,
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
