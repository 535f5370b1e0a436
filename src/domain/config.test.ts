import { describe, expect, it } from 'vitest';
import { describeConfigErrors, formatPath, parseConfig, type QualificationConfigInput } from './config';
import { defaultConfigInput } from './defaults';

/** The defaults with one change, to check that exactly that change is reported. */
function withChange(change: (c: QualificationConfigInput) => void) {
  const c = defaultConfigInput();
  change(c);
  return parseConfig(c);
}

function errorsOf(change: (c: QualificationConfigInput) => void) {
  const r = withChange(change);
  if (r.ok) throw new Error('expected the config to be rejected');
  return r.errors;
}

describe('configuration validation', () => {
  it('accepts the defaults', () => {
    expect(parseConfig(defaultConfigInput()).ok).toBe(true);
  });

  it('still reads a config saved before requests aged and routing rules existed, with the defaults (ADR 0018)', () => {
    const saved = defaultConfigInput() as Record<string, unknown> & { thresholds: Record<string, unknown> };
    delete saved.routing;
    delete saved.thresholds.salesRequestLiveDays;
    const r = parseConfig(saved);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.thresholds.salesRequestLiveDays).toBe(7);
    expect(r.value.routing.noSalesTask.map((x) => x.id)).toEqual(['intern_trainee_student']);
    // Each parse gets its own copy of the default rules.
    r.value.routing.noSalesTask.pop();
    expect((parseConfig(saved) as { value: { routing: { noSalesTask: unknown[] } } }).value.routing.noSalesTask).toHaveLength(1);
  });

  it('checks the new fields: the live window is whole days up to 90, routing rule ids are unique', () => {
    expect(errorsOf((c) => void (c.thresholds.salesRequestLiveDays = 1.5))[0]!.path).toBe('thresholds.salesRequestLiveDays');
    expect(errorsOf((c) => void (c.thresholds.salesRequestLiveDays = 91))[0]!.path).toBe('thresholds.salesRequestLiveDays');
    const dupe = errorsOf((c) => void c.routing!.noSalesTask.push({ ...c.routing!.noSalesTask[0]! }));
    expect(dupe.map((e) => e.path)).toEqual(['routing.noSalesTask']);
    expect(errorsOf((c) => void (c.routing!.noSalesTask[0]!.when = { kind: 'keywords', field: 'title', words: [] }))[0]!.path).toMatch(/^routing\.noSalesTask\[0\]\.when/);
  });

  it('never throws, whatever it is given', () => {
    for (const junk of [undefined, null, 42, 'text', [], { schemaVersion: 2 }]) {
      const r = parseConfig(junk);
      expect(r.ok).toBe(false);
    }
  });

  it('names the field of a wrong type', () => {
    const errors = errorsOf((c) => {
      (c.scoring.engagementRules[2] as { points: unknown }).points = 'fifteen';
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('scoring.engagementRules[2].points');
    expect(errors[0]!.message).toMatch(/number/);
  });

  it('requires fit and engagement halves that make 100', () => {
    const errors = errorsOf((c) => {
      c.scoring.fitMax = 60;
    });
    expect(errors).toEqual([{ path: 'scoring.engagementMax', message: 'fitMax + engagementMax must be 100 (now 110)' }]);
  });

  it('rejects a default framework that does not exist', () => {
    const errors = errorsOf((c) => {
      c.defaultFrameworkId = 'spin';
    });
    expect(errors).toEqual([{ path: 'defaultFrameworkId', message: '"spin" is not one of the frameworks' }]);
  });

  it('rejects questions tied to unknown criteria', () => {
    const errors = errorsOf((c) => {
      c.questions[0]!.criteria = ['need', 'budjet'];
    });
    expect(errors).toEqual([{ path: 'questions[0].criteria[1]', message: '"budjet" is not a criterion of any framework' }]);
  });

  it('rejects knock-outs and criteria that point to missing reason codes', () => {
    const errors = errorsOf((c) => {
      c.knockouts[0]!.reasonCode = 'rival';
      c.frameworks[0]!.criteria[0]!.disconfirmedReason = 'broke';
    });
    expect(errors.map((e) => e.path).sort()).toEqual(['frameworks[0].criteria[0].disconfirmedReason', 'knockouts[0].reasonCode']);
  });

  it('rejects duplicate ids', () => {
    const errors = errorsOf((c) => {
      c.reasonCodes.push({ code: 'duplicate', label: 'Again' });
      c.frameworks[1]!.id = 'bant';
    });
    expect(errors.map((e) => e.message).sort()).toEqual(['framework id "bant" is used twice', 'reason code "duplicate" is used twice']);
  });

  it('rejects an SQL rule that needs more criteria than the framework has, and thresholds out of order', () => {
    const errors = errorsOf((c) => {
      c.frameworks[0]!.sqlAt = 5;
      c.thresholds.mql = 70;
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'frameworks[0].sqlAt', message: 'must be at most the number of criteria (4)' },
        { path: 'thresholds.mql', message: 'must be below thresholds.sqlReady (65)' },
      ]),
    );
  });

  it('rejects a rule condition on a field that does not exist', () => {
    const errors = errorsOf((c) => {
      (c.scoring.fitRules[0]!.when as { field: string }).field = 'jobTitle';
    });
    expect(errors[0]!.path).toBe('scoring.fitRules[0].when.field');
  });

  it('rejects ids a CRM mapping could not carry', () => {
    const errors = errorsOf((c) => {
      c.reasonCodes[0]!.code = 'Not DM!';
    });
    expect(errors.some((e) => e.path === 'reasonCodes[0].code' && /lower-case/.test(e.message))).toBe(true);
  });

  it('formats paths and messages for people', () => {
    expect(formatPath(['scoring', 'fitRules', 3, 'points'])).toBe('scoring.fitRules[3].points');
    expect(formatPath([])).toBe('(root)');
    expect(describeConfigErrors([{ path: 'a.b', message: 'is wrong' }, { path: 'c', message: 'too' }])).toBe('a.b: is wrong\nc: too');
  });
});
