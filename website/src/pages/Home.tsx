import Box from "@cloudscape-design/components/box";
import ColumnLayout from "@cloudscape-design/components/column-layout";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Header from "@cloudscape-design/components/header";
import type { Caller } from "@sextant/api-typescript-react-query-hooks";

/** Who you are, from `GET /me`. Chat arrives here with the chat API. */
export function Home({ me }: { me: Caller }) {
  return (
    <ContentLayout header={<Header variant="h1">Welcome to Sextant</Header>}>
      <Container header={<Header variant="h2">Signed in</Header>}>
        <ColumnLayout columns={3} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">Username</Box>
            <div data-testid="me-username">{me.username}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">Email</Box>
            <div>{me.email ?? "—"}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">Groups</Box>
            <div data-testid="me-groups">
              {me.groups.length ? me.groups.join(", ") : "none"}
            </div>
          </div>
        </ColumnLayout>
      </Container>
    </ContentLayout>
  );
}
