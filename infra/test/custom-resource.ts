import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { CloudFormationCustomResourceEvent } from "aws-lambda";

/** What a custom resource's function answered CloudFormation. */
export interface CloudFormationResponse {
  readonly Status: string;
  readonly Reason: string;
}

/**
 * CloudFormation's side of the schema custom resource: a response URL on loopback that collects
 * every answer, and the event CloudFormation would send with it.
 */
export async function schemaResourceEndpoint() {
  const responses: CloudFormationResponse[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      responses.push(JSON.parse(body));
      // One connection per response. Kept alive, an idle connection can be closed by this server
      // (after its 5 s keep-alive) while PGlite's synchronous work holds the event loop; fetch then
      // reuses it before seeing the close, and the next response fails with ECONNRESET.
      res.writeHead(200, { Connection: "close" });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    responses,
    /** The event of one request, with these resource properties. */
    event: (
      RequestType: "Create" | "Update" | "Delete",
      properties: object,
    ): CloudFormationCustomResourceEvent =>
      ({
        RequestType,
        ResponseURL: url,
        StackId: "stack",
        RequestId: "req",
        LogicalResourceId: "Schema",
        ResourceType: "Custom::SextantSchema",
        ServiceToken: "fn",
        ResourceProperties: { ServiceToken: "fn", ...properties },
      }) as CloudFormationCustomResourceEvent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
