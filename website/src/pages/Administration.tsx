import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Header from "@cloudscape-design/components/header";
import KeyValuePairs from "@cloudscape-design/components/key-value-pairs";
import Spinner from "@cloudscape-design/components/spinner";
import { useGetInferenceConfig } from "@sextant/api-typescript-react-query-hooks";

/** Administration: the current inference configuration (read-only until the editor lands). */
export function Administration() {
  const config = useGetInferenceConfig();
  return (
    <ContentLayout header={<Header variant="h1">Administration</Header>}>
      <Container
        header={
          <Header
            variant="h2"
            description="Models, prompts and retrieval used to answer questions"
          >
            Inference configuration
          </Header>
        }
      >
        {config.isLoading && <Spinner size="large" />}
        {config.isError && (
          <Alert type="error" header="Could not load the configuration">
            {String(config.error)}
          </Alert>
        )}
        {config.data && (
          <KeyValuePairs
            columns={3}
            items={[
              { label: "Version", value: String(config.data.version) },
              {
                label: "Answer model",
                value: `${config.data.config.models.answer.provider} · ${config.data.config.models.answer.modelId}`,
              },
              {
                label: "Embeddings",
                value: `${config.data.config.models.embeddings.provider} · ${config.data.config.models.embeddings.modelId}`,
              },
              {
                label: "Passages per answer (k)",
                value: String(config.data.config.retrieval.k),
              },
              {
                label: "History turns",
                value: String(config.data.config.historyTurns),
              },
              {
                label: "Require sources",
                value: config.data.config.guardrails.requireSources
                  ? "Yes"
                  : "No",
              },
            ]}
          />
        )}
        {!config.data && !config.isLoading && !config.isError && (
          <Box>No configuration.</Box>
        )}
      </Container>
    </ContentLayout>
  );
}
