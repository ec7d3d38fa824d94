// The configuration editor's tabs: every field of an inference configuration, and the editors of
// its optional parts (reranking, a Bedrock guardrail, denied topics).
import Button from "@cloudscape-design/components/button";
import ColumnLayout from "@cloudscape-design/components/column-layout";
import Container from "@cloudscape-design/components/container";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input from "@cloudscape-design/components/input";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Textarea from "@cloudscape-design/components/textarea";
import Toggle from "@cloudscape-design/components/toggle";
import type { Assistant } from "@sextant/api-typescript-react-query-hooks";
import {
  EMBEDDING_PROVIDERS,
  LOCAL_RERANK_MODEL,
  RERANK_PROVIDERS,
  TEXT_PROVIDERS,
} from "@sextant/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  ConfigField,
  type ConfigFieldProps,
} from "../../components/ConfigField";
import { getAt, withAt } from "../../lib/paths";

/** What an administrator edits: the assistant's settings and its configuration. */
export type Draft = Omit<Assistant, "id" | "version" | "author" | "createdAt">;
export type Field = Omit<
  ConfigFieldProps<Draft>,
  "value" | "onChange" | "errors"
>;

/** What a section's own editor gets: the draft, its setter, and the validation messages. */
export interface EditorProps {
  readonly draft: Draft;
  readonly setDraft: (next: Draft) => void;
  readonly errors: Record<string, string>;
}

/** A tab of the configuration editor: its fields, and an editor of its own for what fields cannot show. */
interface Section {
  readonly id: string;
  readonly label: string;
  readonly fields: Field[];
  readonly extra?: (props: EditorProps) => ReactNode;
}

const textModel = (step: string): Field[] => [
  {
    path: `config.models.${step}.provider`,
    label: "configSections.provider",
    kind: "select",
    options: TEXT_PROVIDERS,
  },
  {
    path: `config.models.${step}.modelId`,
    label: "configSections.modelId",
    kind: "text",
  },
  {
    path: `config.models.${step}.endpoint`,
    label: "configSections.endpoint",
    description: "configSections.sagemakerEndpointNameOrOpenai",
    kind: "text",
  },
  {
    path: `config.models.${step}.temperature`,
    label: "configSections.temperature",
    description: "configSections.0To1",
    kind: "number",
  },
  {
    path: `config.models.${step}.maxTokens`,
    label: "configSections.maximumTokens",
    kind: "number",
  },
];

/** Every field of the inference configuration, by tab. */
export const SECTIONS: Section[] = [
  {
    id: "retrieval",
    label: "configSections.retrieval",
    fields: [
      {
        path: "config.retrieval.k",
        label: "configSections.passagesPerAnswerK",
        kind: "number",
      },
      {
        path: "config.retrieval.minScore",
        label: "configSections.minimumScore",
        description: "configSections.passagesScoringBelowAreDropped",
        kind: "number",
      },
      {
        path: "config.retrieval.vectorWeight",
        label: "configSections.vectorWeight",
        description: "configSections.weightOfSemanticSearchIn",
        kind: "number",
      },
      {
        path: "config.retrieval.textWeight",
        label: "configSections.fullTextWeight",
        description: "configSections.weightOfKeywordSearchIn",
        kind: "number",
      },
      {
        path: "config.retrieval.rrfK",
        label: "configSections.fusionConstantRrfK",
        kind: "number",
      },
      {
        path: "config.retrieval.relatedWordWeight",
        label: "configSections.relatedWordWeight",
        description: "configSections.weightOfWordsCloseIn",
        kind: "number",
      },
      {
        path: "config.historyTurns",
        label: "configSections.historyTurns",
        description: "configSections.conversationTurnsTheCondenseStep",
        kind: "number",
      },
    ],
    extra: (props) => (
      <OptionalFields
        {...props}
        path="config.retrieval.rerank"
        label="configSections.rerank"
        description="configSections.rerankDescription"
        initial={(d) => ({
          provider: "local",
          modelId: LOCAL_RERANK_MODEL,
          candidates: Math.max(10, Number(d.config.retrieval.k) || 0),
        })}
        fields={RERANK_FIELDS}
      />
    ),
  },
  {
    id: "guardrails",
    label: "configSections.guardrails",
    fields: [
      {
        path: "config.guardrails.maxQuestionLength",
        label: "configSections.longestQuestion",
        description: "configSections.characters",
        kind: "number",
      },
      {
        path: "config.guardrails.requireSources",
        label: "configSections.requireSources",
        description: "configSections.answerOnlyFromRetrievedDocuments",
        kind: "toggle",
      },
      {
        path: "config.guardrails.redactPii",
        label: "configSections.redactPersonalData",
        description: "configSections.eMailAddressesCardsPhones",
        kind: "toggle",
      },
      {
        path: "config.guardrails.piiDetector",
        label: "configSections.personalDataFoundBy",
        description: "configSections.localOfflinePatternsComprehendAmazon",
        kind: "select",
        options: ["local", "comprehend"],
      },
      {
        path: "config.guardrails.redactBeforeModel",
        label: "configSections.redactBeforeTheModelToo",
        description: "configSections.theModelsSeeTheQuestion",
        kind: "toggle",
      },
    ],
    extra: (props) => (
      <>
        <OptionalFields
          {...props}
          path="config.guardrails.bedrock"
          label="configSections.bedrockGuardrail"
          description="configSections.bedrockGuardrailDescription"
          initial={() => ({
            guardrailIdentifier: "",
            guardrailVersion: "1",
            trace: false,
          })}
          fields={BEDROCK_GUARDRAIL_FIELDS}
        />
        <DeniedTopicsEditor {...props} />
      </>
    ),
  },
  {
    id: "prompts",
    label: "configSections.prompts",
    fields: [
      {
        path: "config.prompts.classify",
        label: "configSections.classify",
        kind: "textarea",
      },
      {
        path: "config.prompts.condense",
        label: "configSections.condense",
        kind: "textarea",
      },
      {
        path: "config.prompts.answer",
        label: "configSections.answer",
        kind: "textarea",
      },
      {
        path: "config.prompts.judge",
        label: "configSections.judgeEvaluations",
        description: "configSections.howTheAnswerModelGrades",
        kind: "textarea",
      },
    ],
  },
  {
    id: "models",
    label: "configSections.models",
    fields: [
      ...textModel("answer"),
      ...textModel("condense"),
      ...textModel("classify"),
      {
        path: "config.models.embeddings.provider",
        label: "configSections.embeddingsProvider",
        kind: "select",
        options: EMBEDDING_PROVIDERS,
      },
      {
        path: "config.models.embeddings.modelId",
        label: "configSections.embeddingsModelId",
        kind: "text",
      },
      {
        path: "config.models.embeddings.endpoint",
        label: "configSections.embeddingsEndpoint",
        kind: "text",
      },
      {
        path: "config.models.embeddings.dimensions",
        label: "configSections.dimensions",
        description: "configSections.changingItRequiresReIngesting",
        kind: "number",
      },
    ],
  },
];

/** The reranker's fields, shown when reranking is on. */
const RERANK_FIELDS: Field[] = [
  {
    path: "config.retrieval.rerank.provider",
    label: "configSections.reranker",
    description: "configSections.localWorksOfflineWordProximity",
    kind: "select",
    options: RERANK_PROVIDERS,
  },
  {
    path: "config.retrieval.rerank.modelId",
    label: "configSections.rerankerModelId",
    description: `${LOCAL_RERANK_MODEL} (local), amazon.rerank-v1:0 or cohere.rerank-v3-5:0 (Bedrock)`,
    kind: "text",
  },
  {
    path: "config.retrieval.rerank.endpoint",
    label: "configSections.rerankerEndpoint",
    description: "configSections.baseUrlOfACohere",
    kind: "text",
  },
  {
    path: "config.retrieval.rerank.candidates",
    label: "configSections.candidatesReranked",
    description: "configSections.passagesInAtLeastK",
    kind: "number",
  },
];

/**
 * An optional part of the configuration (reranking, a Bedrock guardrail): a switch that sets it to
 * its starting value or removes it, and its fields while it is on.
 */
function OptionalFields({
  path,
  label,
  description,
  initial,
  fields,
  draft,
  setDraft,
  errors,
}: {
  path: string;
  label: string;
  description: string;
  initial: (draft: Draft) => unknown;
  fields: Field[];
} & EditorProps) {
  const { t } = useTranslation();
  const on = getAt(draft, path) !== undefined;
  return (
    <SpaceBetween size="s">
      <FormField label={t(label)} description={t(description)}>
        <Toggle
          checked={on}
          onChange={(e) =>
            setDraft(
              withAt(
                draft,
                path,
                e.detail.checked ? initial(draft) : undefined,
              ),
            )
          }
        >
          {on ? t("configSections.on") : t("configSections.off")}
        </Toggle>
      </FormField>
      {on &&
        fields.map((f) => (
          <ConfigField
            key={f.path}
            {...f}
            value={draft}
            onChange={setDraft}
            errors={errors}
          />
        ))}
    </SpaceBetween>
  );
}

/** A Bedrock guardrail's fields, shown when one is applied. */
const BEDROCK_GUARDRAIL_FIELDS: Field[] = [
  {
    path: "config.guardrails.bedrock.guardrailIdentifier",
    label: "configSections.guardrailIdOrArn",
    description: "configSections.declaredInTheDeploymentContext",
    kind: "text",
  },
  {
    path: "config.guardrails.bedrock.guardrailVersion",
    label: "configSections.guardrailVersion",
    description: "configSections.aVersionNumberOrDraft",
    kind: "text",
  },
  {
    path: "config.guardrails.bedrock.trace",
    label: "configSections.returnTheGuardrailSTrace",
    kind: "toggle",
  },
];

type Topic = NonNullable<Draft["config"]["guardrails"]["deniedTopics"]>[number];

/** Topics the assistant declines: each with its example questions and the message it answers with. */
function DeniedTopicsEditor({ draft, setDraft, errors }: EditorProps) {
  const { t } = useTranslation();
  const topics = draft.config.guardrails.deniedTopics ?? [];
  const setTopics = (next: Topic[]) =>
    setDraft(
      withAt(
        draft,
        "config.guardrails.deniedTopics",
        next.length ? next : undefined,
      ),
    );
  const setTopic = (i: number, change: Partial<Topic>) =>
    setTopics(
      topics.map((topic, j) => (j === i ? { ...topic, ...change } : topic)),
    );
  const at = (i: number, field: string) =>
    errors[`config.guardrails.deniedTopics.${i}.${field}`];
  return (
    <FormField
      label={t("configSections.deniedTopics")}
      description={t("configSections.aQuestionCloseToA")}
      stretch
    >
      <SpaceBetween size="m">
        {topics.map((topic, i) => (
          <Container
            key={i}
            header={
              <Header
                variant="h3"
                actions={
                  <Button
                    formAction="none"
                    onClick={() => setTopics(topics.filter((_, j) => j !== i))}
                  >
                    {t("configSections.remove")}
                  </Button>
                }
              >
                {topic.name || t("configSections.topic", { number: i + 1 })}
              </Header>
            }
          >
            <SpaceBetween size="s">
              <FormField
                label={t("configSections.topicName")}
                errorText={at(i, "name")}
              >
                <Input
                  value={topic.name}
                  onChange={(e) => setTopic(i, { name: e.detail.value })}
                />
              </FormField>
              <FormField
                label={t("configSections.exampleQuestions")}
                description={t("configSections.onePerLineAsUsers")}
                errorText={at(i, "examples")}
              >
                <Textarea
                  rows={3}
                  value={topic.examples.join("\n")}
                  onChange={(e) =>
                    setTopic(i, {
                      examples: e.detail.value
                        .split("\n")
                        .map((x) => x.trimStart())
                        .filter((x, j, all) => x || j < all.length - 1),
                    })
                  }
                />
              </FormField>
              <FormField
                label={t("configSections.message")}
                errorText={at(i, "message")}
              >
                <Input
                  value={topic.message}
                  onChange={(e) => setTopic(i, { message: e.detail.value })}
                />
              </FormField>
            </SpaceBetween>
          </Container>
        ))}
        <Button
          formAction="none"
          iconName="add-plus"
          onClick={() =>
            setTopics([...topics, { name: "", examples: [""], message: "" }])
          }
        >
          {t("configSections.addADeniedTopic")}
        </Button>
      </SpaceBetween>
    </FormField>
  );
}

/** One tab: its fields, then its own editor if it has one. */
export function ConfigSection({
  section,
  draft,
  setDraft,
  errors,
}: EditorProps & { readonly section: Section }) {
  return (
    <ColumnLayout columns={section.id === "prompts" ? 1 : 2}>
      {section.fields.map((f) => (
        <ConfigField
          key={f.path}
          {...f}
          value={draft}
          onChange={setDraft}
          errors={errors}
        />
      ))}
      {section.extra?.({ draft, setDraft, errors })}
    </ColumnLayout>
  );
}
