import { validateInferenceConfig } from '@sextant/core';
import { describe, expect, it } from 'vitest';
import { ADMIN_CLAIMS, apiGatewayEvent, lambdaContext } from './events';
import { handler } from '../src/get-inference-config';

describe('GET /admin/inference-config', () => {
  it('returns a valid configuration with its version as ETag to an administrator', async () => {
    const response = await handler(apiGatewayEvent('GET', '/admin/inference-config', ADMIN_CLAIMS), lambdaContext);
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(response.headers?.ETag).toBe(`"${body.version}"`);
    expect(validateInferenceConfig(body.config)).toMatchObject({ ok: true });
  });
});
