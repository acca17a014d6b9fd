import { basename, extname } from 'node:path';
import { Hono } from 'hono';
import { listDagFiles } from '../dags/dag-files.js';
import { loadDagFile } from '../dags/dag-loader.js';
import type { Db } from '../store/database.js';
import { latestRun } from '../runs/run-store.js';
import { neverRun, runSummary } from '../runs/run-view.js';
import { apiBadRequest } from './api-error.js';
import type { ApiEnv } from './guards.js';

const PER_PAGE_DEFAULT = 50;
const PER_PAGE_MAX = 200;

/** `GET /dags`: the DAG files of the DAGs folder, with their latest run. */
export function dagRoutes(db: Db, dagsDir: string): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  api.get('/', (c) => {
    const page = positive(c.req.query('page'), 1, 'page');
    const perPage = Math.min(
      positive(c.req.query('perPage'), PER_PAGE_DEFAULT, 'perPage'),
      PER_PAGE_MAX,
    );
    const filter = c.req.query('name')?.toLowerCase();
    const files = listDagFiles(dagsDir)
      .map(describeFile(db))
      .filter((f) => !filter || f.dag.name.toLowerCase().includes(filter));
    const totalPages = Math.max(1, Math.ceil(files.length / perPage));
    return c.json({
      dags: files.slice((page - 1) * perPage, page * perPage),
      errors: [],
      pagination: {
        totalRecords: files.length,
        currentPage: page,
        totalPages,
        nextPage: Math.min(page + 1, totalPages),
        prevPage: Math.max(page - 1, 1),
      },
    });
  });
  return api;
}

function describeFile(db: Db) {
  return (path: string) => {
    const fileName = basename(path, extname(path));
    try {
      const { main } = loadDagFile(path);
      const latest = latestRun(db, main.name);
      return {
        fileName,
        filePath: path,
        dag: {
          name: main.name,
          schedule: [],
          ...(main.description ? { description: main.description } : {}),
          ...(main.params.length > 0
            ? {
                params: main.params.map((p) =>
                  p.positional ? p.value : `${p.name}=${p.value}`,
                ),
              }
            : {}),
          ...(main.queue ? { queue: main.queue } : {}),
        },
        latestDAGRun: latest ? runSummary(latest) : neverRun(main.name),
        suspended: false,
        errors: [] as string[],
      };
    } catch (error) {
      return {
        fileName,
        filePath: path,
        dag: { name: fileName, schedule: [] },
        latestDAGRun: neverRun(fileName),
        suspended: false,
        errors: [(error as Error).message],
      };
    }
  };
}

function positive(
  raw: string | undefined,
  fallback: number,
  name: string,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw apiBadRequest(`${name} must be a whole number of 1 or more`);
  return value;
}
