import { ADMINISTRATORS_GROUP } from '@sextant/core';
import { describe, expect, it } from 'vitest';
import { ACCESS_POLICY } from '../src/generated/access-policy';

const operations = Object.values(ACCESS_POLICY);

describe('the access policy generated from the model', () => {
  it("covers at least the skeleton's operations", () => {
    expect(operations.map((o) => o.operationId)).toEqual(expect.arrayContaining(['getMe', 'getInferenceConfig']));
  });

  it.each(operations.filter((o) => o.path.startsWith('/admin/')))(
    '$method $path is marked @requiresGroup(Administrators) and declares 403',
    (op) => {
      expect(op.requiredGroup).toBe(ADMINISTRATORS_GROUP);
      expect(op.responses).toContain(403);
    },
  );

  it.each(operations)('$method $path declares 401 for a missing or invalid token', (op) => {
    expect(op.responses).toContain(401);
  });
});
