import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { SERVICE_CLIENT_LIMITS } from "@sextant/core/aws-clients";
import {
  onSourceObjectEvent,
  syncS3Sources,
  type S3ObjectEvent,
  type S3SyncDependencies,
} from "@sextant/core/aws-ingestion";
import { connectPostgres } from "@sextant/core/store";

// S3 sources kept in sync (infra/src/constructs/ingestion.ts): the hourly schedule syncs every
// source; an S3 event for an object of a source bucket starts or removes that one document.

let deps: Promise<S3SyncDependencies> | undefined;
function dependencies(): Promise<S3SyncDependencies> {
  deps ??= (async () => {
    const { db } = await connectPostgres(process.env.DATABASE_URL!, {
      migrate: false,
      max: 1,
    });
    const sfn = new SFNClient({ ...SERVICE_CLIENT_LIMITS });
    return {
      db,
      s3: new S3Client({ ...SERVICE_CLIENT_LIMITS }),
      startIngestion: async (object) => {
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn: process.env.STATE_MACHINE_ARN!,
            input: JSON.stringify(object),
          }),
        );
      },
    };
  })();
  deps.catch(() => (deps = undefined));
  return deps;
}

/** The schedule's event (`aws.events`), or an S3 object event from a source bucket (`aws.s3`). */
export const handler = async (
  event: { source?: string } & Partial<S3ObjectEvent>,
) =>
  event.source === "aws.s3"
    ? {
        object: await onSourceObjectEvent(
          await dependencies(),
          event as S3ObjectEvent,
        ),
      }
    : { sources: await syncS3Sources(await dependencies()) };
