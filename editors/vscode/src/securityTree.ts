// The "AsyncAPI Security" tree: the answer of the server command asyncapi-ls.effectiveSecurity
// turned into nodes (operation -> server / operation security -> alternatives -> schemes -> scopes),
// each with the source range a click reveals. Pure (no vscode import) so that it is unit-tested.

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
/** range is absent when the scope is written in another file. */
export interface SecurityScope { name: string; range?: Range }
export interface SecurityScheme {
  scheme: string;
  type?: string;
  range: Range;
  definition?: Range;
  external?: boolean;
  notFollowed?: string;
  undefined?: boolean;
  invalid?: boolean;
  scopes?: SecurityScope[];
}
/** Why security is unknown (not absent): the $ref does not resolve, is in another document, or is not a mapping. */
interface Unknown { unresolved?: boolean; external?: boolean; invalid?: boolean }
export interface SecurityAlternative { range: Range; anonymous?: boolean; schemes?: SecurityScheme[] }
export interface SecurityServer extends Unknown {
  name: string;
  protocol?: string;
  range: Range;
  securityRange?: Range;
  requirements?: SecurityAlternative[];
}
export interface SecurityOperation extends Unknown {
  name: string;
  channelServersInvalid?: boolean;
  channelUnresolved?: boolean;
  channelExternal?: boolean;
  undefinedServers?: string[];
  action?: string;
  channel?: string;
  range: Range;
  servers?: SecurityServer[];
  operation?: SecurityAlternative[];
  operationFrom?: string;
  operationRange?: Range;
}

export type NodeKind = 'operation' | 'server' | 'operationSecurity' | 'alternative' | 'scheme' | 'scope';

export interface SecurityNode {
  /** Stable across refreshes of the same document, so that expansion state survives edits. */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  tooltip: string;
  /** What a click reveals in the document. */
  range: Range;
  children: SecurityNode[];
  expanded: boolean;
}

/** Above this many operations, operations start collapsed. */
export const EXPAND_OPERATIONS_UP_TO = 20;

function unknownText(u: Unknown): string {
  if (u.unresolved) return 'unknown: unresolved $ref';
  if (u.external) return 'unknown: in another document';
  if (u.invalid) return 'unknown: not a mapping';
  return '';
}

/** Why an operation has no server lines, or ''. */
function serversText(op: SecurityOperation): string {
  if (op.channelUnresolved) return 'servers unknown: the channel $ref does not resolve';
  if (op.channelExternal) return 'servers unknown: the channel is in another document';
  if (op.channelServersInvalid) return "servers unknown: the channel's servers is not a list";
  if (!(op.servers ?? []).length && (op.undefinedServers ?? []).length) return `no server: ${op.undefinedServers!.join(', ')} not defined`;
  if (!(op.servers ?? []).length) return 'no servers';
  return '';
}

function schemeNode(parent: string, s: SecurityScheme, k: number): SecurityNode {
  const scopes = s.scopes ?? [];
  let description = s.type || '';
  if (s.undefined) description = 'not defined';
  else if (s.invalid) description = 'not a Security Scheme';
  else if (s.external) description = s.notFollowed ? `not followed: ${s.notFollowed}` : 'in another document';
  if (scopes.length) description += `${description ? ', ' : ''}scopes: ${scopes.map(x => x.name).join(', ')}`;
  const id = `${parent}/scheme:${k}:${s.scheme}`;
  return {
    id, kind: 'scheme', label: s.scheme, description,
    tooltip: s.undefined ? `${s.scheme}: no such security scheme` : `${s.scheme}${s.type ? ` (${s.type})` : ''}`,
    range: s.range, expanded: false,
    children: scopes.map((sc, i) => ({
      id: `${id}/scope:${i}:${sc.name}`, kind: 'scope' as const, label: sc.name, tooltip: `scope ${sc.name}`,
      range: sc.range ?? s.range, children: [], expanded: false,
    })),
  };
}

function alternativeNodes(parent: string, alts: SecurityAlternative[]): SecurityNode[] {
  return alts.map((a, j) => {
    const schemes = a.schemes ?? [];
    const label = a.anonymous || schemes.length === 0 ? 'anonymous ({})' : schemes.map(s => s.scheme).join(' + ');
    const id = `${parent}/alt:${j}`;
    return {
      id, kind: 'alternative' as const, label,
      description: alts.length > 1 ? `alternative ${j + 1} of ${alts.length}` : 'the only alternative',
      tooltip: a.anonymous ? 'anonymous access is allowed' : schemes.length > 1 ? 'all of these schemes must hold' : 'this scheme must hold',
      range: a.range, expanded: true,
      children: schemes.map((s, k) => schemeNode(id, s, k)),
    };
  });
}

/** securityNodes builds the tree of the effective security of every operation. */
export function securityNodes(ops: SecurityOperation[]): SecurityNode[] {
  return ops.map((op, i) => {
    const id = `op:${i}:${op.name}`;
    const servers: SecurityNode[] = (op.servers ?? []).map((s, j) => {
      const alts = s.requirements ?? [];
      return {
        id: `${id}/server:${j}:${s.name}`, kind: 'server' as const, label: `server ${s.name}`,
        description: [s.protocol, unknownText(s) || (alts.length ? `one of ${alts.length}` : 'no security declared')].filter(Boolean).join(' · '),
        tooltip: `server ${s.name}: one of its alternatives must hold`, range: s.range, expanded: true,
        children: alternativeNodes(`${id}/server:${j}:${s.name}`, alts),
      };
    });
    const layer = op.operation ?? [];
    const from = op.operationFrom ? ` (from trait ${op.operationFrom})` : '';
    const own: SecurityNode = {
      id: `${id}/operation`, kind: 'operationSecurity', label: `operation security${from}`,
      description: layer.length ? `one of ${layer.length}` : 'none declared',
      tooltip: 'the operation\'s own security: one alternative must hold IN ADDITION to one of the server\'s',
      range: op.operationRange ?? op.range, expanded: true,
      children: alternativeNodes(`${id}/operation`, layer),
    };
    return {
      id, kind: 'operation' as const, label: op.name,
      description: [op.action, op.channel ? `channel ${op.channel}` : '', unknownText(op) || serversText(op)].filter(Boolean).join(' · '),
      tooltip: servers.length ? `${op.name}: for each server, one server alternative AND one operation alternative must hold`
        : `${op.name}: available on no server`,
      range: op.range, expanded: ops.length <= EXPAND_OPERATIONS_UP_TO,
      children: [...servers, own],
    };
  });
}
