// Prompt families that distillation operators were reported to send, as
// regular expressions over the lower-cased prompt (RE2 syntax). Written from
// the providers' descriptions of the campaigns (shared/background/incidents.md,
// signals A5, A7, A17, A18), and from how such requests are commonly phrased,
// not from any generator's templates: these run on other people's logs.
// Non-English alternatives cover the languages the reports name (Chinese
// first; GTIG's coercion campaign targeted "non-English target languages").

export interface ElicitationFamily {
  /** Feature name stem: `<name>_share`. */
  readonly name: string;
  readonly label: string;
  /** Who reported it, for the dictionary. */
  readonly source: string;
  readonly pattern: string;
}

const alt = (...parts: string[]) => parts.join('|');

export const ELICITATION_FAMILIES: readonly ElicitationFamily[] = [
  {
    name: 'reasoning_trace',
    label: 'reasoning-trace requests (chain-of-thought elicitation)',
    source: 'Anthropic Feb 2026 ("articulate the internal reasoning behind a completed response ... step by step"), GTIG Feb 2026 (thinking-language coercion), Anthropic Sep 2026 (<thinking> tags, "working memory")',
    pattern: alt(
      'step[- ]by[- ]step', 'chain[- ]of[- ]thought', '\\bcot\\b', 'internal reasoning',
      'reasoning (?:process|trace|steps?|chain)', 'thought process', 'working memory',
      '(?:show|explain|articulate|write out|walk (?:me )?through|reveal) (?:your |the |all |its )?(?:full )?(?:reasoning|thinking|thoughts|work)',
      "think(?:ing)? (?:carefully|aloud|out loud|through)", "let'?s think", '</?think(?:ing)?>', 'thinking (?:content|process|block)',
      'before (?:answering|you answer|giving)',
      '逐步', '一步一步', '一步步', '思考过程', '推理过程', '思维链', '推理步骤',
      'paso a paso', 'razonamiento', 'schritt für schritt', 'gedankengang', 'étape par étape', 'raisonnement',
      'passo a passo', 'raciocínio', 'шаг за шагом', 'рассуждени', '段階的', 'ステップバイステップ', '思考過程', '단계별', '추론',
    ),
  },
  {
    name: 'rubric_grading',
    label: 'rubric grading (the model used as a reward model or judge)',
    source: 'Anthropic Feb 2026 (DeepSeek: "rubric-based grading tasks that made Claude function as a reward model"), Anthropic Sep 2026 (Xiaomi: Claude "as a judge")',
    pattern: alt(
      '\\brubric', 'grading (?:criteria|scheme|guide)', 'scoring (?:criteria|guide)',
      '\\b(?:grade|score|rate|evaluate|assess|judge) (?:the|this|each|these|following|both) (?:\\w+ )?(?:responses?|answers?|completions?|outputs?|solutions?|essays?|submissions?|candidates?)',
      'on a scale (?:of|from) \\d', '(?:score|rating) (?:of|from|between) \\d+ (?:to|and) \\d+', 'out of (?:5|10|100)\\b',
      'reward (?:model|score|signal)', 'as (?:an? )?(?:impartial |strict )?(?:judge|grader|evaluator)',
      'which (?:response|answer|completion|output) is better', 'preferred (?:response|answer)',
      '评分', '打分', '评估.{0,8}(?:回答|答案)', 'criterios de evaluación', 'bewertungskriterien', 'barème', '評価基準', '채점',
    ),
  },
  {
    name: 'tool_use',
    label: 'tool-use and agent trajectories',
    source: 'Anthropic Feb 2026 (Moonshot, MiniMax: "agentic reasoning, tool use", "tool use and orchestration", computer-use agents), Anthropic Jun/Sep 2026 (agentic, long-horizon tasks)',
    pattern: alt(
      'tool[_ ]calls?', 'function[_ ]call', 'tool_(?:use|result|choice)', '"tools"\\s*:', '<tool', 'available (?:tools|functions)',
      '(?:have|with) access to (?:the following |these |a set of )?(?:tools|functions|apis)', '\\baction input:', '\\bobservation:',
      'agent(?:ic)? (?:trajectory|loop|workflow|task)', 'trajectory', 'call the \\w+ (?:tool|function|api)', 'json schema',
      'computer[- ]use', 'execute (?:the|a) (?:command|tool)',
      '调用工具', '工具调用', '智能体', 'herramientas disponibles', 'werkzeugaufruf', 'ツール呼び出し', '도구 호출',
    ),
  },
  {
    name: 'benchmark_mcq',
    label: 'benchmark-style multiple-choice questions',
    source: 'benchmark-shaped items harvested for evaluation and training sets (Anthropic Feb 2026: "tens of thousands of unique tasks"); also what evaluation runs send, so weigh with the rest',
    pattern: alt(
      '(?s:(?:^|\\s)\\(?a[).:]\\s.+\\s\\(?b[).:]\\s.+\\s\\(?c[).:]\\s)', 'multiple[- ]choice', 'which of the following',
      'answer with (?:only )?(?:the )?(?:letter|option|choice)', '(?:choose|select|pick) (?:the )?(?:correct|best|right) (?:answer|option|choice)',
      'correct (?:option|choice)', '以下哪', '选择题', '正确答案', '次のうち', 'opción correcta', 'richtige antwort', 'bonne réponse',
    ),
  },
];
