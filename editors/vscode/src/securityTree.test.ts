// Unit tests of the "AsyncAPI Security" tree built from the server's answer (npm test).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EXPAND_OPERATIONS_UP_TO, SecurityNode, SecurityOperation, securityNodes } from './securityTree';

const r = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

// the answer for testdata/editors/demo.yaml (abridged to what the tree reads)
const demo: SecurityOperation[] = [{
  name: 'sendOrder', action: 'send', channel: 'orders', range: r(14, 2, 11), operationRange: r(18, 4, 12),
  servers: [{ name: 'production', protocol: 'kafka', range: r(5, 2, 12), securityRange: r(8, 4, 12),
    requirements: [{ range: r(9, 8, 54), schemes: [{ scheme: 'saslScram', type: 'scramSha256', range: r(9, 8, 54), definition: r(23, 4, 13), scopes: [] }] }] }],
  operation: [
    { range: r(19, 8, 50), schemes: [{ scheme: 'oauth', type: 'oauth2', range: r(19, 8, 50), scopes: [{ name: 'orders:write', range: r(33, 10, 22) }] }] },
    { range: r(20, 8, 58), schemes: [{ scheme: 'missingScheme', range: r(20, 8, 58), undefined: true, scopes: [] }] },
  ],
}];

const shape = (n: SecurityNode): unknown => [n.label, n.description ?? '', n.children.map(shape)];

test('operation -> servers and operation security -> alternatives -> schemes -> scopes', () => {
  assert.deepEqual(securityNodes(demo).map(shape), [
    ['sendOrder', 'send · channel orders', [
      ['server production', 'kafka · one of 1', [
        ['saslScram', 'the only alternative', [['saslScram', 'scramSha256', []]]]]],
      ['operation security', 'one of 2', [
        ['oauth', 'alternative 1 of 2', [['oauth', 'oauth2, scopes: orders:write', [['orders:write', '', []]]]]],
        ['missingScheme', 'alternative 2 of 2', [['missingScheme', 'not defined', []]]]]],
    ]],
  ]);
});

test('every node reveals its own source range', () => {
  const [op] = securityNodes(demo);
  const [server, own] = op.children;
  assert.deepEqual(op.range, r(14, 2, 11));
  assert.deepEqual(server.range, r(5, 2, 12));
  assert.deepEqual(server.children[0].children[0].range, r(9, 8, 54));
  assert.deepEqual(own.range, r(18, 4, 12));
  assert.deepEqual(own.children[0].children[0].children[0].range, r(33, 10, 22));
});

test('ids are unique and stable across refreshes', () => {
  const ids: string[] = [];
  const walk = (n: SecurityNode) => { ids.push(n.id); n.children.forEach(walk); };
  securityNodes(demo).forEach(walk);
  assert.equal(new Set(ids).size, ids.length);
  const again: string[] = [];
  const walk2 = (n: SecurityNode) => { again.push(n.id); n.children.forEach(walk2); };
  securityNodes(JSON.parse(JSON.stringify(demo))).forEach(walk2);
  assert.deepEqual(again, ids);
});

test('no security, anonymous access, traits, external schemes', () => {
  const [op] = securityNodes([{
    name: 'placeOrder', range: r(15, 6, 16), operationFrom: 'secured',
    servers: [{ name: 'dev', range: r(5, 2, 5), requirements: [{ range: r(9, 8, 10), anonymous: true, schemes: [] },
      { range: r(10, 8, 13), schemes: [{ scheme: 'ext', range: r(10, 8, 13), external: true }] }] },
    { name: 'test', range: r(12, 2, 6) }],
    operation: [],
  }]);
  assert.deepEqual(shape(op), ['placeOrder', '', [
    ['server dev', 'one of 2', [['anonymous ({})', 'alternative 1 of 2', []], ['ext', 'alternative 2 of 2', [['ext', 'in another document', []]]]]],
    ['server test', 'no security declared', []],
    ['operation security (from trait secured)', 'none declared', []],
  ]]);
  assert.deepEqual(op.children[2].range, r(15, 6, 16), 'without a security list of its own, the operation itself');
});

test('unknown security and places in other files', () => {
  const [a, b] = securityNodes([
    { name: 'viaRef', range: r(3, 2, 8), unresolved: true },
    { name: 'onChannel', action: 'send', channel: 'c', range: r(5, 2, 11), channelExternal: true,
      operation: [{ range: r(7, 8, 30), schemes: [
        { scheme: 'ext', range: r(7, 8, 30), external: true, notFollowed: 'outside the workspace' },
        { scheme: 'notAScheme', range: r(8, 8, 30), invalid: true, scopes: [{ name: 'far' }] }] }] },
  ]);
  assert.equal(a.description, 'unknown: unresolved $ref');
  assert.equal(b.description, 'send · channel c · servers unknown: the channel is in another document');
  const [ext, bad] = b.children[0].children[0].children;
  assert.equal(ext.description, 'not followed: outside the workspace');
  assert.equal(bad.description, 'not a Security Scheme, scopes: far');
  assert.deepEqual(bad.children[0].range, r(8, 8, 30), 'a scope in another file reveals its requirement');
});

test('many operations start collapsed', () => {
  const many = Array.from({ length: EXPAND_OPERATIONS_UP_TO + 1 }, (_, i) => ({ name: `op${i}`, range: r(i, 0, 3) }));
  assert.ok(securityNodes(many).every(n => !n.expanded));
  assert.ok(securityNodes(many.slice(1)).every(n => n.expanded));
});
