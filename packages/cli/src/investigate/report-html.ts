// investigate's report step: the reports of @farmscope/report (report.html,
// report.md, stix-bundle.json, timeline.jsonl, regulator-summary.md and the
// evidence/ BagIt package), unredacted, TLP:AMBER, written into the
// investigation's output folder. Every one but evidence/ holds no clock time,
// so a rerun gives the same bytes; the bag's manifest holds generated_at.
import type { CaseFile } from '@farmscope/casefile';
import { writeReport } from '@farmscope/report';
import type { Progress } from '../progress.js';

export async function writeInvestigationReport(caseFile: CaseFile, out: string, progress: Progress, tool: { name: string; version: string }): Promise<void> {
  await writeReport(caseFile, {
    out,
    redactKey: undefined,
    farms: [],
    tlp: 'amber',
    deterministic: false,
    tool,
    progress: (step) => progress.update(step),
  });
}
