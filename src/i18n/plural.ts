/** A sentence per plural category of a language; `other` is the one every language has. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * `plural(n, { one: '1 decision', other: `${n} decisions` })` with the language's own plural rules
 * (`Intl.PluralRules`), so a translation supplies the categories its language has (few, many…)
 * instead of code testing `n === 1`.
 */
export function plurals(locale: string): (n: number, forms: PluralForms) => string {
  const rules = new Intl.PluralRules(locale);
  return (n, forms) => forms[rules.select(n)] ?? forms.other;
}
