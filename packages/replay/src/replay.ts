// `replay` end to end: ingest the inputs once, then for each step show the
// analysis what had arrived by the step's cut-off, run it, keep its farms,
// match them to the farms of earlier steps, and finally compute the figures
// and write replay.json, replay.csv, replay-steps.csv and replay.html
// (plus replay-run.json with timings, kept apart so reruns are byte-identical).
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT_BAD_INPUT, exitCodeOf, FarmscopeError, InputError, withCaseFile, type CaseFile, type CaseFileOptions } from '@farmscope/casefile';
import { buildFarmEvidence, loadFarmConfig } from '@farmscope/farms';
import { ingest, type ColumnMapping, type DetectedFormat, type IngestRequest } from '@farmscope/ingest';
import { FarmTracker, type StepTracking } from './farm-tracking.js';
import { eventRange, REPLAY_TABLES, setAsideInputs } from './replay-case.js';
import { buildSlices, foundFarms, harvestCurves, stepFigures, trueFarms, TRUTH_TABLE, type StepFigures } from './replay-figures.js';
import { writeReplayOutputs, type ReplayDocument } from './replay-outputs.js';
import { prepareReplayFolder, REPLAY_FILES } from './replay-folder.js';
import { buildSchedule, checkModeAgainstStep, type ReplayMode } from './replay-schedule.js';
import { createSnapshotTables, runStep, TEMPLATE_TEXT_CACHE, type StepOutcome } from './step-analysis.js';
import { EMBEDDING_TEXT_CACHE } from './suspect-embeddings.js';
import { useStepScratch } from './step-scratch.js';
import { completeLinks } from './incremental-links.js';
import { showStep } from './step-views.js';

export interface ReplayRequest {
  inputs: { events: readonly string[]; accounts: readonly string[]; enforcement: readonly string[] };
  truth?: string;
  out: string;
  force: boolean;
  /** The case file; undefined means `<out>/replay.duckdb`. */
  db?: string;
  caseFileOptions?: CaseFileOptions;
  stepMs: number;
  mode: ReplayMode;
  fromMs?: number;
  toMs?: number;
  configPath?: string;
  /** Keep the ingested events in the case file (replay_events, the last step's prompt_sample and event_templates, and views events/accounts/enforcement of the last step); default: not, the inputs are the record. */
  keepEvents?: boolean;
  /** Embed every account's prompts at each step, as a full analysis does (slower); default: the suspects' only. */
  embedAllAccounts?: boolean;
  mapping?: ColumnMapping;
  format?: DetectedFormat;
  maxTextChars?: number;
  /** The options as given, recorded in replay.json. */
  parameters: Record<string, unknown>;
  notice?: (message: string) => void;
  /** Progress display over the case file (the CLI's; none by default). */
  progress?: (caseFile: CaseFile) => Promise<{ update(label: string): void; done(): void }>;
}

export interface ReplayResult {
  out: string;
  db: string;
  document: ReplayDocument;
  written: string[];
  steps: StepOutcome[];
  ingestSeconds: number;
  seconds: number;
}

export async function replay(request: ReplayRequest): Promise<ReplayResult> {
  const clock = performance.now();
  checkModeAgainstStep(request.stepMs, request.mode);
  await loadFarmConfig(request.configPath); // a bad config is refused before anything is written
  const out = resolve(request.out);
  const db = request.db === undefined ? join(out, REPLAY_FILES.caseFile) : resolve(request.db);
  if (request.db !== undefined && existsSync(db)) {
    throw new InputError(`--db ${request.db}: exists; replay builds its own case file from the inputs (give a new path, or leave --db out)`);
  }
  prepareReplayFolder(out, request.force);
  const removeCaseFile = () => {
    for (const p of [db, `${db}.wal`, `${db}.tmp`]) rmSync(p, { recursive: true, force: true });
  };
  if (request.db === undefined) removeCaseFile();
  try {
    return await replayInto(db, out, request, clock);
  } catch (error) {
    // Bad input found after the case file was made (an empty range, a file that would not load): leave nothing half-built behind.
    if (exitCodeOf(error) === EXIT_BAD_INPUT) removeCaseFile();
    throw error;
  }
}

async function replayInto(db: string, out: string, request: ReplayRequest, clock: number): Promise<ReplayResult> {
  const config = await loadFarmConfig(request.configPath);
  return withCaseFile(db, request.caseFileOptions ?? {}, async (caseFile) => {
    const progress = request.progress ? await request.progress(caseFile) : { update: () => undefined, done: () => undefined };
    try {
      // Everything the replay builds is made in an in-memory database (step-scratch.ts) and the case
      // file gets what is worth keeping at the end: the ingested events too only with keepEvents.
      const scratch = await useStepScratch(caseFile);
      const ingestStarted = performance.now();
      const inputs = await ingestInputs(caseFile, request, (label) => progress.update(label));
      const ingestSeconds = (performance.now() - ingestStarted) / 1000;
      const schedule = buildSchedule(
        { stepMs: request.stepMs, mode: request.mode, ...(request.fromMs !== undefined ? { fromMs: request.fromMs } : {}), ...(request.toMs !== undefined ? { toMs: request.toMs } : {}) },
        await eventRange(caseFile, request.fromMs, request.toMs),
      );
      await createSnapshotTables(caseFile);
      const tracker = new FarmTracker(caseFile);
      await tracker.init();
      const outcomes: StepOutcome[] = [];
      const tracking: StepTracking[] = [];
      const total = schedule.steps.length;
      for (const step of schedule.steps) {
        progress.update(`step ${step.step}/${total}`);
        outcomes.push(
          await runStep(caseFile, step, {
            config,
            cumulative: schedule.mode.kind === 'cumulative',
            embedAllAccounts: request.embedAllAccounts ?? false,
            inputs,
            ...(request.notice ? { notice: request.notice } : {}),
            onStageStart: (name, i, n) => progress.update(`step ${step.step}/${total} [${i + 1}/${n}] ${name}`),
          }),
        );
        tracking.push(await tracker.track(step.step));
      }
      // The steps leave out what only the reports read (template links, account_pairs, the farms'
      // evidence tables): made once, for the last analysis, over the views the last step left.
      const last = schedule.steps[schedule.steps.length - 1];
      if (last && (await caseFile.tableExists('account_farms'))) {
        progress.update('completing the last analysis');
        await completeLinks(caseFile, last, schedule.mode.kind === 'cumulative');
        await buildFarmEvidence(caseFile, config);
      }
      progress.update('figures');
      await buildSlices(caseFile, schedule);
      const hasTruth = request.truth !== undefined;
      const perStep = await stepFigures(caseFile, schedule, hasTruth);
      const steps: StepFigures[] = perStep.map((s, i) => ({
        ...s,
        new_farms: tracking[i]!.newTracks,
        retracted_farms: tracking[i]!.retracted,
        redetected_farms: tracking[i]!.redetected,
      }));
      const found = await foundFarms(caseFile, total, hasTruth);
      const truth = hasTruth ? await trueFarms(caseFile, schedule) : null;
      const curves = truth
        ? await harvestCurves(caseFile, 'true', new Map(truth.map((f) => [f.farm_id, f.detected_step])))
        : await harvestCurves(caseFile, 'found', new Map(found.map((f) => [f.farm_id, f.detected_step])));
      const document: ReplayDocument = {
        parameters: request.parameters,
        schedule: {
          start: iso(schedule.startMs),
          end: iso(schedule.endMs),
          step_seconds: schedule.stepMs / 1000,
          mode: schedule.mode.kind,
          window_seconds: schedule.mode.kind === 'window' ? schedule.mode.windowMs / 1000 : null,
          steps: total,
        },
        steps,
        farms: found,
        true_farms: truth,
        harvest_curves: { of: truth ? 'true_farms' : 'farms', points: curves },
      };
      progress.update('keeping the case file\'s tables');
      const keepEvents = request.keepEvents ?? false;
      await scratch.finish((table) => !STEP_CACHES.some((prefix) => table.startsWith(prefix)) && (keepEvents || !PER_REQUEST_TABLES.includes(table)));
      if (last && keepEvents) await showStep(caseFile, last, inputs);
      progress.update('writing outputs');
      const written = await writeReplayOutputs(out, document, {
        steps: outcomes.map((o) => ({ step: o.step, analysed: o.analysed, seconds: round(o.seconds), stages: o.stages.map((s) => ({ name: s.name, seconds: round(s.seconds) })) })),
        ingest_seconds: round(ingestSeconds),
        seconds: round((performance.now() - clock) / 1000),
      });
      return { out, db, document, written, steps: outcomes, ingestSeconds, seconds: (performance.now() - clock) / 1000 };
    } finally {
      progress.done();
    }
  });
}

async function ingestInputs(
  caseFile: CaseFile,
  request: ReplayRequest,
  update: (label: string) => void,
): Promise<{ hasAccounts: boolean; hasEnforcement: boolean }> {
  const plan: IngestRequest[] = [
    { table: 'events', inputs: request.inputs.events },
    ...(request.inputs.accounts.length ? [{ table: 'accounts' as const, inputs: request.inputs.accounts }] : []),
    ...(request.inputs.enforcement.length ? [{ table: 'enforcement' as const, inputs: request.inputs.enforcement }] : []),
    ...(request.truth !== undefined ? [{ table: 'truth' as const, inputs: [request.truth] }] : []),
  ];
  const summary = await ingest(caseFile, plan, {
    ...(request.mapping ? { mapping: request.mapping } : {}),
    ...(request.format ? { format: request.format } : {}),
    ...(request.maxTextChars !== undefined ? { maxTextChars: request.maxTextChars } : {}),
    onFileStart: (i, n, table) => update(`ingest [${i + 1}/${n}] ${table}`),
    onFileDone: (r) => {
      if (r.status === 'skipped') request.notice?.(`${r.path}: ${r.message}`);
    },
  });
  if (summary.failures.length > 0) {
    const first = summary.failures[0]!;
    throw new FarmscopeError(summary.failures.map((f) => f.error).join('; '), first.exitCode);
  }
  if (!(await caseFile.tableExists('events')) || Number(await caseFile.value('SELECT count(*) FROM events')) === 0) {
    throw new InputError('no events were loaded (every row was rejected; see rejected_rows in the case file)');
  }
  if (request.truth !== undefined) await caseFile.run(`ALTER TABLE truth RENAME TO ${TRUTH_TABLE}`, 'set the truth aside');
  return setAsideInputs(caseFile);
}

/** Tables of one row per request (the events, the last step's prompt sample and its templates): copied into the case file with the events only. */
const PER_REQUEST_TABLES: readonly string[] = [REPLAY_TABLES.events, 'prompt_sample', 'event_templates'];

/** Tables the steps keep for one another (per-text work, request counts so far): not copied into the case file. */
const STEP_CACHES = [TEMPLATE_TEXT_CACHE, EMBEDDING_TEXT_CACHE, 'replay_account_requests'];

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const round = (s: number) => Math.round(s * 1000) / 1000;
