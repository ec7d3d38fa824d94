import { buildResponseHeaderInterceptor } from '@sextant/api-typescript-runtime';

/**
 * CORS headers for the website's origin only (`ALLOWED_ORIGIN`, set by the CDK app). Without it
 * (the API served under the website's own origin, as locally) no CORS header is sent at all:
 * never `*`.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = process.env.ALLOWED_ORIGIN
  ? {
    'Access-Control-Allow-Origin': process.env.ALLOWED_ORIGIN,
    'Access-Control-Allow-Headers': 'Authorization,Content-Type,If-Match',
    'Access-Control-Expose-Headers': 'ETag,Retry-After',
    'Vary': 'Origin',
  }
  : {};

export const corsForWebsite = buildResponseHeaderInterceptor({ ...CORS_HEADERS });
