import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { strings as t } from './strings';

/**
 * The most common edits of the team configuration (SQL threshold, rule points, reason codes) as fields.
 * They read and write the same JSON value as the text editor, so the two never disagree; the whole
 * document is validated on save, with field-named errors.
 */
export interface QuickEditProps {
  /** The parsed JSON of the editor, or undefined when the text is not valid JSON. */
  value: unknown;
  onChange: (next: unknown) => void;
}

type Path = readonly (string | number)[];
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function getIn(value: unknown, path: Path): unknown {
  let v = value;
  for (const p of path) {
    if (Array.isArray(v) && typeof p === 'number') v = v[p];
    else if (isObj(v) && typeof p === 'string') v = v[p];
    else return undefined;
  }
  return v;
}

/** A copy of `value` with `path` set (containers on the way must exist). */
function setIn(value: unknown, path: Path, next: unknown): unknown {
  const copy = structuredClone(value);
  let v: unknown = copy;
  for (const p of path.slice(0, -1)) v = (v as Obj)[p as string];
  (v as Obj)[path.at(-1) as string] = next;
  return copy;
}

/** What a number field holds in the JSON: a number, or the raw text (so validation names the field). */
function numberFromInput(e: ChangeEvent<HTMLInputElement>): number | string {
  const raw = e.target.value;
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isFinite(n) ? n : raw;
}

const shown = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');
const text = (v: unknown, fallback: string) => (typeof v === 'string' && v.trim() ? v : fallback);

export function QuickEdit({ value, onChange }: QuickEditProps) {
  const ids = useId();
  if (!isObj(value)) {
    return (
      <div className="lq-quick">
        <h3>{t.quickHeading}</h3>
        <p className="lq-warning">{t.quickUnavailable}</p>
      </div>
    );
  }
  const update = (path: Path) => (next: unknown) => onChange(setIn(value, path, next));
  const thresholds = getIn(value, ['thresholds']);
  const fitRules = getIn(value, ['scoring', 'fitRules']);
  const engagementRules = getIn(value, ['scoring', 'engagementRules']);
  const reasonCodes = getIn(value, ['reasonCodes']);

  return (
    <div className="lq-quick">
      <h3>{t.quickHeading}</h3>
      {isObj(thresholds) && (
        <fieldset>
          <legend>{t.thresholds}</legend>
          <div className="lq-row">
            <div className="lq-field lq-field--narrow">
              <label htmlFor={`${ids}-sql`}>{t.sqlReady}</label>
              <input id={`${ids}-sql`} type="number" min={1} max={100} step={1} value={shown(thresholds.sqlReady)} onChange={(e) => update(['thresholds', 'sqlReady'])(numberFromInput(e))} aria-describedby={`${ids}-sql-hint`} />
              <p id={`${ids}-sql-hint`} className="lq-hint">
                {t.sqlReadyHint}
              </p>
            </div>
            <div className="lq-field lq-field--narrow">
              <label htmlFor={`${ids}-mql`}>{t.mql}</label>
              <input id={`${ids}-mql`} type="number" min={0} max={100} step={1} value={shown(thresholds.mql)} onChange={(e) => update(['thresholds', 'mql'])(numberFromInput(e))} />
            </div>
          </div>
        </fieldset>
      )}
      {Array.isArray(fitRules) && <RuleTable caption={t.fitRules} rules={fitRules} onPoints={(i, v) => update(['scoring', 'fitRules', i, 'points'])(v)} />}
      {Array.isArray(engagementRules) && <RuleTable caption={t.engagementRules} rules={engagementRules} onPoints={(i, v) => update(['scoring', 'engagementRules', i, 'points'])(v)} />}
      {Array.isArray(reasonCodes) && <ReasonCodes codes={reasonCodes} onChange={update(['reasonCodes'])} />}
    </div>
  );
}

function RuleTable({ caption, rules, onPoints }: { caption: string; rules: unknown[]; onPoints: (index: number, value: number | string) => void }) {
  return (
    <table className="lq-table lq-table--compact">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.rule}</th>
          <th scope="col">{t.points}</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((rule, i) => {
          if (!isObj(rule)) return null;
          const label = text(rule.label, text(rule.id, `#${i + 1}`));
          return (
            <tr key={`${shown(rule.id)}:${i}`}>
              <th scope="row">{label}</th>
              <td>
                <input type="number" className="lq-number" min={-100} max={100} step={1} aria-label={t.pointsFor(label)} value={shown(rule.points)} onChange={(e) => onPoints(i, numberFromInput(e))} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ReasonCodes({ codes, onChange }: { codes: unknown[]; onChange: (next: unknown[]) => void }) {
  const ids = useId();
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [errors, setErrors] = useState<{ code?: string; label?: string }>({});
  const [added, setAdded] = useState('');
  const existing = codes.map((c) => (isObj(c) ? c.code : undefined));
  const change = (i: number, key: string, v: unknown) => onChange(codes.map((c, j) => (j === i && isObj(c) ? { ...c, [key]: v } : c)));

  function add(e: FormEvent) {
    e.preventDefault();
    const c = code.trim();
    const next = {
      code: !/^[a-z0-9_]{1,60}$/.test(c) ? t.newCodeInvalid : existing.includes(c) ? t.newCodeTaken(c) : undefined,
      label: label.trim() ? undefined : t.newLabelRequired,
    };
    setErrors(next);
    setAdded('');
    if (next.code || next.label) return;
    onChange([...codes, { code: c, label: label.trim() }]);
    setCode('');
    setLabel('');
    setAdded(t.reasonAdded(c));
  }

  return (
    <>
      <table className="lq-table lq-table--compact">
        <caption>{t.reasonCodes}</caption>
        <thead>
          <tr>
            <th scope="col">{t.code}</th>
            <th scope="col">{t.label}</th>
            <th scope="col">{t.retired}</th>
          </tr>
        </thead>
        <tbody>
          {codes.map((c, i) => {
            if (!isObj(c)) return null;
            const name = text(c.code, `#${i + 1}`);
            return (
              <tr key={`${name}:${i}`}>
                <th scope="row">
                  <code>{name}</code>
                </th>
                <td>
                  <input type="text" maxLength={120} aria-label={t.labelFor(name)} value={shown(c.label)} onChange={(e) => change(i, 'label', e.target.value)} />
                </td>
                <td className="lq-center">
                  <input type="checkbox" className="lq-checkbox" aria-label={t.retiredFor(name)} checked={c.retired === true} onChange={(e) => change(i, 'retired', e.target.checked)} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <form onSubmit={add} noValidate aria-labelledby={`${ids}-h`} className="lq-add">
        <h4 id={`${ids}-h`}>{t.addReasonHeading}</h4>
        <div className="lq-row">
          <div className="lq-field">
            <label htmlFor={`${ids}-code`}>{t.newCode}</label>
            <input
              id={`${ids}-code`}
              type="text"
              maxLength={60}
              spellCheck={false}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              aria-invalid={errors.code ? true : undefined}
              aria-describedby={`${ids}-code-hint${errors.code ? ` ${ids}-code-err` : ''}`}
            />
            <p id={`${ids}-code-hint`} className="lq-hint">
              {t.newCodeHint}
            </p>
            {errors.code && (
              <p id={`${ids}-code-err`} className="lq-error">
                {errors.code}
              </p>
            )}
          </div>
          <div className="lq-field">
            <label htmlFor={`${ids}-label`}>{t.newLabel}</label>
            <input
              id={`${ids}-label`}
              type="text"
              maxLength={120}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              aria-invalid={errors.label ? true : undefined}
              aria-describedby={errors.label ? `${ids}-label-err` : undefined}
            />
            {errors.label && (
              <p id={`${ids}-label-err`} className="lq-error">
                {errors.label}
              </p>
            )}
          </div>
        </div>
        <div className="lq-actions">
          <button type="submit" className="lq-button">
            {t.addReason}
          </button>
        </div>
        <p role="status" className="lq-status">
          {added}
        </p>
      </form>
    </>
  );
}
