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
import { useEffect, useState } from "react";
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
function rowsOf(current: EvaluationReport, draft: EvaluationReport): Row[] {
  const k = current.k;
  const judge = (id: "faithfulness" | "factCoverage", label: string): Row => ({
    id,
    label,
    current: judged(current.judge[id]),
    draft: judged(draft.judge[id]),
    note:
      current.judge[id].status === "judged"
        ? undefined
        : `not run: ${current.judge[id].reason}`,
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
    judge("faithfulness", "Faithfulness"),
    judge("factCoverage", "Fact coverage"),
  ];
}

const fixed = (n: number) => (Math.round(n * 1000) / 1000).toString();

/** A figure's change, marked as a loss or a gain. */
function Delta({ row }: { row: Row }) {
  if (row.current === undefined || row.draft === undefined)
    return <Box color="text-status-inactive">{row.note ?? "—"}</Box>;
  const delta = Math.round((row.draft - row.current) * 1000) / 1000;
  if (delta === 0)
    return <StatusIndicator type="info">no change</StatusIndicator>;
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
      <Alert type="info" header="No evaluation set yet">
        Import a set of questions with their expected sources (JSONL, through
        the API or the CLI; see docs/evaluation.md), or add questions from
        answers rated down, to measure a change before saving it.
      </Alert>
    );
  return (
    <SpaceBetween size="s">
      <SpaceBetween direction="horizontal" size="xs" alignItems="end">
        <FormField label="Evaluation set">
          <Select
            selectedOption={chosen ? { value: chosen, label: chosen } : null}
            options={options}
            statusType={sets.isLoading ? "loading" : "finished"}
            placeholder="Choose a set"
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
          Evaluate
        </Button>
      </SpaceBetween>
      <ProblemAlert error={start.error ?? run.error} />
      {run.data?.status === "running" && (
        <ProgressBar
          label="Evaluating the draft against the current version"
          value={(100 * run.data.done) / Math.max(1, run.data.total)}
          additionalInfo={`${run.data.done} of ${run.data.total} questions`}
        />
      )}
      {run.data?.status === "failed" && (
        <Alert type="error" header="The evaluation failed">
          {run.data.error} Evaluate again to retry.
        </Alert>
      )}
      {finished?.current && finished.draft && (
        <>
          <Table
            variant="embedded"
            ariaLabels={{ tableLabel: "Evaluation results" }}
            items={rowsOf(finished.current, finished.draft)}
            trackBy="id"
            columnDefinitions={[
              {
                id: "label",
                header: "Figure",
                cell: (r) => r.label,
                isRowHeader: true,
              },
              {
                id: "current",
                header: `Version ${version}`,
                cell: (r) => (r.current === undefined ? "—" : fixed(r.current)),
              },
              {
                id: "draft",
                header: "Draft",
                cell: (r) => (r.draft === undefined ? "—" : fixed(r.draft)),
              },
              { id: "delta", header: "Change", cell: (r) => <Delta row={r} /> },
            ]}
          />
          <ExpandableSection
            headerText={`Questions ranked worse (${finished.worse?.length ?? 0})`}
          >
            {finished.worse?.length ? (
              <ul>
                {finished.worse.map((w) => (
                  <li key={w.question}>
                    {w.question}: {w.current.verdict}, reciprocal rank{" "}
                    {fixed(w.current.reciprocalRank)} → {w.draft.verdict},{" "}
                    {fixed(w.draft.reciprocalRank)}
                  </li>
                ))}
              </ul>
            ) : (
              <Box>None: the draft ranks every question at least as well.</Box>
            )}
          </ExpandableSection>
        </>
      )}
    </SpaceBetween>
  );
}
