// Detection of AsyncAPI documents by their text, shared by the activation logic
// and the middleware that keeps other YAML/JSON files away from the server.

const YAML_ROOT_KEY = /^(?:["']asyncapi["']|asyncapi)[ \t]*:/m;
const FLOW_KEY = /(?:^|[{,\s])(?:"asyncapi"|'asyncapi'|asyncapi)\s*:/;

/**
 * isAsyncApiText reports whether `text` is a YAML or JSON document with a root
 * `asyncapi` key: in block YAML the key starts at column 0; in JSON (or flow YAML)
 * it is a key of the outermost object, which we approximate by "some key named asyncapi".
 */
export function isAsyncApiText(text: string): boolean {
  const start = text.search(/\S/);
  if (start < 0) return false;
  if (text[start] === '{') return FLOW_KEY.test(text);
  return YAML_ROOT_KEY.test(text);
}
