import type { DepsGraph } from './graph.js';

/** Output formats of `nixforge deps`. */
export type DepsFormat = 'json' | 'mermaid' | 'dot';
export const DEPS_FORMATS: readonly DepsFormat[] = ['json', 'mermaid', 'dot'];

interface GraphNode {
  id: string;
  label: string;
  shape: 'file' | 'missing' | 'input';
}

interface GraphLink {
  from: string;
  to: string;
  label: string;
}

/** Nodes and links shared by the drawing formats: files, missing targets and flake inputs. */
function layout(graph: DepsGraph): { nodes: GraphNode[]; links: GraphLink[] } {
  const nodes = new Map<string, GraphNode>();
  const add = (key: string, label: string, shape: GraphNode['shape']): string => {
    let node = nodes.get(key);
    if (!node) {
      node = { id: `n${nodes.size}`, label, shape };
      nodes.set(key, node);
    }
    return node.id;
  };
  const links: GraphLink[] = [];
  for (const file of graph.files) add(`file:${file}`, file, 'file');
  for (const edge of graph.edges) {
    const from = add(`file:${edge.from}`, edge.from, 'file');
    const to = add(`file:${edge.to}`, edge.to, edge.missing ? 'missing' : 'file');
    links.push({ from, to, label: edge.kind });
  }
  for (const flake of graph.flakes) {
    const from = add(`file:${flake.file}`, flake.file, 'file');
    for (const input of flake.inputs) {
      const details = input.follows !== undefined ? `follows ${input.follows}` : (input.url ?? input.type ?? '');
      const rev = input.locked?.rev ? ` @ ${input.locked.rev.slice(0, 7)}` : '';
      const label = `${input.name}${details ? `\n${details}` : ''}${rev}${input.flake ? '' : '\nflake = false'}`;
      const to = add(`input:${flake.file}:${input.name}`, label, 'input');
      links.push({ from, to, label: 'input' });
    }
  }
  return { nodes: [...nodes.values()], links };
}

function mermaidText(label: string): string {
  return `"${label.replace(/"/g, '#quot;').replace(/\n/g, '<br/>')}"`;
}

function dotText(label: string): string {
  return `"${label.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Renders the graph as JSON, a Mermaid flowchart or Graphviz dot. */
export function renderDepsGraph(graph: DepsGraph, format: DepsFormat): string {
  if (format === 'json') return `${JSON.stringify(graph, null, 2)}\n`;
  const { nodes, links } = layout(graph);
  if (format === 'mermaid') {
    const lines = ['flowchart LR'];
    for (const node of nodes) {
      const text = mermaidText(node.shape === 'missing' ? `${node.label} (missing)` : node.label);
      lines.push(`  ${node.id}${node.shape === 'input' ? `([${text}])` : `[${text}]`}`);
    }
    for (const link of links) lines.push(`  ${link.from} -->|${link.label}| ${link.to}`);
    return `${lines.join('\n')}\n`;
  }
  const lines = ['digraph deps {', '  rankdir=LR;', '  node [shape=box];'];
  for (const node of nodes) {
    const attrs = [`label=${dotText(node.label)}`];
    if (node.shape === 'input') attrs.push('shape=ellipse');
    if (node.shape === 'missing') attrs.push('style=dashed', 'color=red');
    lines.push(`  ${node.id} [${attrs.join(', ')}];`);
  }
  for (const link of links) lines.push(`  ${link.from} -> ${link.to} [label=${dotText(link.label)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
