// The weight of one shared value, as SQL: falls with how many accounts hold
// the value (Fraudar's inverse log-degree column weight) and scales with how
// much the kind of thing says about common control.
//
//   rarity(d)        = ln 7 / ln(d + 5)            (= 1 for a value held by 2)
//   w(kind, d, org)  = strength(kind) · rarity(d) · (sameOrgFactor if both
//                      accounts declare the same organisation, else 1)
//
// Fraudar (Hooi et al., KDD 2016) weights a column of degree d by
// 1 / log(d + 5) so that popular targets cannot make a block look dense; the
// ln 7 only rescales it. Because the log falls slowly, the kind strength does
// most of the separating: a card held by 40 accounts weighs 1.0 · 0.51 = 0.51
// per pair, an address behind which 400 students sit 0.25 · 0.32 = 0.08.
import type { LinkKind, LinkParams } from './link-params.js';
import { literal } from '@farmscope/casefile';

/** SQL: rarity of a value held by `holders` accounts, in (0, 1]. */
export function raritySql(holders: string): string {
  return `(ln(7) / ln(${holders} + 5))`;
}

/** SQL: the kind's strength, for a column holding the kind name. */
export function kindStrengthSql(kind: string, params: LinkParams): string {
  const whens = (Object.entries(params.kindStrength) as [LinkKind, number][])
    .map(([k, s]) => `WHEN ${literal(k)} THEN ${s}`)
    .join(' ');
  return `(CASE ${kind} ${whens} ELSE 0 END)`;
}

/** Plain-words statement of the formula, for the docs and the stage notes. */
export function weightFormulaText(params: LinkParams): string {
  const strengths = Object.entries(params.kindStrength).map(([k, s]) => `${k} ${s}`).join(', ');
  return (
    `weight = strength(kind) × ln 7 / ln(holders + 5) (Fraudar's inverse log-degree, 1 for a value held by 2), ` +
    `× ${params.sameOrgFactor} when both accounts declare the same organisation; strengths: ${strengths}`
  );
}
