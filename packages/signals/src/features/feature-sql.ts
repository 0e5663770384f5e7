// Builds the SQL of the account_features stage from the feature definitions:
// one aggregate statement per part, and the final join of the parts.
import { ident } from '@farmscope/casefile';
import { type FeatureDefinition, type FeaturePart, type PartEnvironment, partTable } from './feature-definition.js';

/** `CREATE TEMP TABLE _af_<part> AS SELECT account_id, <helpers>, <features> FROM <relation> GROUP BY account_id` (the relation: `from`, or built from the part's partials). */
export function partSql(part: FeaturePart, env: PartEnvironment, from = part.from?.(env)): string {
  if (from === undefined) throw new Error(`account_features: part ${part.name} has neither from nor partials`);
  const columns = [
    ...(part.helpers ?? []).map((h) => `${h.sql} AS ${ident(h.name)}`),
    ...part.features.map((f) => `${f.sql} AS ${ident(f.name)}`),
  ];
  return `CREATE OR REPLACE TEMP TABLE ${partTable(part)} AS
SELECT account_id,
  ${columns.join(',\n  ')}
FROM (${from})
GROUP BY account_id`;
}

function featureColumn(feature: FeatureDefinition, part: FeaturePart, available: boolean): string {
  if (!available) return `NULL::${feature.type} AS ${ident(feature.name)}`;
  const value = `${ident(part.name)}.${ident(feature.name)}`;
  const filled = feature.fill === undefined ? value : `coalesce(${value}, ${feature.fill})`;
  return `CAST(${filled} AS ${feature.type}) AS ${ident(feature.name)}`;
}

/**
 * The output table: one row per account of the activity part (every account
 * in events), each feature from its part's table, or NULL when unavailable.
 */
export function accountFeaturesSql(
  parts: readonly FeaturePart[],
  available: (part: FeaturePart, feature: FeatureDefinition) => boolean,
  ran: ReadonlySet<string>,
  spine: FeaturePart,
): string {
  const columns = parts.flatMap((p) => p.features.map((f) => featureColumn(f, p, ran.has(p.name) && available(p, f))));
  const joins = parts
    .filter((p) => p !== spine && ran.has(p.name))
    .map((p) => `LEFT JOIN ${partTable(p)} AS ${ident(p.name)} USING (account_id)`);
  return `CREATE OR REPLACE TABLE account_features AS
SELECT account_id,
  ${columns.join(',\n  ')}
FROM ${partTable(spine)} AS ${ident(spine.name)}
${joins.join('\n')}
ORDER BY account_id`;
}

/** The same columns, with no rows: the table's shape when there are no events. */
export function emptyAccountFeaturesSql(parts: readonly FeaturePart[]): string {
  const columns = parts.flatMap((p) => p.features.map((f) => `NULL::${f.type} AS ${ident(f.name)}`));
  return `CREATE OR REPLACE TABLE account_features AS SELECT NULL::VARCHAR AS account_id, ${columns.join(', ')} WHERE false`;
}
