import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Header from "@cloudscape-design/components/header";
import HelpPanel from "@cloudscape-design/components/help-panel";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Spinner from "@cloudscape-design/components/spinner";
import {
  useGetAssistant,
  useUpdateAssistant,
  type InferenceConfig,
} from "@sextant/api-typescript-react-query-hooks";
import {
  diffConfig,
  mergeConfig,
  validateInferenceConfig,
} from "@sextant/core";
import { useTranslation } from "react-i18next";
import { ConfigField, errorsByPath } from "../../components/ConfigField";
import { ProblemAlert } from "../../components/ProblemAlert";
import { applyChanges } from "../../lib/paths";
import { queryClient } from "../../query-client";

/** The fields dev settings offer: the ones worth trying on a conversation before saving them. */
export const DEV_SETTINGS_FIELDS = [
  {
    path: "retrieval.k",
    label: "devSettings.passagesPerAnswerK",
    kind: "number",
  },
  {
    path: "retrieval.minScore",
    label: "devSettings.minimumScore",
    kind: "number",
  },
  {
    path: "retrieval.vectorWeight",
    label: "devSettings.vectorWeight",
    kind: "number",
  },
  {
    path: "retrieval.textWeight",
    label: "devSettings.fullTextWeight",
    kind: "number",
  },
  { path: "historyTurns", label: "devSettings.historyTurns", kind: "number" },
  {
    path: "guardrails.requireSources",
    label: "devSettings.requireSources",
    kind: "toggle",
  },
  {
    path: "prompts.answer",
    label: "devSettings.answerPrompt",
    kind: "textarea",
  },
] as const;

/**
 * Administrators' dev settings: try configuration changes on the next messages of this chat
 * (sent as `overrides` on the conversation's assistant's configuration, validated by the API like
 * a saved one), then save them as that assistant's next version, or reset.
 */
export default function DevSettings({
  assistantId,
  overrides,
  setOverrides,
}: {
  assistantId: string;
  overrides: Record<string, unknown>;
  setOverrides: (next: Record<string, unknown>) => void;
}) {
  const { t } = useTranslation();
  const current = useGetAssistant({ assistantId });
  const save = useUpdateAssistant({
    onSuccess: () => {
      setOverrides({});
      for (const key of [
        "getAssistant",
        "listAssistantVersions",
        "getInferenceConfig",
      ])
        void queryClient.invalidateQueries([key]);
    },
  });
  if (!current.data)
    return (
      <HelpPanel header={<h2>{t("devSettings.devSettings")}</h2>}>
        {current.isError ? <ProblemAlert error={current.error} /> : <Spinner />}
      </HelpPanel>
    );
  const merged = mergeConfig(current.data.config, overrides) as InferenceConfig;
  const check = validateInferenceConfig(merged);
  const errors = check.ok ? {} : errorsByPath(check.fields);
  const changes = diffConfig(current.data.config, merged);
  return (
    <HelpPanel header={<h2>{t("devSettings.devSettings")}</h2>}>
      <SpaceBetween size="m">
        <Box variant="p">
          {t("devSettings.changesApply", {
            name: current.data.name,
            version: current.data.version,
          })}
        </Box>
        {DEV_SETTINGS_FIELDS.map((f) => (
          <ConfigField
            key={f.path}
            {...f}
            value={merged}
            onChange={(next) =>
              setOverrides(
                // Only the fields that differ from the saved configuration.
                applyChanges<Record<string, unknown>>(
                  {},
                  diffConfig(current.data!.config, next),
                ),
              )
            }
            errors={errors}
          />
        ))}
        <Header variant="h3" counter={`(${changes.length})`}>
          {t("devSettings.changedFields")}
        </Header>
        {!check.ok && (
          <Alert type="warning">
            {t("devSettings.fixTheFieldsMarkedAbove")}
          </Alert>
        )}
        <SpaceBetween direction="horizontal" size="xs">
          <Button
            disabled={changes.length === 0}
            onClick={() => setOverrides({})}
          >
            {t("devSettings.reset")}
          </Button>
          <Button
            variant="primary"
            disabled={changes.length === 0 || !check.ok}
            loading={save.isLoading}
            onClick={() =>
              save.mutate({
                assistantId,
                assistantRequest: {
                  name: current.data!.name,
                  description: current.data!.description,
                  collectionIds: current.data!.collectionIds,
                  allCollections: current.data!.allCollections,
                  groups: current.data!.groups,
                  everyone: current.data!.everyone,
                  config: merged,
                },
                ifMatch: `"${current.data!.version}"`,
              })
            }
          >
            {t("devSettings.saveForEveryone")}
          </Button>
        </SpaceBetween>
        <ProblemAlert error={save.error} header={t("devSettings.notSaved")} />
      </SpaceBetween>
    </HelpPanel>
  );
}
