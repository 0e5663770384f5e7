// AWS Bedrock model-invocation logs (schemaType "ModelInvocationLog"), one JSON
// record per invocation as delivered to S3 or CloudWatch Logs. The prompt is
// taken from the request body in each model family's shape: Anthropic
// messages, Converse, Titan `inputText`, Llama/Mistral `prompt`, Cohere `message`.
// The log carries no client IP or user agent; those come from CloudTrail
// bedrock-runtime events joined on requestId (see cloudtrail.ts).
// Docs: https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html
//       https://docs.panther.com/data-onboarding/supported-logs/aws/bedrock-model-invocation
//       https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
import { chatLets, type SourceAdapter } from './source-adapter.js';

// Bedrock runtime error codes and the HTTP status the API documents for each.
const ERROR_STATUS: Record<string, number> = {
  AccessDeniedException: 403, ValidationException: 400, ResourceNotFoundException: 404,
  ThrottlingException: 429, ServiceQuotaExceededException: 400, ModelTimeoutException: 408,
  ModelNotReadyException: 429, ModelErrorException: 424, InternalServerException: 500,
  ServiceUnavailableException: 503,
};
const statusCases = Object.entries(ERROR_STATUS).map(([code, status]) => `WHEN '${code}' THEN '${status}'`).join(' ');

export const bedrock: SourceAdapter = {
  name: 'bedrock',
  title: 'AWS Bedrock model-invocation logs',
  docs: [
    'https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html',
    'https://docs.panther.com/data-onboarding/supported-logs/aws/bedrock-model-invocation',
  ],
  signature: '`schemaType` = `ModelInvocationLog`',
  fields: {
    request_id: '`requestId`', ts: '`timestamp`', account_id: '`identity.arn` (else `accountId`)', org_id: '`accountId`',
    api_key_id: 'CloudTrail `userIdentity.accessKeyId`', model: '`modelId`', ip: 'CloudTrail `sourceIPAddress`',
    user_agent: 'CloudTrail `userAgent`',
    prompt: 'last user turn of `input.inputBodyJson`: `messages` (Anthropic, Converse), `inputText` (Titan), `prompt` (Llama, Mistral), `message` (Cohere)',
    system_prompt: '`system` (Anthropic string or blocks, Converse blocks)', input_tokens: '`input.inputTokenCount`',
    output_tokens: '`output.outputTokenCount`', max_tokens: '`max_tokens`, `inferenceConfig.maxTokens`, `textGenerationConfig.maxTokenCount`, `max_gen_len`',
    temperature: '`temperature`, `inferenceConfig.temperature`, `textGenerationConfig.temperature`', status: '200, or the HTTP status of `errorCode`',
  },
  formats: ['jsonl'],
  matches: ({ keys, head }) => keys.has('schemaType') && (keys.has('modelId') || head.includes('ModelInvocationLog')),
  lets: [{ body: `fs_json(rec->'$.input.inputBodyJson')` }, ...chatLets(`body->'$.messages'`)],
  columns: {
    request_id: `rec->>'$.requestId'`,
    ts: `rec->>'$.timestamp'`,
    account_id: `coalesce(rec->>'$.identity.arn', rec->>'$.accountId')`,
    org_id: `rec->>'$.accountId'`,
    api_key_id: 'ct_access_key_id',
    model: `rec->>'$.modelId'`,
    ip: 'ct_source_ip',
    user_agent: 'ct_user_agent',
    prompt: `coalesce(fs_content_text(user_content), body->>'$.inputText', body->>'$.prompt', body->>'$.message')`,
    system_prompt: `coalesce(fs_content_text(body->'$.system'), fs_system_text(msgs))`,
    input_tokens: `rec->>'$.input.inputTokenCount'`,
    output_tokens: `rec->>'$.output.outputTokenCount'`,
    max_tokens: `coalesce(body->>'$.max_tokens', body->>'$.inferenceConfig.maxTokens',
                          body->>'$.textGenerationConfig.maxTokenCount', body->>'$.max_gen_len')`,
    temperature: `coalesce(body->>'$.temperature', body->>'$.inferenceConfig.temperature', body->>'$.textGenerationConfig.temperature')`,
    status: `CASE WHEN (rec->>'$.errorCode') IS NULL THEN '200' ELSE CASE (rec->>'$.errorCode') ${statusCases} END END`,
  },
  identity: {
    account_id: 'server_observed',
    org_id: 'server_observed',
    api_key_id: 'server_observed',
    ip: 'server_observed',
    user_agent: 'caller_claimed',
  },
  unmapped: `CASE WHEN (rec->>'$.schemaType') IS DISTINCT FROM 'ModelInvocationLog'
                  THEN 'schemaType ' || fs_snippet(rec->>'$.schemaType') || ' is not ModelInvocationLog'
                  WHEN (rec->'$.input.inputBodyJson') IS NOT NULL AND json_type(body) <> 'OBJECT'
                  THEN 'input.inputBodyJson: not a JSON object ' || fs_snippet(rec->>'$.input.inputBodyJson') END`,
  lacks: {
    ip: 'Bedrock invocation logs carry no client IP: give the CloudTrail bedrock-runtime events (sourceIPAddress) with the logs',
    user_agent: 'Bedrock invocation logs carry no user agent: give the CloudTrail bedrock-runtime events (userAgent) with the logs',
    api_key_id: 'Bedrock invocation logs name the IAM principal, not its access key: CloudTrail userIdentity.accessKeyId has it',
    end_user: 'Bedrock has no end-user field (requestMetadata is free-form and caller-claimed; kept in the record)',
    session_id: 'Bedrock has no session id',
  },
  cloudTrailJoin: `rec->>'$.requestId'`,
};
