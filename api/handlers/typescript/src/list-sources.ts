import {
  listSourcesHandler,
  ListSourcesChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listSources as list } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/sources: S3 prefixes and local folders kept in sync with a collection. */
export const listSources: ListSourcesChainedHandlerFunction = async () => {
  const db = await database();
  return {
    statusCode: 200,
    body: {
      items: [...(await list(db, "s3")), ...(await list(db, "folder"))] as any,
    },
  };
};

/** Lambda entry point. */
export const handler = guard(listSourcesHandler(...INTERCEPTORS, listSources));
