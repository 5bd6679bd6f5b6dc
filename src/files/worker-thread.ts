import { Worker } from 'node:worker_threads';

/**
 * A worker thread running `entry` (a file beside this one, named without extension) with `data`: the
 * built `.js` file, or, run from the TypeScript sources (tests, `tsx`), the `.ts` file through tsx's
 * loader, which a worker does not inherit from its parent.
 */
export function startWorker(entry: string, data: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, import.meta.url), { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const url = new URL(`./${entry}.ts`, import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(url)}); });`;
  return new Worker(code, { eval: true, workerData: data });
}
