// Farm identity across steps, on hand-made snapshots: a growing farm keeps
// its id, a farm that vanishes is retracted, one that comes back is
// re-detected under its old id, and a farm sharing a minority of members
// with a tracked one is new.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { createSnapshotTables, FarmTracker, SNAPSHOT_TABLES } from '@farmscope/replay';

let caseFile: CaseFile;
beforeEach(async () => {
  caseFile = await CaseFile.open(':memory:');
  await createSnapshotTables(caseFile);
});
afterEach(() => caseFile.close());

async function snapshot(step: number, farms: Record<string, string[]>): Promise<void> {
  const rows = Object.entries(farms).flatMap(([farm, members]) => members.map((m) => `(${step}, '${farm}', '${m}')`));
  if (rows.length) await caseFile.run(`INSERT INTO ${SNAPSHOT_TABLES.members} VALUES ${rows.join(', ')}`);
}

const accounts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

describe('FarmTracker', () => {
  it('keeps a growing farm, retracts a vanished one and re-detects it under its old id', async () => {
    const tracker = new FarmTracker(caseFile);
    await tracker.init();
    const hydra = accounts('h', 40);
    const small = accounts('s', 4);
    await snapshot(1, { 'farm-a': hydra.slice(0, 15), 'farm-s': small });
    expect(await tracker.track(1)).toMatchObject({ newTracks: ['farm-a', 'farm-s'], retracted: [], redetected: [] });

    // Grows from 15 to 40 (Jaccard 0.375, all old members kept): same farm, whatever its id at this step.
    await snapshot(2, { 'farm-b': hydra });
    expect(await tracker.track(2)).toMatchObject({ newTracks: [], retracted: ['farm-s'], active: ['farm-a'] });

    // The small farm comes back with 3 of its 4 members; a new group shares 1 of 5 with the hydra.
    await snapshot(3, { 'farm-b': hydra, 'farm-s2': small.slice(1), 'farm-x': ['h000', ...accounts('x', 4)] });
    expect(await tracker.track(3)).toMatchObject({ newTracks: ['farm-x'], retracted: [], redetected: ['farm-s'], active: ['farm-a', 'farm-s', 'farm-x'] });
  });

  it('gives a new track a fresh id when a retracted track already has its step id', async () => {
    const tracker = new FarmTracker(caseFile);
    await tracker.init();
    await snapshot(1, { 'farm-a': ['a1', 'a2'] });
    await tracker.track(1);
    await snapshot(2, {});
    await tracker.track(2);
    await snapshot(3, { 'farm-a': ['a1', 'z1', 'z2', 'z3', 'z4'] });
    // Shares 1 of 2 with the old farm-a's members: overlap 0.5, so it is the same farm again.
    expect((await tracker.track(3)).redetected).toEqual(['farm-a']);
    await snapshot(4, { 'farm-a': ['y1', 'y2'] });
    expect((await tracker.track(4)).newTracks).toEqual(['farm-a~2']);
  });
});
