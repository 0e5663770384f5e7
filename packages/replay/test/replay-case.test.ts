// Setting the ingested inputs aside for the replay: events that arrived in
// time order (row group by row group) are kept as loaded, others are sorted,
// and either way each row group's times follow the previous group's.
import { describe, expect, it } from 'vitest';
import { withCaseFile, type CaseFile } from '@farmscope/casefile';
import { setAsideInputs } from '@farmscope/replay';

const ROWS = 400_000; // a little over three row groups of 122,880 rows

async function loadEvents(caseFile: CaseFile, order: 'ascending' | 'shuffled'): Promise<void> {
  const key = order === 'ascending' ? 'i' : 'hash(i)';
  await caseFile.run(
    `CREATE TABLE events AS
     SELECT 'r' || i AS request_id, TIMESTAMP '2026-05-01' + to_microseconds(i * 1000) AS ts, 'a' || (i % 97) AS account_id
     FROM range(${ROWS}) t(i) ORDER BY ${key}`,
  );
}

const overlappingGroups = (caseFile: CaseFile) =>
  caseFile.value(
    `SELECT count(*) FILTER (WHERE next_first < last)::INTEGER FROM (
       SELECT last, lead(first) OVER (ORDER BY g) AS next_first
       FROM (SELECT rowid // 122880 AS g, min(ts) AS first, max(ts) AS last FROM replay_events GROUP BY g))`,
  );

describe('setAsideInputs', () => {
  it.each(['ascending', 'shuffled'] as const)('stores %s events in time order, all of them', async (order) => {
    await withCaseFile(':memory:', { threads: 2 }, async (caseFile) => {
      await loadEvents(caseFile, order);
      const before = await caseFile.value(`SELECT count(*)::INTEGER FROM events`);
      expect(await setAsideInputs(caseFile)).toEqual({ hasAccounts: false, hasEnforcement: false });
      expect(await caseFile.tableExists('events')).toBe(false);
      expect(await caseFile.value(`SELECT count(*)::INTEGER FROM replay_events`)).toBe(before);
      expect(await overlappingGroups(caseFile)).toBe(0);
      // Shuffled events are sorted; ascending ones are kept in the order they came.
      const firstRow = await caseFile.value<string>(`SELECT request_id FROM replay_events WHERE rowid = 0`);
      expect(firstRow).toBe('r0');
    });
  });
});
