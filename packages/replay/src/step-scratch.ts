// Where the replay builds its tables: an in-memory database attached beside
// the case file and made the default, so that the ingested events and each
// step's CREATE OR REPLACE TABLE (some 30 tables, prompt_sample and
// account_links among them) are not compressed, written to the case file's
// disk and checkpointed, only to be replaced by the next step (writing the
// full-scale mixed events to the file took 4.9 s, to memory 1.5 s). At the
// end, what is worth keeping is copied into the case file (finish): the
// replay's own records, the last step's analysis tables; not the steps'
// caches (per-text work, request counts so far), nor, unless asked, the
// events (the inputs are the record).
// Automatic checkpoints are put off meanwhile: in the in-memory database
// one rewrites (compresses) whole tables that the next step replaces
// anyway, at random statements (a 0.1 s DELETE from the carried prompt
// sample took 0.5–0.6 s at a third of the full-scale steps).
import type { CaseFile } from '@farmscope/casefile';
import { literal } from '@farmscope/casefile';

const SCRATCH = 'replay_scratch';

export interface StepScratch {
  /** Copies the scratch tables `keep` accepts into the case file and makes it the default again. */
  finish(keep: (table: string) => boolean): Promise<void>;
}

export async function useStepScratch(caseFile: CaseFile): Promise<StepScratch> {
  const caseCatalog = String(await caseFile.value('SELECT current_database()'));
  await caseFile.run(
    `ATTACH ':memory:' AS ${SCRATCH}; USE ${SCRATCH};
     SET search_path = ${literal(`${SCRATCH}.main,${quoteIdent(caseCatalog)}.main`)};
     SET checkpoint_threshold = '1TB'`,
    'attach the in-memory database of the replay\'s tables',
  );
  return {
    finish: async (keep) => {
      const tables = await caseFile.all<{ name: string }>(
        `SELECT table_name AS name FROM duckdb_tables() WHERE database_name = ${literal(SCRATCH)} ORDER BY table_name`,
      );
      const target = `${quoteIdent(caseCatalog)}.main`;
      await caseFile.run(`USE ${quoteIdent(caseCatalog)}; RESET search_path; RESET checkpoint_threshold`, 'make the case file the default again');
      for (const { name } of tables.filter((t) => keep(t.name))) {
        await caseFile.run(
          `CREATE OR REPLACE TABLE ${target}.${quoteIdent(name)} AS FROM ${SCRATCH}.main.${quoteIdent(name)}`,
          `keep ${name} in the case file`,
        );
      }
      await caseFile.run(`DETACH ${SCRATCH}`, 'detach the steps\' in-memory database');
    },
  };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
