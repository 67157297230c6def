/**
 * What EventBridge does with an event, as far as the EKS change trigger uses it, so that tests can run
 * the packaged rules and pipe on sample events:
 * - event patterns: literal values, `{"exists": true|false}` on leaf fields, nested fields
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html);
 * - a rule target's InputTransformer: InputPathsMap variables (dot-notation JSON paths) put into the
 *   InputTemplate; a string variable in a JSON value position gains quotes, one inside a string is put
 *   in as it is (EventBridge does not escape it); a path absent from the event creates no variable; the
 *   JSON passed on is minified (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html);
 * - a pipe's InputTemplate: inline `<$.path>` paths into the source event, whose SQS `body` is parsed
 *   when it is JSON; a template that is only `<$.body>` delivers a JSON body with its quotes removed
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-input-transformation.html).
 * Anything else throws, so that a rule using more than this is noticed rather than mis-evaluated.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether an event matches an event pattern (the subset above). */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const value = isObject(event) ? event[field] : undefined;
    if (isObject(expected)) return matchesPattern(expected, value);
    if (!Array.isArray(expected)) throw new Error(`pattern field ${field}: expected an array or an object`);
    return expected.some((candidate) => {
      if (!isObject(candidate)) return Array.isArray(value) ? value.includes(candidate) : value === candidate;
      if (Object.keys(candidate).join() === 'exists')
        return candidate.exists === (value !== undefined && !isObject(value));
      throw new Error(`pattern field ${field}: unsupported ${JSON.stringify(candidate)}`);
    });
  });
}

/** The value at a dot-notation JSON path (`$.detail.requestParameters.name`, `$.a[0]`), or undefined. */
function valueAt(document: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_/-]+(\[\d+\])*)*$/.test(path)) throw new Error(`unsupported JSON path ${path}`);
  return [...path.slice(1).matchAll(/\.([^.[]+)|\[(\d+)\]/g)].reduce<unknown>((value, [, key, index]) => {
    if (key !== undefined) return isObject(value) ? value[key] : undefined;
    return Array.isArray(value) ? value[Number(index)] : undefined;
  }, document);
}

/** The template with each `<placeholder>` replaced, as EventBridge puts values into templates. */
function render(template: string, lookUp: (placeholder: string) => unknown): string {
  let output = '';
  let inString = false;
  for (let index = 0; index < template.length; index += 1) {
    const char = template[index] as string;
    if (char === '\\' && inString) {
      output += template.slice(index, index + 2);
      index += 1;
      continue;
    }
    if (char === '"') inString = !inString;
    const placeholder = char === '<' ? /^<([A-Za-z0-9_.$[\]-]+)>/.exec(template.slice(index)) : null;
    if (placeholder === null) {
      output += char;
      continue;
    }
    const value = lookUp(placeholder[1] as string);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    output += inString || typeof value !== 'string' ? text : `"${text}"`;
    index += placeholder[0].length - 1;
  }
  return output;
}

/** Minified when it is JSON, as EventBridge passes JSON on. */
function minified(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text) as Json);
  } catch {
    return text;
  }
}

/** What a rule target with this InputTransformer receives for the event. */
export function transformInput(
  transformer: { InputPathsMap: Record<string, string>; InputTemplate: string },
  event: unknown,
): string {
  return minified(
    render(transformer.InputTemplate, (name) => {
      const path = transformer.InputPathsMap[name];
      if (path === undefined) throw new Error(`<${name}> is no variable of the InputPathsMap`);
      const value = valueAt(event, path);
      // No variable is created for an absent path: say so rather than guess what the target would get.
      if (value === undefined) throw new Error(`<${name}>: ${path} is absent from the event`);
      return value;
    }),
  );
}

/** The SQS record a pipe reads from its queue for a message with this body (the fields a template uses). */
export const sqsRecord = (body: string) => ({
  messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
  body,
  attributes: { MessageGroupId: 'eks-change', MessageDeduplicationId: 'content-based' },
  messageAttributes: {},
  eventSource: 'aws:sqs',
});

/** What a pipe target with this InputTemplate receives for an SQS record. */
export function transformPipeInput(template: string, record: { body: string }): string {
  let body: unknown = record.body;
  try {
    body = JSON.parse(record.body) as Json;
  } catch {
    // Not JSON: the body stays a string.
  }
  if (template.trim() === '<$.body>' && typeof body === 'object')
    throw new Error('a template of only <$.body> delivers a JSON body with its quotes removed');
  return minified(
    render(template, (path) => {
      const value = valueAt({ ...record, body }, path);
      if (value === undefined) throw new Error(`<${path}> is absent from the record`);
      return value;
    }),
  );
}
