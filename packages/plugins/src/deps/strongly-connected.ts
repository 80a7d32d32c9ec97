/**
 * Strongly connected components of a directed graph over nodes 0..n-1 (Tarjan's algorithm, iterative, so
 * deep import chains cannot overflow the stack). Components come out in reverse topological order.
 */
export function stronglyConnectedComponents(count: number, successors: (node: number) => readonly number[]): number[][] {
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const components: number[][] = [];
  let next = 0;
  const frames: Array<{ node: number; edges: readonly number[]; at: number }> = [];
  for (let start = 0; start < count; start += 1) {
    if (index[start] !== -1) continue;
    const open = (node: number): void => {
      index[node] = low[node] = next++;
      stack.push(node);
      onStack[node] = 1;
      frames.push({ node, edges: successors(node), at: 0 });
    };
    open(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.at < frame.edges.length) {
        const to = frame.edges[frame.at++]!;
        if (index[to] === -1) open(to);
        else if (onStack[to]) low[frame.node] = Math.min(low[frame.node]!, index[to]!);
        continue;
      }
      frames.pop();
      const node = frame.node;
      const parent = frames[frames.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[node]!);
      if (low[node] === index[node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== node);
        components.push(component);
      }
    }
  }
  return components;
}
