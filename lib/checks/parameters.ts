/**
 * Check parameters: each has a default, a description and a parser that accepts the typed value
 * (settings, tests) or its string form (CLI `--param`, Config rule InputParameters).
 */
import { ParameterError } from '../errors.js';

export interface ParameterDeclaration<T> {
  readonly description: string;
  readonly default: T;
  /** Validates and converts a raw value; throws ParameterError naming the parameter. */
  parse(name: string, raw: unknown): T;
  /** The value as Config rule InputParameters and `--param` spell it. */
  format(value: T): string;
}

export type ParameterValues<D> = {
  readonly [K in keyof D]: D[K] extends ParameterDeclaration<infer T> ? T : never;
};

export function integerParameter(options: {
  description: string;
  default: number;
  min: number;
  max: number;
}): ParameterDeclaration<number> {
  return {
    description: options.description,
    default: options.default,
    parse(name, raw) {
      const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw new ParameterError(name, `expected an integer, got ${JSON.stringify(raw)}`);
      }
      if (value < options.min || value > options.max) {
        throw new ParameterError(name, `expected ${options.min}..${options.max}, got ${value}`);
      }
      return value;
    },
    format: (value) => String(value),
  };
}

export function booleanParameter(options: {
  description: string;
  default: boolean;
}): ParameterDeclaration<boolean> {
  return {
    description: options.description,
    default: options.default,
    parse(name, raw) {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw new ParameterError(name, `expected true or false, got ${JSON.stringify(raw)}`);
    },
    format: (value) => String(value),
  };
}

/** A set of values from a fixed vocabulary; the string form is comma-separated. */
export function stringSetParameter<V extends string>(options: {
  description: string;
  default: readonly V[];
  allowed: readonly V[];
}): ParameterDeclaration<readonly V[]> {
  return {
    description: options.description,
    default: options.default,
    parse(name, raw) {
      const items =
        typeof raw === 'string'
          ? raw
              .split(',')
              .map((item) => item.trim())
              .filter((item) => item !== '')
          : raw;
      if (!Array.isArray(items) || items.some((item) => typeof item !== 'string')) {
        throw new ParameterError(name, `expected a comma-separated list, got ${JSON.stringify(raw)}`);
      }
      const unknown = items.filter((item) => !(options.allowed as readonly string[]).includes(item));
      if (unknown.length > 0) {
        throw new ParameterError(
          name,
          `unknown value(s) ${unknown.join(', ')}; allowed: ${options.allowed.join(', ')}`,
        );
      }
      return [...new Set(items as V[])];
    },
    format: (value) => value.join(','),
  };
}
