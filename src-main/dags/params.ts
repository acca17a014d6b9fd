import { z } from 'zod';
import { badRequest } from '../errors.js';
import type { ParamDefault } from './dag.js';
import { isPlainObject } from './yaml-forms.js';

/**
 * DAG parameters: the defaults a DAG file declares, the values a run is
 * given (`-- K=V`, `--params`, a REST body), and the two merged. Named
 * parameters become environment variables; positional ones the shell's
 * `$1`, `$2`, ...
 */

interface Token {
  name?: string;
  value: string;
}

const NAMED = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

/** Splits `A=1 B="two words" positional` as Dagu does; quotes keep spaces. */
export function tokenizeParams(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /([A-Za-z_][A-Za-z0-9_]*=)?("(?:[^"\\]|\\.)*"|`[^`]*`|\S+)?/y;
  let at = 0;
  while (at < text.length) {
    if (/\s/.test(text[at]!)) {
      at++;
      continue;
    }
    pattern.lastIndex = at;
    const match = pattern.exec(text)!;
    const raw = match[2] ?? '';
    const value = raw.startsWith('"') ? unquote(raw) : raw;
    tokens.push(match[1] ? { name: match[1].slice(0, -1), value } : { value });
    at = pattern.lastIndex;
  }
  return tokens;
}

function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** One CLI argument after `--` is one value, spaces and all. */
export function tokenFromArgument(argument: string): Token {
  const named = NAMED.exec(argument);
  return named ? { name: named[1]!, value: named[2]! } : { value: argument };
}

/** A REST `params` string: JSON (object or array) or `A=1 B=2`. */
export function tokensFromText(text: string): Token[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return jsonTokens(JSON.parse(trimmed));
    } catch {
      // Not JSON after all: read it as `A=1 B=2`.
    }
  }
  return tokenizeParams(text);
}

function jsonTokens(parsed: unknown): Token[] {
  if (Array.isArray(parsed)) {
    return parsed.flatMap((item) =>
      isPlainObject(item) ? jsonTokens(item) : [{ value: String(item) }],
    );
  }
  if (isPlainObject(parsed)) {
    return Object.entries(parsed).map(([name, value]) => ({
      name,
      value: typeof value === 'string' ? value : JSON.stringify(value),
    }));
  }
  return [{ value: String(parsed) }];
}

const RICH_FIELDS = [
  'name',
  'default',
  'description',
  'required',
  'enum',
  'type',
];

/** `params:` in a DAG file: a string, a map, or a list of any of them. */
export const paramsForm = z
  .unknown()
  .transform((value, ctx): ParamDefault[] => {
    const tokens: (Token & Partial<ParamDefault>)[] = [];
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const path = Array.isArray(value) ? [i] : [];
      if (typeof item === 'string') tokens.push(...tokenizeParams(item));
      else if (typeof item === 'number') tokens.push({ value: String(item) });
      else if (isPlainObject(item) && 'name' in item) {
        const rich = richParam(item);
        if (typeof rich === 'string') {
          ctx.addIssue({ code: 'custom', message: rich, path });
        } else tokens.push(rich);
      } else if (isPlainObject(item)) {
        for (const key of Object.keys(item).sort()) {
          tokens.push({ name: key, value: scalar(item[key]) });
        }
      } else {
        ctx.addIssue({
          code: 'custom',
          message: 'params must be a string, a map, or a list of them',
          path,
        });
      }
    });
    return namePositionals(tokens);
  });

function richParam(item: Record<string, unknown>) {
  const unknown = Object.keys(item).find((k) => !RICH_FIELDS.includes(k));
  if (unknown) {
    return `unknown parameter field "${unknown}" (allowed: ${RICH_FIELDS.join(', ')})`;
  }
  if (typeof item.name !== 'string' || !NAMED.test(`${item.name}=`)) {
    return 'a parameter name must be letters, digits and "_"';
  }
  const choices = item.enum;
  if (choices !== undefined && !Array.isArray(choices)) {
    return `parameter "${item.name}" enum must be a list`;
  }
  return {
    name: item.name,
    value: item.default === undefined ? '' : scalar(item.default),
    description:
      typeof item.description === 'string' ? item.description : undefined,
    required: item.required === true,
    enum: choices?.map(scalar),
  };
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function namePositionals(tokens: (Token & Partial<ParamDefault>)[]) {
  let position = 0;
  return tokens.map((token): ParamDefault => {
    const positional = token.name === undefined;
    const name = positional ? String(++position) : token.name!;
    const param: ParamDefault = {
      ...token,
      name,
      value: token.value,
      positional,
    };
    for (const key of ['description', 'required', 'enum'] as const) {
      if (param[key] === undefined) delete param[key];
    }
    return param;
  });
}

/** The parameters of one run, after the caller's values were applied. */
export interface RunParams {
  named: [string, string][];
  positional: string[];
}

/** Applies `given` to the DAG's defaults; throws on unknown or bad ones. */
export function resolveParams(
  defaults: readonly ParamDefault[],
  given: readonly Token[],
): RunParams {
  const named = new Map(
    defaults.filter((d) => !d.positional).map((d) => [d.name, d.value]),
  );
  const positional = defaults.filter((d) => d.positional).map((d) => d.value);
  const declared = [...named.keys()];

  let position = 0;
  for (const token of given) {
    if (token.name === undefined) {
      if (positional.length > 0 && position >= positional.length) {
        throw badRequest(
          'too many positional params: ' +
            `expected at most ${positional.length}, ` +
            `got ${given.filter((t) => !t.name).length}`,
        );
      }
      positional[position++] = token.value;
    } else if (declared.length > 0 && !named.has(token.name)) {
      throw badRequest(
        `unknown parameter "${token.name}": accepted parameters are ${declared.join(', ')}`,
      );
    } else named.set(token.name, token.value);
  }
  checkRules(defaults, named);
  return { named: [...named], positional };
}

function checkRules(
  defaults: readonly ParamDefault[],
  named: Map<string, string>,
) {
  for (const param of defaults) {
    const value = named.get(param.name) ?? '';
    if (param.required && value === '') {
      throw badRequest(`parameter "${param.name}" is required`);
    }
    if (param.enum && !param.enum.includes(value)) {
      throw badRequest(
        `parameter "${param.name}" must be one of ` +
          `${param.enum.join(', ')}, got ${JSON.stringify(value)}`,
      );
    }
  }
}

/** The parameters as one line, as run status and history show them. */
export function paramsText(params: RunParams): string {
  const quote = (v: string) =>
    /[\s"\\]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return [
    ...params.positional.map(quote),
    ...params.named.map(([name, value]) => `${name}=${quote(value)}`),
  ].join(' ');
}
