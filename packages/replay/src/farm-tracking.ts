// Stable identities for the farms found across steps. A step's farm ids
// (md5 of the smallest member) change whenever membership does, so each
// step's farms are matched to the farms tracked so far (each tracked farm's
// members when it was last seen), greedily from the pair with the highest
// Jaccard similarity. A match needs half of the smaller side shared
// (overlap coefficient ≥ MATCH_OVERLAP): a farm that grows from 15 to 40
// accounts as its next generation starts (Jaccard 0.375) is the same farm,
// and two farms that share a minority of members are not. An unmatched farm starts a new track, named
// after its farm id at that step. A track that finds no match at a step is
// retracted there (the analyst is told); if a later farm matches it, it is
// re-detected under the same id.
import { literal, type CaseFile } from '@farmscope/casefile';
import { SNAPSHOT_TABLES } from './step-analysis.js';

/** Shared members / members of the smaller of the two farms, at least. */
export const MATCH_OVERLAP = 0.5;

export const TRACK_TABLES = {
  /** step, farm_id (the step's id), track_id, jaccard to the track's previous members (null for a new track). */
  steps: 'replay_track_steps',
  /** track_id, account_id: the members when last seen. */
  last: 'replay_track_last_members',
} as const;

export interface StepTracking {
  step: number;
  newTracks: string[];
  retracted: string[];
  redetected: string[];
  active: string[];
}

export class FarmTracker {
  private readonly active = new Set<string>();
  private readonly known = new Set<string>();

  constructor(private readonly caseFile: CaseFile) {}

  async init(): Promise<void> {
    await this.caseFile.run(
      `CREATE OR REPLACE TABLE ${TRACK_TABLES.steps} (step INTEGER, farm_id VARCHAR, track_id VARCHAR, jaccard DOUBLE);
       CREATE OR REPLACE TABLE ${TRACK_TABLES.last} (track_id VARCHAR, account_id VARCHAR)`,
      'create the farm tracking tables',
    );
  }

  /** Matches step `step`'s farms (in replay_step_members) to the tracks. */
  async track(step: number): Promise<StepTracking> {
    const pairs = await this.caseFile.all<{ farm_id: string; track_id: string; jaccard: number }>(
      `WITH cur AS (SELECT farm_id, account_id FROM ${SNAPSHOT_TABLES.members} WHERE step = ${step}),
            cur_n AS (SELECT farm_id, count(*) AS n FROM cur GROUP BY farm_id),
            last_n AS (SELECT track_id, count(*) AS n FROM ${TRACK_TABLES.last} GROUP BY track_id),
            shared AS (SELECT c.farm_id, l.track_id, count(*) AS k FROM cur c JOIN ${TRACK_TABLES.last} l USING (account_id) GROUP BY ALL)
       SELECT s.farm_id, s.track_id, s.k / (a.n + b.n - s.k) AS jaccard
       FROM shared s JOIN cur_n a USING (farm_id) JOIN last_n b USING (track_id)
       WHERE s.k / least(a.n, b.n) >= ${MATCH_OVERLAP}
       ORDER BY jaccard DESC, s.track_id, s.farm_id`,
      `match step ${step}'s farms to the tracked farms`,
    );
    const farms = (
      await this.caseFile.all<{ farm_id: string }>(`SELECT DISTINCT farm_id FROM ${SNAPSHOT_TABLES.members} WHERE step = ${step} ORDER BY farm_id`)
    ).map((r) => r.farm_id);
    const trackOf = new Map<string, { track: string; jaccard: number | null }>();
    const taken = new Set<string>();
    for (const p of pairs) {
      if (trackOf.has(p.farm_id) || taken.has(p.track_id)) continue;
      trackOf.set(p.farm_id, { track: p.track_id, jaccard: p.jaccard });
      taken.add(p.track_id);
    }
    const newTracks: string[] = [];
    for (const farm of farms) {
      if (trackOf.has(farm)) continue;
      let id = farm;
      for (let n = 2; this.known.has(id); n++) id = `${farm}~${n}`;
      this.known.add(id);
      trackOf.set(farm, { track: id, jaccard: null });
      newTracks.push(id);
    }
    const nowActive = new Set([...trackOf.values()].map((t) => t.track));
    const retracted = [...this.active].filter((t) => !nowActive.has(t)).sort();
    const redetected = [...taken].filter((t) => !this.active.has(t)).sort();
    this.active.clear();
    for (const t of nowActive) this.active.add(t);

    const rows = [...trackOf.entries()].map(([farm, t]) => `(${step}, ${literal(farm)}, ${literal(t.track)}, ${t.jaccard ?? 'NULL'})`);
    if (rows.length > 0) {
      await this.caseFile.run(`INSERT INTO ${TRACK_TABLES.steps} VALUES ${rows.join(', ')}`, `record step ${step}'s tracks`);
      await this.caseFile.run(
        `DELETE FROM ${TRACK_TABLES.last} WHERE track_id IN (SELECT track_id FROM ${TRACK_TABLES.steps} WHERE step = ${step});
         INSERT INTO ${TRACK_TABLES.last}
           SELECT t.track_id, m.account_id FROM ${SNAPSHOT_TABLES.members} m JOIN ${TRACK_TABLES.steps} t USING (step, farm_id)
           WHERE m.step = ${step}`,
        `remember step ${step}'s members of each track`,
      );
    }
    return { step, newTracks: newTracks.sort(), retracted, redetected, active: [...nowActive].sort() };
  }
}
