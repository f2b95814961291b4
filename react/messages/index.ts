/** The built-in languages and how the component picks one: exact tag, then its language, then English. */
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { pt } from './pt';
import type { LivenessMessages, LivenessMessagesOverride } from './types';

export const LIVENESS_MESSAGES: Readonly<Record<string, LivenessMessages>> = { en, es, fr, de, pt };

/**
 * The words for `locale` (a BCP 47 tag such as `pt-BR`, or a list in preference order such as
 * `navigator.languages`), with `overrides` merged over them. Unknown languages fall back to English.
 */
export function resolveMessages(
  locale?: string | readonly string[],
  overrides?: LivenessMessagesOverride,
): LivenessMessages {
  const base = pickLanguage(locale);
  if (!overrides) return base;
  const problems = { ...base.problems };
  for (const [code, text] of Object.entries(overrides.problems ?? {})) {
    const key = code as keyof LivenessMessages['problems'];
    if (text && base.problems[key]) problems[key] = { ...base.problems[key], ...definedOnly(text) };
  }
  return {
    ...base,
    ...definedOnly(overrides),
    feedback: { ...base.feedback, ...definedOnly(overrides.feedback ?? {}) },
    reasons: { ...base.reasons, ...definedOnly(overrides.reasons ?? {}) },
    problems,
  } as LivenessMessages;
}

function pickLanguage(locale?: string | readonly string[]): LivenessMessages {
  const tags = locale === undefined ? [] : typeof locale === 'string' ? [locale] : locale;
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    const match = LIVENESS_MESSAGES[lower] ?? LIVENESS_MESSAGES[lower.split('-')[0] ?? ''];
    if (match) return match;
  }
  return en;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export { de, en, es, fr, pt };
export type { LivenessMessages, LivenessMessagesOverride, ProblemCode, ProblemText } from './types';
export { PROBLEM_CODES } from './types';
