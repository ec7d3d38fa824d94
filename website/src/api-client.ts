import {
  Configuration,
  DefaultApi,
} from "@sextant/api-typescript-react-query-hooks";

/** The generated API client, sending the signed-in user's access token on every request. */
export function createApiClient(
  apiUrl: string,
  accessToken: () => string | undefined,
): DefaultApi {
  return new DefaultApi(
    new Configuration({
      basePath: apiUrl.replace(/\/$/, ""),
      middleware: [
        {
          pre: async (context) => {
            const token = accessToken();
            const headers = new Headers(context.init.headers);
            if (token) headers.set("Authorization", `Bearer ${token}`);
            return { url: context.url, init: { ...context.init, headers } };
          },
        },
      ],
    }),
  );
}
