import { policyJsonSchema } from './schema.js';

/** A JSON Schema node, as far as the reference reads it. */
interface SchemaNode {
  description?: string;
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: SchemaNode[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  propertyNames?: SchemaNode;
  required?: string[];
  pattern?: string;
}

function typeOf(node: SchemaNode): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum?.every((v) => typeof v === 'string' && /^CG\d{3}$/.test(v))) return 'rule id (CG101…)';
  if (node.enum) return node.enum.map((v) => String(v)).join(' | ');
  if (node.pattern?.includes('\\d{4}')) return 'date (YYYY-MM-DD)';
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  if (node.type === 'array') return `list of ${node.items ? typeOf(node.items) : 'any'}`;
  if (node.type === 'object' && node.properties) return 'map';
  if (node.type === 'object' && typeof node.additionalProperties === 'object') return 'map';
  return node.type ?? 'any';
}

/**
 * The policy reference: one row per key, its type and description, generated from the JSON Schema (which
 * is generated from the zod schema), so the README cannot drift from what the loader accepts.
 */
export function policyReferenceRows(): string[] {
  const schema = policyJsonSchema() as SchemaNode;
  const rows: string[] = ['| key | type | what it means |', '|---|---|---|'];
  const cell = (s: string): string => s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
  const walk = (node: SchemaNode, path: string): void => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const name = path ? `${path}.${key}` : key;
      const required = node.required?.includes(key) ? ' (required)' : '';
      rows.push(`| \`${name}\` | ${cell(typeOf(child))}${required} | ${cell(child.description ?? '')} |`);
      descend(child, name);
    }
  };
  const descend = (child: SchemaNode, name: string): void => {
    if (child.properties) walk(child, name);
    if (child.type === 'array' && child.items?.properties) walk(child.items, `${name}[]`);
    if (typeof child.additionalProperties === 'object') {
      const value = child.additionalProperties;
      const placeholder = name === 'rules' ? '<rule id>' : '<name>';
      const objectBranch = value.anyOf?.find((b) => b.properties) ?? value;
      if (value.anyOf)
        rows.push(
          `| \`${name}.${placeholder}\` | ${cell(typeOf(value))} | ${cell(value.description ?? '')} |`,
        );
      walk(objectBranch, `${name}.${placeholder}`);
    }
  };
  walk(schema, '');
  return rows;
}
