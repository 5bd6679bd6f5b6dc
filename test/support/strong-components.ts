/** Directed graphs over names: strongly connected components and a readable walk through each. */

/** A graph over `nodes` (sorted) with the edges of `pairs` whose source is one of them. */
export function adjacency(nodes: readonly string[], pairs: readonly (readonly [string, string])[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const n of [...new Set(nodes)].sort()) graph.set(n, new Set());
  for (const [a, b] of pairs) graph.get(a)?.add(b);
  return graph;
}

/** Tarjan's strongly connected components, iterative, each sorted, in order of their first member. */
export function components(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; next: string[] }[] = [];
    const open = (node: string): void => {
      index.set(node, index.size);
      low.set(node, index.get(node) as number);
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: [...(graph.get(node) ?? [])].sort().reverse() });
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1] as { node: string; next: string[] };
      const child = top.next.pop();
      if (child !== undefined) {
        if (!index.has(child)) open(child);
        else if (onStack.has(child)) low.set(top.node, Math.min(low.get(top.node) as number, index.get(child) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(top.node) as number));
      if (low.get(top.node) !== index.get(top.node)) continue;
      const members: string[] = [];
      let m: string | undefined;
      do {
        m = stack.pop() as string;
        onStack.delete(m);
        members.push(m);
      } while (m !== top.node);
      out.push(members.sort());
    }
  }
  return out.sort((x, y) => (x[0] as string).localeCompare(y[0] as string));
}

/** A walk from the first member through every member and back, by shortest paths inside the component. */
export function closedWalk(graph: ReadonlyMap<string, ReadonlySet<string>>, members: readonly string[]): string[] {
  const inside = new Set(members);
  const start = members[0] as string;
  const walk = [start];
  const unseen = new Set(members.slice(1));
  let at = start;
  while (unseen.size > 0) {
    const path = shortestPath(graph, inside, at, (n) => unseen.has(n));
    for (const n of path) unseen.delete(n);
    walk.push(...path);
    at = walk[walk.length - 1] as string;
  }
  walk.push(...shortestPath(graph, inside, at, (n) => n === start));
  return walk;
}

/** Breadth-first, in sorted order: the nodes after `from` up to the first that satisfies `goal`. */
function shortestPath(graph: ReadonlyMap<string, ReadonlySet<string>>, inside: ReadonlySet<string>, from: string, goal: (n: string) => boolean): string[] {
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q] as string;
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!inside.has(next)) continue;
      if (goal(next)) {
        const path = [next];
        for (let p = node; p !== from; p = previous.get(p) as string) path.unshift(p);
        return path;
      }
      if (previous.has(next)) continue;
      previous.set(next, node);
      queue.push(next);
    }
  }
  throw new Error(`no path from ${from} inside its component`);
}
