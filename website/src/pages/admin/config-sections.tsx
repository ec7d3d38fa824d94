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
    label: "Provider",
    kind: "select",
    options: TEXT_PROVIDERS,
  },
  { path: `config.models.${step}.modelId`, label: "Model id", kind: "text" },
  {
    path: `config.models.${step}.endpoint`,
    label: "Endpoint",
    description: "SageMaker endpoint name or OpenAI-compatible base URL",
    kind: "text",
  },
  {
    path: `config.models.${step}.temperature`,
    label: "Temperature",
    description: "0 to 1",
    kind: "number",
  },
  {
    path: `config.models.${step}.maxTokens`,
    label: "Maximum tokens",
    kind: "number",
  },
];

/** Every field of the inference configuration, by tab. */
export const SECTIONS: Section[] = [
  {
    id: "retrieval",
    label: "Retrieval",
    fields: [
      {
        path: "config.retrieval.k",
        label: "Passages per answer (k)",
        kind: "number",
      },
      {
        path: "config.retrieval.minScore",
        label: "Minimum score",
        description: "Passages scoring below are dropped, 0 to 1",
        kind: "number",
      },
      {
        path: "config.retrieval.vectorWeight",
        label: "Vector weight",
        description: "Weight of semantic search in the fusion",
        kind: "number",
      },
      {
        path: "config.retrieval.textWeight",
        label: "Full-text weight",
        description: "Weight of keyword search in the fusion",
        kind: "number",
      },
      {
        path: "config.retrieval.rrfK",
        label: "Fusion constant (RRF k)",
        kind: "number",
      },
      {
        path: "config.retrieval.relatedWordWeight",
        label: "Related-word weight",
        description:
          "Weight of words close in meaning to the question's in keyword search, 0 (off) to 1",
        kind: "number",
      },
      {
        path: "config.historyTurns",
        label: "History turns",
        description: "Conversation turns the condense step reads",
        kind: "number",
      },
    ],
    extra: (props) => (
      <OptionalFields
        {...props}
        path="config.retrieval.rerank"
        label="Rerank"
        description="Reorder the search's first candidates with a reranker before the answer"
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
    label: "Guardrails",
    fields: [
      {
        path: "config.guardrails.maxQuestionLength",
        label: "Longest question",
        description: "Characters",
        kind: "number",
      },
      {
        path: "config.guardrails.requireSources",
        label: "Require sources",
        description: "Answer only from retrieved documents",
        kind: "toggle",
      },
      {
        path: "config.guardrails.redactPii",
        label: "Redact personal data",
        description:
          "E-mail addresses, cards, phones, national ids, IP addresses and AWS keys stored and logged as [EMAIL], [CARD], …",
        kind: "toggle",
      },
      {
        path: "config.guardrails.piiDetector",
        label: "Personal data found by",
        description:
          "local: offline patterns; comprehend: Amazon Comprehend, then the patterns (the deployment must allow it)",
        kind: "select",
        options: ["local", "comprehend"],
      },
      {
        path: "config.guardrails.redactBeforeModel",
        label: "Redact before the model too",
        description: "The models see the question redacted as well",
        kind: "toggle",
      },
    ],
    extra: (props) => (
      <>
        <OptionalFields
          {...props}
          path="config.guardrails.bedrock"
          label="Bedrock guardrail"
          description="Applied to every question and answer (ApplyGuardrail when the answer model is not on Bedrock)"
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
    label: "Prompts",
    fields: [
      { path: "config.prompts.classify", label: "Classify", kind: "textarea" },
      { path: "config.prompts.condense", label: "Condense", kind: "textarea" },
      { path: "config.prompts.answer", label: "Answer", kind: "textarea" },
      {
        path: "config.prompts.judge",
        label: "Judge (evaluations)",
        description:
          "How the answer model grades answers when a set is evaluated; empty: the built-in judge prompt",
        kind: "textarea",
      },
    ],
  },
  {
    id: "models",
    label: "Models",
    fields: [
      ...textModel("answer"),
      ...textModel("condense"),
      ...textModel("classify"),
      {
        path: "config.models.embeddings.provider",
        label: "Embeddings provider",
        kind: "select",
        options: EMBEDDING_PROVIDERS,
      },
      {
        path: "config.models.embeddings.modelId",
        label: "Embeddings model id",
        kind: "text",
      },
      {
        path: "config.models.embeddings.endpoint",
        label: "Embeddings endpoint",
        kind: "text",
      },
      {
        path: "config.models.embeddings.dimensions",
        label: "Dimensions",
        description: "Changing it requires re-ingesting every document",
        kind: "number",
      },
    ],
  },
];

/** The reranker's fields, shown when reranking is on. */
const RERANK_FIELDS: Field[] = [
  {
    path: "config.retrieval.rerank.provider",
    label: "Reranker",
    description:
      "local works offline (word proximity); bedrock and cohere-compatible call a model",
    kind: "select",
    options: RERANK_PROVIDERS,
  },
  {
    path: "config.retrieval.rerank.modelId",
    label: "Reranker model id",
    description: `${LOCAL_RERANK_MODEL} (local), amazon.rerank-v1:0 or cohere.rerank-v3-5:0 (Bedrock)`,
    kind: "text",
  },
  {
    path: "config.retrieval.rerank.endpoint",
    label: "Reranker endpoint",
    description: "Base URL of a Cohere-compatible server (/rerank is added)",
    kind: "text",
  },
  {
    path: "config.retrieval.rerank.candidates",
    label: "Candidates reranked",
    description: "Passages in, at least k; k passages out",
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
  const on = getAt(draft, path) !== undefined;
  return (
    <SpaceBetween size="s">
      <FormField label={label} description={description}>
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
          {on ? "On" : "Off"}
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
    label: "Guardrail id or ARN",
    description:
      "Declared in the deployment (context bedrockGuardrails or starterGuardrail)",
    kind: "text",
  },
  {
    path: "config.guardrails.bedrock.guardrailVersion",
    label: "Guardrail version",
    description: "A version number, or DRAFT",
    kind: "text",
  },
  {
    path: "config.guardrails.bedrock.trace",
    label: "Return the guardrail's trace",
    kind: "toggle",
  },
];

type Topic = NonNullable<Draft["config"]["guardrails"]["deniedTopics"]>[number];

/** Topics the assistant declines: each with its example questions and the message it answers with. */
function DeniedTopicsEditor({ draft, setDraft, errors }: EditorProps) {
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
    setTopics(topics.map((t, j) => (j === i ? { ...t, ...change } : t)));
  const at = (i: number, field: string) =>
    errors[`config.guardrails.deniedTopics.${i}.${field}`];
  return (
    <FormField
      label="Denied topics"
      description="A question close to a topic's examples gets the topic's message, with no sources; each decline is in the audit log"
      stretch
    >
      <SpaceBetween size="m">
        {topics.map((t, i) => (
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
                    Remove
                  </Button>
                }
              >
                {t.name || `Topic ${i + 1}`}
              </Header>
            }
          >
            <SpaceBetween size="s">
              <FormField label="Topic name" errorText={at(i, "name")}>
                <Input
                  value={t.name}
                  onChange={(e) => setTopic(i, { name: e.detail.value })}
                />
              </FormField>
              <FormField
                label="Example questions"
                description="One per line, as users would ask"
                errorText={at(i, "examples")}
              >
                <Textarea
                  rows={3}
                  value={t.examples.join("\n")}
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
              <FormField label="Message" errorText={at(i, "message")}>
                <Input
                  value={t.message}
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
          Add a denied topic
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
