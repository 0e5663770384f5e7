// Azure OpenAI diagnostic logs, category RequestResponse (JSON lines, or
// `{"records": [...]}` documents as Event Hubs and storage deliver them).
// `properties` arrives as an object or as a JSON-encoded string. The caller's
// address is masked by Azure (last octet "***"): it is kept as a /24 prefix
// in the record's identity and flagged `masked`, never loaded as an IP, so
// masked callers are not taken for one shared address. These logs hold no
// prompt text and no token counts.
// Docs: https://learn.microsoft.com/en-us/azure/ai-foundry/openai/how-to/monitor-openai
//       https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/resource-logs-schema
//       https://github.com/elastic/integrations/tree/main/packages/azure_openai (test fixtures)
import type { SourceAdapter } from './source-adapter.js';

export const azureOpenAi: SourceAdapter = {
  name: 'azure-openai',
  title: 'Azure OpenAI RequestResponse diagnostic logs',
  docs: [
    'https://learn.microsoft.com/en-us/azure/ai-foundry/openai/how-to/monitor-openai',
    'https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/resource-logs-schema',
  ],
  signature: '`callerIpAddress` + `category` + `operationName`',
  fields: {
    request_id: '`correlationId`', ts: '`time`', account_id: '`properties.objectId` (Entra ID), else `resourceId`', org_id: '`resourceId`',
    model: '`properties.modelName` (else `modelDeploymentName`)', ip: '`callerIpAddress` unless masked (then `extra.identity.ip_prefix`)',
    status: '`resultSignature`',
  },
  formats: ['jsonl'],
  matches: ({ keys }) => keys.has('callerIpAddress') && keys.has('category') && keys.has('operationName'),
  expand: `CASE WHEN json_type(doc->'$.records') = 'ARRAY' THEN json_extract(doc, '$.records[*]') ELSE [doc] END`,
  lets: [{ props: `fs_json(rec->'$.properties')` }],
  columns: {
    request_id: `rec->>'$.correlationId'`,
    ts: `rec->>'$.time'`,
    // The Entra ID object id with Entra auth; with key auth only the resource is known.
    account_id: `coalesce(nullif(props->>'$.objectId', ''), rec->>'$.resourceId')`,
    org_id: `rec->>'$.resourceId'`,
    model: `coalesce(props->>'$.modelName', props->>'$.modelDeploymentName')`,
    ip: `CASE WHEN NOT contains(coalesce(rec->>'$.callerIpAddress', ''), '*') THEN rec->>'$.callerIpAddress' END`,
    status: `rec->>'$.resultSignature'`,
  },
  identity: {
    account_id: 'server_observed',
    org_id: 'server_observed',
    ip: 'server_observed',
  },
  ipMasked: {
    when: `contains(coalesce(rec->>'$.callerIpAddress', ''), '*')`,
    value: `rec->>'$.callerIpAddress'`,
    prefix: `regexp_replace(rec->>'$.callerIpAddress', '\\.[*]+$', '.0/24')`,
  },
  notApplicable: `CASE WHEN (rec->>'$.category') IS DISTINCT FROM 'RequestResponse'
                       THEN 'category ' || fs_snippet(rec->>'$.category') || ' is not RequestResponse' END`,
  lacks: {
    ip: 'Azure masks the last octet of callerIpAddress: only the /24 prefix is kept (identity.ip_prefix), flagged masked',
    prompt: 'RequestResponse logs hold no prompt text (an API Management gateway in front is needed for that)',
    input_tokens: 'RequestResponse logs hold no token counts',
    output_tokens: 'RequestResponse logs hold no token counts',
    user_agent: 'RequestResponse logs hold no user agent',
    api_key_id: 'RequestResponse logs do not name the key used',
  },
};
