import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DeleteObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { CognitoUserDirectory } from "./cognito-user-directory";
import { GENERAL_COLLECTION_ID } from "../db/migrations";
import { S3UploadTarget } from "../documents/s3-upload-target";
import { collectionOfKey } from "../documents/upload-paths";
import { InvalidInputError, NotFoundError } from "../errors";

// Cognito cannot be reached here: these run against recorded AWS SDK responses (aws-sdk-client-mock).
const cognito = mockClient(CognitoIdentityProviderClient);
const directory = new CognitoUserDirectory(
  "eu-west-1_pool",
  new CognitoIdentityProviderClient({ region: "eu-west-1" }),
);
const named = (name: string) => Object.assign(new Error(name), { name });

beforeEach(() => cognito.reset());

describe("CognitoUserDirectory (recorded Cognito responses)", () => {
  it("lists users across pages, marking members of Administrators", async () => {
    cognito
      .on(ListUsersInGroupCommand)
      .resolves({ Users: [{ Username: "ada" }] });
    cognito
      .on(ListUsersCommand)
      .resolvesOnce({
        Users: [
          {
            Username: "ada",
            Enabled: true,
            Attributes: [{ Name: "email", Value: "ada@example.com" }],
          },
        ],
        PaginationToken: "p2",
      })
      .resolvesOnce({ Users: [{ Username: "grace", Enabled: false }] });
    expect(await directory.list()).toEqual([
      {
        id: "ada",
        username: "ada",
        email: "ada@example.com",
        enabled: true,
        administrator: true,
      },
      { id: "grace", username: "grace", enabled: false, administrator: false },
    ]);
  });

  it("invites by email and adds administrators to the group; a taken username is a 400 on username", async () => {
    cognito.on(AdminCreateUserCommand).resolves({});
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    await directory.invite({
      username: "lin",
      email: "lin@example.com",
      administrator: true,
    });
    expect(
      cognito.commandCalls(AdminCreateUserCommand)[0].args[0].input,
    ).toMatchObject({
      UserPoolId: "eu-west-1_pool",
      Username: "lin",
      DesiredDeliveryMediums: ["EMAIL"],
    });
    expect(
      cognito.commandCalls(AdminAddUserToGroupCommand)[0].args[0].input
        .GroupName,
    ).toBe("Administrators");

    cognito
      .on(AdminCreateUserCommand)
      .rejects(named("UsernameExistsException"));
    const error = await directory
      .invite({ username: "lin", email: "x@example.com", administrator: false })
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.fields).toEqual([{ path: "username", message: "is taken" }]);
  });

  it("disables a user and signs them out everywhere; an unknown user is NotFound", async () => {
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    cognito
      .on(AdminGetUserCommand)
      .resolves({ Username: "grace", Enabled: false, UserAttributes: [] });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
    expect(await directory.update("grace", { enabled: false })).toEqual({
      id: "grace",
      username: "grace",
      enabled: false,
      administrator: false,
    });
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(1);

    cognito.on(AdminDisableUserCommand).rejects(named("UserNotFoundException"));
    await expect(
      directory.update("nobody", { enabled: false }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("removes a demoted administrator from the group and signs them out everywhere, as disabling does (mocked Cognito)", async () => {
    cognito.on(AdminRemoveUserFromGroupCommand).resolves({});
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    cognito
      .on(AdminGetUserCommand)
      .resolves({ Username: "ada", Enabled: true, UserAttributes: [] });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
    expect(
      await directory.update("ada", { administrator: false }),
    ).toMatchObject({ administrator: false, enabled: true });
    expect(
      cognito.commandCalls(AdminRemoveUserFromGroupCommand)[0].args[0].input,
    ).toMatchObject({ Username: "ada", GroupName: "Administrators" });
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(1);
  });
});

describe("S3UploadTarget", () => {
  it("presigns a PUT of the file into its collection's folder of the upload bucket for 15 minutes (signed locally, no network)", async () => {
    const target = new S3UploadTarget(
      "sextant-uploads",
      new S3Client({
        region: "eu-west-1",
        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      }),
    );
    const upload = await target.createUploadUrl({
      filename: "report.pdf",
      size: 1234,
      collectionId: GENERAL_COLLECTION_ID,
    });
    const url = new URL(upload.url);
    expect(url.hostname).toBe("sextant-uploads.s3.eu-west-1.amazonaws.com");
    expect(url.pathname).toBe(`/uploads/${GENERAL_COLLECTION_ID}/report.pdf`);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    // The document goes by its key in the upload area: never by the bucket.
    expect(upload).toMatchObject({
      method: "PUT",
      source: `uploads/${GENERAL_COLLECTION_ID}/report.pdf`,
    });
    expect(collectionOfKey(url.pathname.slice(1))).toBe(GENERAL_COLLECTION_ID);
    expect(collectionOfKey("uploads/report.pdf")).toBeUndefined();
    expect(collectionOfKey("bulk/2026/report.pdf")).toBeUndefined();
  });

  it("presigns a GET of a document's original for 15 minutes, saved under its file name; none outside uploads/ and bulk/ of its own bucket", async () => {
    const target = new S3UploadTarget(
      "sextant-uploads",
      new S3Client({
        region: "eu-west-1",
        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      }),
    );
    const download = await target.createDownloadUrl({
      documentId: "d1",
      origin: "s3://sextant-uploads/uploads/c1/Q3 résumé.pdf",
      fileName: "Q3 résumé.pdf",
      mediaType: "application/pdf",
    });
    const url = new URL(download.url);
    expect(url.pathname).toBe("/uploads/c1/Q3%20r%C3%A9sum%C3%A9.pdf");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("response-content-disposition")).toBe(
      `attachment; filename="Q3 r_sum_.pdf"; filename*=UTF-8''Q3%20r%C3%A9sum%C3%A9.pdf`,
    );
    expect(url.searchParams.get("response-content-type")).toBe(
      "application/pdf",
    );
    expect(download.fileName).toBe("Q3 résumé.pdf");
    for (const origin of [
      "s3://other-bucket/uploads/c1/report.pdf",
      "s3://sextant-uploads/staging/run-1/report.json",
    ])
      await expect(
        target.createDownloadUrl({
          documentId: "d2",
          origin,
          fileName: "x",
          mediaType: "text/plain",
        }),
      ).rejects.toThrow("is in a source bucket, not the upload bucket");
  });

  it("deletes the object a document came from, only under uploads/ and bulk/ of its own bucket (recorded AWS SDK responses)", async () => {
    const s3 = mockClient(S3Client);
    s3.on(DeleteObjectCommand).resolves({ DeleteMarker: true });
    const target = new S3UploadTarget("sextant-uploads", new S3Client({}));
    for (const source of [
      "s3://sextant-uploads/uploads/report.pdf",
      "s3://sextant-uploads/bulk/2026/a b.txt",
      "s3://sextant-uploads/staging/x/y.chunks.json",
      "s3://another-bucket/uploads/report.pdf",
      "/home/ada/reports/report.pdf",
    ])
      await target.removeUpload(source);
    expect(
      s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input),
    ).toEqual([
      { Bucket: "sextant-uploads", Key: "uploads/report.pdf" },
      { Bucket: "sextant-uploads", Key: "bulk/2026/a b.txt" },
    ]);
    s3.restore();
  });
});

describe("CognitoUserDirectory with single sign-on (recorded Cognito responses)", () => {
  const federated = new CognitoUserDirectory(
    "eu-west-1_pool",
    new CognitoIdentityProviderClient({ region: "eu-west-1" }),
    { "example-analysts": "Analysts", "example-admins": "Administrators" },
  );
  const carol = [
    { Name: "email", Value: "carol@example.com" },
    {
      Name: "identities",
      Value: JSON.stringify([
        {
          userId: "carol",
          providerName: "ExampleCorp",
          providerType: "OIDC",
          issuer: null,
          primary: "true",
          dateCreated: "1764460800000",
        },
      ]),
    },
    {
      Name: "custom:directory_groups",
      Value: '["example-analysts","example-marketing"]',
    },
  ];

  it("lists a federated user with their provider and mapped groups, a local one as before", async () => {
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [] });
    cognito.on(ListUsersCommand).resolves({
      Users: [
        { Username: "ExampleCorp_carol", Enabled: true, Attributes: carol },
        { Username: "grace", Enabled: true },
      ],
    });
    expect(await federated.list()).toEqual([
      {
        id: "ExampleCorp_carol",
        username: "ExampleCorp_carol",
        email: "carol@example.com",
        enabled: true,
        administrator: false,
        provider: "ExampleCorp",
        groups: ["Analysts"],
      },
      { id: "grace", username: "grace", enabled: true, administrator: false },
    ]);
  });

  it("answers a federated user's current groups from their directory's, mapped; a local user's from Cognito's groups", async () => {
    cognito
      .on(AdminGetUserCommand, { Username: "ExampleCorp_carol" })
      .resolves({ Username: "ExampleCorp_carol", UserAttributes: carol });
    cognito
      .on(AdminGetUserCommand, { Username: "grace" })
      .resolves({ Username: "grace", UserAttributes: [] });
    cognito
      .on(AdminListGroupsForUserCommand)
      .resolves({ Groups: [{ GroupName: "Analysts" }] });
    expect(await federated.groupsOf("ExampleCorp_carol")).toEqual(["Analysts"]);
    expect(await federated.groupsOf("grace")).toEqual(["Analysts"]);
    expect(
      cognito
        .commandCalls(AdminListGroupsForUserCommand)
        .map((c) => c.args[0].input.Username),
    ).toEqual(["grace"]);
  });

  it("refuses to make a federated user an administrator by hand: the directory owns their groups (400 on administrator)", async () => {
    cognito
      .on(AdminGetUserCommand)
      .resolves({ Username: "ExampleCorp_carol", UserAttributes: carol });
    const refused = await federated
      .update("ExampleCorp_carol", { administrator: true })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as InvalidInputError).fields).toEqual([
      {
        path: "administrator",
        message: "is set by ExampleCorp's groups, not here",
      },
    ]);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });
});
