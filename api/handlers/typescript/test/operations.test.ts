import { ADMINISTRATORS_GROUP } from '@sextant/core';
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/generated/operations';

const operations = Object.values(OPERATIONS);

describe('the operations table generated from the model', () => {
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

  it.each(operations)('$method $path: its handler module exports what the table says ($module)', async (op) => {
    const module = await import(`../src/${op.module}`);
    expect(typeof module.handler).toBe('function');
    expect(typeof module.stream === 'function').toBe(op.streaming);
  });

  it('declares the resources each operation uses, and streaming, in the model', () => {
    const facts = Object.fromEntries(operations.map((o) => [o.operationId, { uses: o.uses, streaming: o.streaming }]));
    expect(facts.streamMessage).toEqual({ uses: ['chat-models'], streaming: true });
    expect(facts.postMessage).toEqual({ uses: ['chat-models'], streaming: false });
    expect(facts.searchDocuments.uses).toEqual(['embedding-model']);
    expect(facts.createUploadUrl.uses).toEqual(['upload-bucket.put']);
    expect(facts.getMe).toEqual({ uses: [], streaming: false });
  });
});
