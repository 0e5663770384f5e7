// `farmscope explain <farm-id|account-id>`: the evidence behind a farm (what
// links it, its templates, the signals driving its score) or behind one
// account's score (each signal group's contribution and the features that
// drive it, against the case's baseline).
import { Command, Option } from 'commander';
import { type CaseFile, InputError, literal, withCaseFile } from '@farmscope/casefile';
import { farmDocuments } from '@farmscope/farms';
import { withExamples } from '../examples.js';
import { caseFileOptions, globalOptions } from '../global-options.js';
import { formatRows } from '../output.js';

type Format = 'text' | 'json';

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .description('show the evidence and score breakdown of a farm or an account')
    .argument('<id>', 'a farm id (farm-...) or an account id')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (id: string, options: { format: Format }, cmd: Command) => {
      const globals = globalOptions(cmd);
      const out = await withCaseFile(globals.db, { ...caseFileOptions(globals), readOnly: true }, async (caseFile) => {
        for (const t of ['farms', 'account_farms', 'account_scores']) {
          if (!(await caseFile.tableExists(t))) throw new InputError(`no ${t} table in the case file: run "farmscope analyze" first`);
        }
        const farm = (await farmDocuments(caseFile)).find((f) => f.id === id);
        if (farm) return options.format === 'json' ? `${JSON.stringify(farm, null, 2)}\n` : farmText(farm);
        return explainAccount(caseFile, id, options.format);
      });
      process.stdout.write(out);
    });
  withExamples(command, [
    'farmscope --db case.duckdb farms',
    'farmscope --db case.duckdb explain farm-3f2a9c01b7de',
    'farmscope --db case.duckdb explain acct_31f3746c345d1580',
    'farmscope --db case.duckdb explain farm-3f2a9c01b7de --format json',
  ]);
}

type Farm = Awaited<ReturnType<typeof farmDocuments>>[number];

function farmText(f: Farm): string {
  const lines = [
    `farm ${f.id}: ${f.accountCount} accounts, score ${f.score}`,
    `active ${f.firstActivity} → ${f.lastActivity}; ${f.requests} requests, ${f.inputTokens} input and ${f.outputTokens} output tokens`,
    `significance: p = ${f.significance.pValue ?? 'n/a'} (co-activity p = ${f.significance.coactivityP ?? 'n/a'}, operator links p = ${f.significance.linksP ?? 'n/a'}): ${f.significance.method}`,
    '',
    'what drives the score (members\' mean per signal group):',
    formatRows(f.evidence.signals.map((s) => ({ group: s.group, evidence: s.evidence, contribution: s.contribution, meaning: s.meaning })),
      ['group', 'evidence', 'contribution', 'meaning'], 'table'),
    'what links the accounts (pairs inside the farm):',
    formatRows(f.evidence.links.map((l) => ({
      kind: l.kind, pairs: l.pairs, accounts: l.accounts, values: l.distinctValues, rarest_holders: l.minHolders, max_weight: l.maxWeight, rarest: l.rarestValue,
    })), ['kind', 'pairs', 'accounts', 'values', 'rarest_holders', 'max_weight', 'rarest'], 'table'),
    'top prompt templates:',
    ...f.evidence.templates.flatMap((t) => [
      `  template ${t.templateId}: ${t.requests} requests by ${t.farmAccounts} members (${t.totalAccounts} accounts in the case use it)`,
      ...t.samplePrompts.map((p) => `    - ${p.replace(/\s+/g, ' ').slice(0, 160)}`),
    ]),
    '',
    `members (${f.accountCount}): ${f.accounts.slice(0, 50).join(' ')}${f.accounts.length > 50 ? ' …' : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}

async function explainAccount(caseFile: CaseFile, id: string, format: Format): Promise<string> {
  const account = await caseFile.one(
    `SELECT a.account_id, a.farm_id, a.score, s.* EXCLUDE (account_id, score), s.score AS own_score
     FROM account_farms a LEFT JOIN account_scores s USING (account_id) WHERE a.account_id = ${literal(id)}`,
    'explain: account',
  );
  if (!account) throw new InputError(`unknown id: ${id} (neither a farm id from "farmscope farms" nor an account in the case file)`);
  const features = await caseFile.all(
    `SELECT e."group", e.feature, round(e.value, 4) AS value, round(b.median_value, 4) AS case_median, e.z, e.evidence
     FROM account_signal_evidence e LEFT JOIN farm_feature_baselines b USING (feature)
     WHERE e.account_id = ${literal(id)} ORDER BY e."group", e.evidence DESC, e.feature`,
    'explain: account features',
  );
  const links = await caseFile.all(
    `SELECT CASE WHEN account_a = ${literal(id)} THEN account_b ELSE account_a END AS other, round(score, 3) AS score,
       round(infrastructure, 3) AS infrastructure, round(templates, 3) AS templates, round(coordination, 3) AS coordination,
       round(handoff, 3) AS handoff, round(rhythm, 3) AS rhythm, infra_kinds, shared_templates
     FROM farm_pair_scores WHERE account_a = ${literal(id)} OR account_b = ${literal(id)} ORDER BY score DESC, other LIMIT 15`,
    'explain: account links',
  );
  if (format === 'json') return `${JSON.stringify({ account, features, links }, null, 2)}\n`;
  const groups = ['content', 'economics', 'automation', 'churn', 'coordination', 'infrastructure'].map((g) => ({
    group: g, evidence: account[g], contribution: account[`${g}_contribution`],
  }));
  return [
    `account ${id}: ${account.farm_id ? `member of ${account.farm_id as string}` : 'in no farm'}, score ${account.score as number} (own signals ${account.own_score as number})`,
    '',
    'signal groups (evidence 0–1, contribution to the score):',
    formatRows(groups, ['group', 'evidence', 'contribution'], 'table'),
    'features against the case (value, the case\'s median, robust z; evidence 0 at z ≤ zStart to 1 at z ≥ zFull, × reliability on few requests):',
    formatRows(features, ['group', 'feature', 'value', 'case_median', 'z', 'evidence'], 'table'),
    'strongest links in the farm graph:',
    formatRows(links, ['other', 'score', 'infrastructure', 'templates', 'coordination', 'handoff', 'rhythm', 'infra_kinds', 'shared_templates'], 'table'),
  ].join('\n');
}
