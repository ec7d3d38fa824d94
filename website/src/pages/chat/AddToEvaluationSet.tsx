import Autosuggest from "@cloudscape-design/components/autosuggest";
import FormField from "@cloudscape-design/components/form-field";
import Input from "@cloudscape-design/components/input";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Textarea from "@cloudscape-design/components/textarea";
import {
  useAddEvaluationQuestion,
  useListEvaluationSets,
} from "@sextant/api-typescript-react-query-hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { errorsByPath } from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { useProblem } from "../../components/ProblemAlert";
import { queryClient } from "../../query-client";

/** The set a rated-down answer goes to unless the administrator picks another. */
export const DEFAULT_FEEDBACK_SET = "rated down";

const lines = (text: string, separator: RegExp) =>
  text
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * An answer rated down, made a question of an evaluation set (administrators): the question as
 * asked, and the sources (and facts) a good answer would have drawn on, which the administrator
 * knows and the answer did not. The set is created if it does not exist.
 */
export function AddToEvaluationSet({
  question,
  onClose,
}: {
  question: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const sets = useListEvaluationSets();
  const [name, setName] = useState(DEFAULT_FEEDBACK_SET);
  const [text, setText] = useState(question);
  const [sources, setSources] = useState("");
  const [facts, setFacts] = useState("");
  const add = useAddEvaluationQuestion({
    onSuccess: () => void queryClient.invalidateQueries(["listEvaluationSets"]),
  });
  const problem = useProblem(add.error);
  const errors = errorsByPath(problem?.fields ?? []);
  return (
    <ConfirmModal
      header={t("addToEvaluationSet.addToAnEvaluationSet")}
      confirmText={t("addToEvaluationSet.addQuestion")}
      onClose={onClose}
      loading={add.isLoading}
      error={add.error}
      onConfirm={() =>
        add.mutate({
          name,
          evaluationQuestion: {
            question: text,
            expectedSources: lines(sources, /[,\n]/),
            expectedFacts: lines(facts, /\n/),
          },
        })
      }
    >
      <FormField
        label={t("addToEvaluationSet.evaluationSet")}
        errorText={errors.name}
      >
        <Autosuggest
          value={name}
          onChange={(e) => setName(e.detail.value)}
          options={(sets.data?.items ?? []).map((s) => ({ value: s.name }))}
          enteredTextLabel={(v) => t("addToEvaluationSet.newSet", { v })}
          ariaLabel={t("addToEvaluationSet.evaluationSet")}
        />
      </FormField>
      <FormField
        label={t("addToEvaluationSet.question")}
        errorText={errors.question}
      >
        <Input value={text} onChange={(e) => setText(e.detail.value)} />
      </FormField>
      <FormField
        label={t("addToEvaluationSet.expectedSources")}
        description={t("addToEvaluationSet.titlesOrFileNamesOf")}
        errorText={errors.expectedSources}
      >
        <Input
          value={sources}
          onChange={(e) => setSources(e.detail.value)}
          ariaLabel={t("addToEvaluationSet.expectedSources")}
        />
      </FormField>
      <FormField
        label={t("addToEvaluationSet.expectedFactsOptional")}
        description={t("addToEvaluationSet.onePerLineWhatA")}
        errorText={errors.expectedFacts}
      >
        <Textarea
          value={facts}
          rows={3}
          onChange={(e) => setFacts(e.detail.value)}
        />
      </FormField>
      {add.isSuccess && (
        <StatusIndicator type="success">
          {t("addToEvaluationSet.addedToSet", {
            name: add.data.name,
            count: add.data.questionCount,
          })}
        </StatusIndicator>
      )}
    </ConfirmModal>
  );
}
