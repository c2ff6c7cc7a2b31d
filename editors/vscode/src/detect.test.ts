// Unit tests of the AsyncAPI document detection (npm test).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isAsyncApiText } from './detect';

const cases: [string, string, boolean][] = [
  ['YAML root key', 'asyncapi: 3.0.0\ninfo:\n  title: x\n', true],
  ['YAML after comments and a document marker', '# spec\n---\nasyncapi: "2.6.0"\n', true],
  ['YAML root key not on the first line', 'info:\n  title: x\nasyncapi: 3.0.0\n', true],
  ['YAML quoted key', '"asyncapi": 3.0.0\n', true],
  ['YAML CRLF', 'asyncapi: 3.0.0\r\ninfo: {}\r\n', true],
  ['YAML nested key only', 'x:\n  asyncapi: 3.0.0\n', false],
  ['YAML key with a longer name', 'asyncapiVersion: 1\n', false],
  ['OpenAPI', 'openapi: 3.1.0\ninfo: {}\n', false],
  ['JSON', '{\n  "asyncapi": "3.0.0",\n  "info": {}\n}', true],
  ['minified JSON', '{"info":{},"asyncapi":"3.0.0"}', true],
  ['JSON without the key', '{"openapi": "3.1.0"}', false],
  ['package.json', '{"name": "x", "dependencies": {"@asyncapi/parser": "3"}}', false],
  ['empty', '', false],
];
for (const [name, text, want] of cases) {
  test(name, () => assert.equal(isAsyncApiText(text), want));
}
