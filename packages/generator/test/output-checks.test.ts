// The footer-only order check catches row groups written out of time order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { rowGroupsOutOfOrderSql } from '../src/output-checks.js';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';

let temp: TempFolder;
let db: CaseFile;

beforeAll(async () => {
  temp = createTempFolder('farmscope-output-checks-');
  db = await CaseFile.open(':memory:');
});

afterAll(() => {
  db?.close();
  temp?.remove();
});

const write = (name: string, order: string) =>
  db.run(`COPY (SELECT TIMESTAMP '2026-05-01' + to_seconds(i) AS ts FROM range(20000) t(i) ORDER BY ${order})
    TO '${temp.path(name)}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);

describe('row group order check', () => {
  it('passes a file in time order and flags one whose row groups are swapped', async () => {
    await write('ordered.parquet', 'ts');
    await write('swapped.parquet', '(i // 4096 + 1) % 5, ts'); // blocks rotated: the first block comes last
    expect(await db.value<number>(rowGroupsOutOfOrderSql(temp.path('ordered.parquet'), 'ts'))).toBe(0);
    expect(await db.value<number>(rowGroupsOutOfOrderSql(temp.path('swapped.parquet'), 'ts'))).toBeGreaterThan(0);
  });
});
