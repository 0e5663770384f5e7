// Word lists the prompt families are slot-filled from. Attack and legitimate
// traffic draw from the same lists (the same wording appears in both), so no
// single string or template separates them; only rates, mixes and structure do.
// The chain-of-thought and rubric wordings paraphrase what providers reported
// being harvested (Anthropic, Feb 2026: "imagine and articulate the internal
// reasoning behind a completed response"; GTIG, Feb 2026: thinking-language
// coercion), see shared/background/incidents.md.

export const TOPICS = [
  'photosynthesis', 'compound interest', 'the French Revolution', 'black holes', 'vaccines', 'inflation',
  'plate tectonics', 'the Roman Empire', 'machine learning', 'climate change', 'supply chains', 'CRISPR',
  'quantum entanglement', 'the stock market', 'sleep hygiene', 'the immune system', 'blockchain', 'jazz history',
  'urban planning', 'renewable energy', 'game theory', 'the Silk Road', 'protein folding', 'monetary policy',
  'the water cycle', 'cognitive biases', 'the printing press', 'antibiotic resistance', 'ocean currents',
  'the Cold War', 'neural networks', 'volcanoes', 'consumer credit', 'nutrition labels', 'the Renaissance',
  'cryptography', 'electric vehicles', 'the housing market', 'bird migration', 'public health policy',
  'the Industrial Revolution', 'dark matter', 'carbon capture', 'behavioral economics', 'gene expression',
  'semiconductor manufacturing', 'the Byzantine Empire', 'soil erosion', 'epidemiology', 'memory formation',
];

export const PROBLEMS = [
  'a train leaves at 3 pm going 80 km/h and another at 4 pm going 100 km/h; when does the second catch up',
  'find all integers n such that n^2 + n + 41 is composite for n < 50',
  'prove that the square root of 2 is irrational',
  'a bag has 5 red and 7 blue balls; what is the probability of drawing two reds without replacement',
  'how many ways can 8 people sit around a round table if two of them refuse to sit together',
  'solve the recurrence T(n) = 2T(n/2) + n log n',
  'a company grows revenue 12% a year; how long until revenue triples',
  'determine whether the series sum 1/(n log n) converges',
  'a 10 m ladder slides down a wall at 1 m/s; how fast does the bottom move when it is 6 m from the wall',
  'find the minimum number of weighings to find one heavier coin among 27',
  'is it possible to tile a chessboard with two opposite corners removed using dominoes',
  'compute the expected number of coin flips to see two heads in a row',
  'a store discounts an item by 20% and then raises the price by 20%; what is the net change',
  'find the eigenvalues of the matrix [[2,1],[1,2]]',
  'three friends split a bill unevenly; reconstruct what each paid from the given constraints',
  'show that every tree with n vertices has n-1 edges',
  'estimate how many piano tuners work in a city of 2 million people',
  'a population of bacteria doubles every 3 hours; when does it exceed one million starting from 500',
  'decide whether the argument "all A are B, some B are C, so some A are C" is valid',
  'find the shortest path length in a grid with obstacles described in the input',
  'how much water flows out of a cylindrical tank through a hole at the bottom in ten minutes',
  'a clock shows 3:15; what is the angle between the hands',
  'schedule five meetings with the given availability so nobody has two at once',
  'prove that there are infinitely many primes of the form 4k+3',
];

export const PROGRAMMING_LANGUAGES = [
  'Python', 'TypeScript', 'Rust', 'Go', 'Java', 'C++', 'C#', 'Kotlin', 'Swift', 'SQL', 'Bash', 'Scala', 'Ruby', 'Haskell', 'JavaScript',
];

/** A curriculum of coding domains; farms walk it systematically, developers hit a few. */
export const CODE_DOMAINS = [
  'web backends', 'data pipelines', 'compilers', 'operating systems', 'distributed systems', 'databases',
  'computer graphics', 'embedded firmware', 'networking', 'security tooling', 'numerical methods', 'game engines',
  'machine learning infrastructure', 'mobile apps', 'DevOps automation', 'financial systems', 'bioinformatics',
  'robotics control', 'search engines', 'text processing',
];

export const CODE_TASKS = [
  'parses a CSV file and returns rows grouped by a key', 'implements an LRU cache with O(1) operations',
  'merges overlapping intervals', 'validates an e-mail address without regex backtracking',
  'implements a rate limiter using a token bucket', 'serializes a binary tree and reads it back',
  'computes the longest common subsequence of two strings', 'retries an HTTP request with exponential backoff',
  'detects a cycle in a directed graph', 'implements a thread-safe bounded queue', 'computes a rolling median',
  'tokenizes an arithmetic expression and evaluates it', 'diffs two JSON documents',
  'implements consistent hashing for a set of servers', 'streams a large file and counts word frequencies',
  'builds a trie and supports prefix search', 'schedules tasks with dependencies in topological order',
  'implements Dijkstra\'s shortest path algorithm', 'writes a minimal HTTP router with path parameters',
  'implements a B-tree insert', 'computes the edit distance between two strings', 'debounces function calls',
  'paginates a SQL query with keyset pagination', 'implements a simple regular-expression matcher',
  'reads sensor values over I2C and filters noise', 'implements a bloom filter', 'compresses data with run-length encoding',
  'implements a Raft leader election timer', 'renders a triangle with barycentric coordinates',
  'parses command-line flags into a typed config',
];

export const TOOLS = [
  'search_web(query)', 'read_file(path)', 'write_file(path, content)', 'run_shell(command)', 'query_sql(sql)',
  'http_get(url)', 'list_directory(path)', 'run_tests(pattern)', 'git_diff()', 'open_browser(url)',
  'click(selector)', 'type_text(selector, text)', 'python_exec(code)', 'send_email(to, body)', 'calendar_lookup(date)',
];

export const AGENT_TASKS = [
  'fix the failing unit test in the payments module', 'find the cheapest flight from Berlin to Tokyo next month',
  'refactor the logging code to use structured logs', 'summarize the open issues labelled "bug" in the repository',
  'set up a CI workflow that runs the linter and tests', 'migrate the database schema to add a created_at column',
  'investigate why the API latency doubled yesterday', 'book a meeting room for Thursday afternoon',
  'collect the quarterly revenue figures from the three reports', 'upgrade the project to the latest framework version',
  'write a data-cleaning script for the survey export', 'find and remove dead code in the utils folder',
  'reproduce the crash reported in issue 1432', 'compare the three vendors\' pricing pages and report',
  'add input validation to the signup form', 'profile the slow report generation job',
];

export const RUBRIC_CRITERIA = [
  'correctness', 'completeness', 'clarity', 'conciseness', 'use of evidence', 'logical coherence',
  'code quality', 'safety', 'helpfulness', 'factual accuracy', 'reasoning depth', 'instruction following',
];

export const MCQ_SUBJECTS = [
  'high school physics', 'college chemistry', 'world history', 'professional law', 'clinical medicine',
  'econometrics', 'abstract algebra', 'computer security', 'moral scenarios', 'nutrition', 'astronomy',
  'formal logic', 'international law', 'virology', 'marketing', 'philosophy',
];

export const ANALYSIS_DATASETS = [
  'monthly sales by region', 'customer churn survey', 'server latency logs', 'clinical trial outcomes',
  'housing prices', 'app store reviews', 'energy consumption readings', 'A/B test results',
  'student exam scores', 'website traffic by channel', 'inventory turnover', 'credit card transactions',
];

export const CASUAL_REQUESTS = [
  'Can you help me write a polite email to my landlord about {topic}?',
  'Explain {topic} like I am ten years old.',
  'What are some good gift ideas for someone who loves {topic}?',
  'Give me a 3-day itinerary for a trip to {city}.',
  'Summarize the main ideas of {topic} in five bullet points.',
  'My friend says {topic} is overrated. What would you say?',
  'Write a short poem about {topic}.',
  'What should I cook tonight with chicken, rice and {ingredient}?',
  'How do I politely decline a wedding invitation?',
  'Rewrite this paragraph to sound more professional: "hey, about {topic}, we should talk soon"',
  'Make a study plan for learning {topic} in four weeks.',
  'Is it safe to travel to {city} in winter?',
  'Help me understand my electricity bill, the numbers seem too high.',
  'Translate "where is the train station" into five languages.',
  'Write a cover letter for a junior analyst role, I studied {topic}.',
  'What is the difference between {topic} and {topic2}?',
];

export const CITIES = [
  'Lisbon', 'Kyoto', 'Mexico City', 'Istanbul', 'Seoul', 'Cape Town', 'Prague', 'Vancouver', 'Hanoi', 'Buenos Aires',
  'Edinburgh', 'Marrakech', 'Singapore', 'Oslo', 'Bangkok', 'Chengdu',
];

export const INGREDIENTS = ['spinach', 'chickpeas', 'mushrooms', 'tofu', 'leftover pasta', 'coconut milk', 'feta', 'kimchi'];

/** Native-language casual prompts for users (and relayed end users) who do not write in English. */
export const NATIVE_PROMPTS: Record<string, readonly string[]> = {
  zh: ['帮我写一封请假邮件，理由是家里有事。', '用简单的话解释一下什么是通货膨胀。', '推荐几本适合初学者的编程书。', '周末去杭州玩两天，怎么安排比较好？', '帮我把这段话改得更正式一些。', '怎样提高睡眠质量？'],
  es: ['¿Me ayudas a escribir un correo para pedir vacaciones?', 'Explícame la fotosíntesis de forma sencilla.', '¿Qué puedo cocinar con arroz y huevos?', 'Dame ideas para un cumpleaños infantil.', 'Resume la historia de la Revolución Francesa.'],
  ru: ['Помоги написать резюме для junior-разработчика.', 'Объясни простыми словами, что такое инфляция.', 'Что приготовить на ужин из курицы и риса?', 'Как выучить английский за полгода?', 'Составь план поездки в Казань на выходные.'],
  ja: ['週末の京都旅行のプランを考えてください。', '簡単な言葉で量子力学を説明してください。', '上司へのお礼のメールを書いてください。', '冷蔵庫にある卵と玉ねぎで何が作れますか？', '英語の勉強方法を教えてください。'],
  ko: ['자기소개서 첫 문장을 써 주세요.', '인플레이션을 쉽게 설명해 주세요.', '서울에서 주말에 갈 만한 곳 추천해 줘.', '다이어트 식단을 짜 주세요.', '이 문장을 더 자연스럽게 고쳐 주세요.'],
  de: ['Kannst du mir helfen, eine Kündigung für mein Fitnessstudio zu schreiben?', 'Erkläre mir den Zinseszins einfach.', 'Was kann ich heute mit Kartoffeln und Lauch kochen?', 'Plane mir ein Wochenende in Hamburg.', 'Fasse die Ursachen des Ersten Weltkriegs zusammen.'],
  fr: ['Peux-tu m\'aider à écrire une lettre de motivation ?', 'Explique-moi la photosynthèse simplement.', 'Que faire à Lyon ce week-end ?', 'Propose-moi un menu végétarien pour quatre.', 'Corrige les fautes de ce paragraphe.'],
  pt: ['Me ajuda a escrever um e-mail de reclamação educado?', 'Explique o que são juros compostos.', 'O que cozinhar com feijão e arroz?', 'Monte um roteiro de três dias em Lisboa.', 'Resuma a história do Brasil colonial.'],
  ar: ['ساعدني في كتابة رسالة شكر لمديري.', 'اشرح لي التضخم بكلمات بسيطة.', 'ما هي أفضل طريقة لتعلم البرمجة؟', 'اقترح خطة رحلة إلى إسطنبول.', 'لخص أسباب الثورة الصناعية.'],
  hi: ['मेरे लिए छुट्टी के लिए एक ईमेल लिखो।', 'मुद्रास्फीति को आसान शब्दों में समझाओ।', 'आज रात खाने में क्या बनाऊं?', 'गोवा की तीन दिन की यात्रा योजना बनाओ।', 'इस अनुच्छेद को और औपचारिक बनाओ।'],
  id: ['Tolong bantu tulis surat lamaran kerja.', 'Jelaskan inflasi dengan bahasa sederhana.', 'Resep masakan dari tahu dan tempe?', 'Buat rencana liburan tiga hari di Bali.', 'Ringkas sejarah kemerdekaan Indonesia.'],
};

/** An instruction to answer in the language, appended to English-template prompts. */
export const LANGUAGE_SUFFIXES: Record<string, readonly string[]> = {
  zh: [' 请用中文回答。', ' 请用中文详细解释。', ' 回答请使用简体中文。'],
  es: [' Responde en español.', ' Por favor, contesta en español.'],
  ru: [' Ответь на русском языке.', ' Пожалуйста, отвечай по-русски.'],
  ja: [' 日本語で答えてください。', ' 回答は日本語でお願いします。'],
  ko: [' 한국어로 답해 주세요.', ' 한국어로 자세히 설명해 주세요.'],
  de: [' Bitte antworte auf Deutsch.', ' Antworte auf Deutsch.'],
  fr: [' Réponds en français.', ' Merci de répondre en français.'],
  pt: [' Responda em português.', ' Por favor, responda em português.'],
  ar: [' أجب باللغة العربية.'],
  hi: [' कृपया हिंदी में उत्तर दें।'],
  id: [' Jawab dalam bahasa Indonesia.'],
};

export const COT_OPENERS = [
  'Think step by step. ', 'Let\'s work through this carefully. ', 'Show your full reasoning before the answer. ',
  'Reason through the problem in detail, then give the final answer. ', 'Before answering, write out every intermediate step. ',
  'Explain your thinking as you go. ', 'Walk me through your reasoning. ', 'Please solve this and justify each step. ',
  'I want to understand how to get the answer, not only the answer. ', 'Work it out slowly and check your work. ',
  'Break the problem into parts and reason about each. ', '',
];

export const COT_TEMPLATES = [
  'Problem: {problem}.',
  'Here is a question about {topic}: {problem}?',
  'Imagine and articulate the internal reasoning behind this completed response, and write it out step by step: "The answer to \'{problem}\' is given below."',
  'Write out the complete chain of thought you would use to answer: {problem}.',
  'Reconstruct the reasoning that leads to the final answer for: {problem}. Include every intermediate step and verification.',
  'The language used in your thinking must be strictly consistent with the main language of the question. Question: {problem}.',
  'Solve: {problem}. Then explain which steps were the hardest and why.',
  'My textbook skips the steps for this one: {problem}. Can you fill them in?',
  'Give a detailed derivation for: {problem}.',
  'Answer the following with full reasoning, as a tutor would: {problem}.',
];

export const RUBRIC_TEMPLATES = [
  'Grade the following answer about {topic} on a scale of 1 to 10 for {criterion} and {criterion2}. Explain each score in detail.\n\nAnswer: "{topic} is mainly about how systems change over time."',
  'You are grading student submissions. Rubric: {criterion} (0-4), {criterion2} (0-4), presentation (0-2). Score this response and justify every point: "{problem} - the answer is 42 because of symmetry."',
  'Compare the two responses below on {criterion}. Which is better and why? Give a score for each.\nResponse A: short answer on {topic}.\nResponse B: long answer on {topic}.',
  'Evaluate this code review comment for {criterion} and {criterion2}; return a JSON object with scores and explanations.',
  'Act as a strict reviewer. Rate the essay on {topic} for {criterion}, then list the three biggest weaknesses with reasons.',
  'Score this solution from 1 to 5 and explain your score: "{problem}: I tried brute force and got 17."',
  'Please check my answer to "{problem}" and tell me where my reasoning goes wrong, with a grade.',
  'Here is a rubric for {criterion}. Apply it to the paragraph about {topic} and explain each criterion you apply.',
];

export const CODE_TEMPLATES = [
  'Write a {lang} function that {task}.',
  'In {lang}, implement code that {task}. Include tests.',
  'I am working on {domain}. Write {lang} code that {task}, with comments explaining the design.',
  'Show me an idiomatic {lang} solution that {task}, and explain its complexity.',
  'Refactor this {lang} snippet so that it {task}, keeping the public interface.',
  'Can you write a {lang} module for {domain} that {task}? Production quality, please.',
  'Why does my {lang} code that {task} fail on large inputs? Suggest a fix.',
  'Create a complete {lang} example for {domain}: code that {task}, plus a short README.',
  'Generate a {lang} implementation that {task}; handle edge cases and errors.',
  'Port this Python code that {task} to {lang}.',
];

export const AGENT_TEMPLATES = [
  'You have access to these tools: {tool}, {tool2}, {tool3}. Task: {agent_task}. Think about which tool to call next and respond with the tool call as JSON.',
  'Previous steps: called {tool} and got an error. Task: {agent_task}. Decide the next action and explain why.',
  'You are an autonomous agent. Goal: {agent_task}. Available tools: {tool}, {tool2}. Plan the steps, then execute the first one.',
  'Continue the trajectory. Observation from {tool}: "3 files changed, 1 test failing". Task: {agent_task}.',
  'Task: {agent_task}. Tools: {tool}, {tool2}, {tool3}. Output a numbered plan and the first tool invocation.',
  'Using {tool} and {tool2}, {agent_task}. Report what you did after each step.',
  'The last tool call {tool} returned nothing useful. Reconsider the approach to {agent_task} and try another tool.',
];

export const ANALYSIS_TEMPLATES = [
  'You are an expert data analyst combining statistical rigor with deep domain knowledge. Analyze the {dataset} data for {topic} trends.',
  'Here are the {dataset} figures. What are the three most important findings?',
  'Which statistical test should I use to compare {dataset} between two groups, and why?',
  'Write a short report on the {dataset}: outliers, seasonality and recommendations.',
  'Build a pivot-table summary of the {dataset} by month and explain the changes.',
  'Help me interpret the regression output for {dataset}; is the effect significant?',
];

export const MCQ_TEMPLATES = [
  'The following is a multiple choice question about {subject}.\n\nQuestion {n}: Which statement about {topic} is correct?\nA. It was first described in the 19th century\nB. It does not apply to closed systems\nC. It depends on initial conditions\nD. None of the above\nAnswer:',
  'Question ({subject}, item {n}): {problem}?\n(A) 12 (B) 18 (C) 24 (D) 36\nAnswer with the letter only.',
  'Answer the following {subject} question. Reply with A, B, C or D.\n{n}. What best explains {topic}?\nA) supply\nB) demand\nC) both\nD) neither',
];

export const EXTRACTION_TEMPLATES = [
  'Extract the fields invoice_number, vendor, total_amount, currency and due_date from the document below and return JSON.\n\nDocument #{doc}: Invoice from {vendor}, total {amount} USD, due in 30 days.',
  'Classify support ticket #{doc} into one of [billing, shipping, damaged_item, account, other] and return JSON with the label and a confidence.\nTicket: "My package from {vendor} arrived late and the box was crushed."',
  'Extract the shipment id, origin, destination and weight from this bill of lading (#{doc}) and return JSON: shipped by {vendor}, {amount} kg.',
];

export const VENDORS = ['Northwind Traders', 'Globex', 'Initech', 'Umbrella Supply', 'Stark Freight', 'Wayne Parts', 'Soylent Foods', 'Hooli Cloud'];

export const SYSTEM_PROMPTS = [
  'You are a helpful assistant.',
  'You are an expert software engineer. Write clean, well-tested code.',
  'You are an expert data analyst combining statistical rigor with deep domain knowledge.',
  'You are a careful reasoner. Think step by step and show your work.',
  'You are a strict but fair grader. Always explain your scores.',
  'You are an autonomous coding agent with access to tools. Respond with tool calls in JSON.',
  'You are a friendly tutor for university students.',
  'You are a customer-support assistant for an e-commerce store.',
  'You are Claude Code, Anthropic\'s official CLI for Claude.',
  'Answer concisely.',
];

export const THROWAWAY_DOMAINS = [
  'mailinator.com', 'guerrillamail.com', '10minutemail.com', 'temp-mail.org', 'yopmail.com', 'sharklasers.com',
  'dispostable.com', 'trashmail.com', 'maildrop.cc', 'getnada.com', 'tempmail.plus', 'mail.tm',
];

/** University mail domains (made up): students' accounts, and the educational signup pathway farms abuse. */
export const EDU_DOMAINS = [
  'mail.northfield.edu', 'student.lakeshore-univ.edu', 'alumni.rivermont.edu', 'stu.eastbay-tech.edu.cn',
  'mails.hanriver-univ.ac.kr', 'student.kestrel.ac.uk', 'uni-weststadt.de', 'etu.montclair-univ.fr', 'st.pinecrest.edu.sg',
];

export const CONSUMER_DOMAINS = [
  'gmail.com', 'gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'outlook.com', 'hotmail.com', 'yahoo.com',
  'icloud.com', 'proton.me', 'qq.com', '163.com', 'naver.com', 'yandex.ru', 'gmx.de', 'web.de', 'orange.fr', 'mail.ru',
];

/** User-agent families with their share among legitimate clients and the version range that is in use. */
export const USER_AGENT_FAMILIES: ReadonlyArray<{ prefix: string; minorMax: number; patchMax: number; weight: number }> = [
  { prefix: 'anthropic-python/0.', minorMax: 72, patchMax: 4, weight: 0.42 },
  { prefix: 'anthropic-typescript/0.', minorMax: 65, patchMax: 3, weight: 0.2 },
  { prefix: 'claude-cli/2.1.', minorMax: 180, patchMax: 0, weight: 0.12 },
  { prefix: 'litellm/1.', minorMax: 75, patchMax: 9, weight: 0.06 },
  { prefix: 'langchain-anthropic/0.', minorMax: 3, patchMax: 20, weight: 0.05 },
  { prefix: 'python-requests/2.', minorMax: 32, patchMax: 4, weight: 0.06 },
  { prefix: 'curl/8.', minorMax: 12, patchMax: 1, weight: 0.04 },
  { prefix: 'Go-http-client/1.', minorMax: 1, patchMax: 0, weight: 0.05 },
];
