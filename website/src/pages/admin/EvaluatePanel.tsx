import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ExpandableSection from "@cloudscape-design/components/expandable-section";
import FormField from "@cloudscape-design/components/form-field";
import ProgressBar from "@cloudscape-design/components/progress-bar";
import Select from "@cloudscape-design/components/select";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";
import {
  useGetEvaluationRun,
  useListEvaluationSets,
  useStartEvaluationRun,
  type EvaluationReport,
  type EvaluationRun,
  type InferenceConfig,
  type JudgeFigure,
} from "@sextant/api-typescript-react-query-hooks";
import type { TFunction } from "i18next";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "../../components/ProblemAlert";

/** One row of the comparison: a figure of the current version and of the draft. */
interface Row {
  readonly id: string;
  readonly label: string;
  readonly current?: number;
  readonly draft?: number;
  /** Why a judge-based figure has no value. */
  readonly note?: string;
}

const judged = (f: JudgeFigure) =>
  f.status === "judged" ? f.value : undefined;

/** The figures side by side: retrieval at the current version's k, then the judge's. */
function rowsOf(
  current: EvaluationReport,
  draft: EvaluationReport,
  t: TFunction,
): Row[] {
  const k = current.k;
  const judge = (id: "faithfulness" | "factCoverage", label: string): Row => ({
    id,
    label,
    current: judged(current.judge[id]),
    draft: judged(draft.judge[id]),
    note:
      current.judge[id].status === "judged"
        ? undefined
        : t("evaluatePanel.notRun", { reason: current.judge[id].reason }),
  });
  return [
    {
      id: "hitAtK",
      label: `hit@${k}`,
      current: current.hitAtK,
      draft: draft.hitAtK,
    },
    { id: "mrr", label: "MRR", current: current.mrr, draft: draft.mrr },
    {
      id: "ndcg",
      label: `nDCG@${k}`,
      current: current.ndcg,
      draft: draft.ndcg,
    },
    judge("faithfulness", t("evaluatePanel.faithfulness")),
    judge("factCoverage", t("evaluatePanel.factCoverage")),
  ];
}

const fixed = (n: number) => (Math.round(n * 1000) / 1000).toString();

/** A figure's change, marked as a loss or a gain. */
function Delta({ row }: { row: Row }) {
  const { t } = useTranslation();
  if (row.current === undefined || row.draft === undefined)
    return <Box color="text-status-inactive">{row.note ?? "—"}</Box>;
  const delta = Math.round((row.draft - row.current) * 1000) / 1000;
  if (delta === 0)
    return (
      <StatusIndicator type="info">
        {t("evaluatePanel.noChange")}
      </StatusIndicator>
    );
  return (
    <StatusIndicator type={delta < 0 ? "error" : "success"}>
      {delta > 0 ? `+${fixed(delta)}` : `−${fixed(-delta)}`}
    </StatusIndicator>
  );
}

/**
 * "Evaluate" in the configuration editor's save dialog: runs an evaluation set against the
 * current version and the draft side by side (a background run, polled for progress), then shows
 * each figure's change and the questions the draft ranks worse. The finished run is handed to the
 * dialog, which saves with it (the quality gate asks for it when the deployment has it on).
 */
export function EvaluatePanel({
  assistantId,
  version,
  draft,
  onDone,
}: {
  assistantId: string;
  version: number;
  draft: InferenceConfig;
  onDone: (run: EvaluationRun | undefined) => void;
}) {
  const { t } = useTranslation();
  const sets = useListEvaluationSets();
  const [setName, setSetName] = useState<string>();
  const [runId, setRunId] = useState<string>();
  const start = useStartEvaluationRun({ onSuccess: (r) => setRunId(r.id) });
  const run = useGetEvaluationRun(
    { runId: runId ?? "" },
    {
      enabled: Boolean(runId),
      // Each read advances the run by a slice: poll until it is done.
      refetchInterval: (data) => (data?.status === "running" ? 250 : false),
    },
  );
  const options = (sets.data?.items ?? []).map((s) => ({
    value: s.name,
    label: s.name,
    description: `${s.questionCount} questions`,
  }));
  const chosen = setName ?? options[0]?.value;
  const finished = run.data?.status === "done" ? run.data : undefined;
  useEffect(() => onDone(finished), [finished, onDone]);

  if (sets.data && options.length === 0)
    return (
      <Alert type="info" header={t("evaluatePanel.noEvaluationSetYet")}>
        {t("evaluatePanel.importASetOfQuestions")}
      </Alert>
    );
  return (
    <SpaceBetween size="s">
      <SpaceBetween direction="horizontal" size="xs" alignItems="end">
        <FormField label={t("evaluatePanel.evaluationSet")}>
          <Select
            selectedOption={chosen ? { value: chosen, label: chosen } : null}
            options={options}
            statusType={sets.isLoading ? "loading" : "finished"}
            placeholder={t("evaluatePanel.chooseASet")}
            onChange={(e) => {
              setSetName(e.detail.selectedOption.value);
              setRunId(undefined);
            }}
          />
        </FormField>
        <Button
          // Inside the save dialog's form: evaluating must not submit (save) it.
          formAction="none"
          disabled={!chosen}
          loading={start.isLoading || run.data?.status === "running"}
          onClick={() =>
            start.mutate({
              name: chosen!,
              evaluationRunRequest: { assistantId, draft },
            })
          }
        >
          {t("evaluatePanel.evaluate")}
        </Button>
      </SpaceBetween>
      <ProblemAlert error={start.error ?? run.error} />
      {run.data?.status === "running" && (
        <ProgressBar
          label={t("evaluatePanel.evaluatingTheDraftAgainstThe")}
          value={(100 * run.data.done) / Math.max(1, run.data.total)}
          additionalInfo={t("evaluatePanel.ofQuestions", {
            done: run.data.done,
            total: run.data.total,
          })}
        />
      )}
      {run.data?.status === "failed" && (
        <Alert type="error" header={t("evaluatePanel.theEvaluationFailed")}>
          {run.data.error} {t("evaluatePanel.evaluateAgainToRetry")}
        </Alert>
      )}
      {finished?.current && finished.draft && (
        <>
          <Table
            variant="embedded"
            ariaLabels={{ tableLabel: t("evaluatePanel.evaluationResults") }}
            items={rowsOf(finished.current, finished.draft, t)}
            trackBy="id"
            columnDefinitions={[
              {
                id: "label",
                header: t("evaluatePanel.figure"),
                cell: (r) => r.label,
                isRowHeader: true,
              },
              {
                id: "current",
                header: t("evaluatePanel.version", { version }),
                cell: (r) => (r.current === undefined ? "—" : fixed(r.current)),
              },
              {
                id: "draft",
                header: t("evaluatePanel.draft"),
                cell: (r) => (r.draft === undefined ? "—" : fixed(r.draft)),
              },
              {
                id: "delta",
                header: t("evaluatePanel.change"),
                cell: (r) => <Delta row={r} />,
              },
            ]}
          />
          <ExpandableSection
            headerText={t("evaluatePanel.questionsRankedWorse", {
              count: finished.worse?.length ?? 0,
            })}
          >
            {finished.worse?.length ? (
              <ul>
                {finished.worse.map((w) => (
                  <li key={w.question}>
                    {t("evaluatePanel.rankedWorse", {
                      question: w.question,
                      before: w.current.verdict,
                      beforeRank: fixed(w.current.reciprocalRank),
                      after: w.draft.verdict,
                      afterRank: fixed(w.draft.reciprocalRank),
                    })}
                  </li>
                ))}
              </ul>
            ) : (
              <Box>{t("evaluatePanel.noneTheDraftRanksEvery")}</Box>
            )}
          </ExpandableSection>
        </>
      )}
    </SpaceBetween>
  );
}
