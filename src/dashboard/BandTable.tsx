import type { ScoreBand } from '../domain/kpis';
import { useFormat } from '../ui/panel/format';
import { bandLabel, percent } from './format';
import { strings as t } from './strings';

/** Acceptance by score band as a table: the calibration view's data, and the text alternative of its chart. */
export function BandTable({ bands, caption }: { bands: readonly ScoreBand[]; caption?: string }) {
  const fmt = useFormat();
  return (
    <table className="lqd-grid-table">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t.bandColumns.band}</th>
          <th scope="col">{t.bandColumns.decided}</th>
          <th scope="col">{t.bandColumns.accepted}</th>
          <th scope="col">{t.bandColumns.rate}</th>
        </tr>
      </thead>
      <tbody>
        {bands.map((b) => (
          <tr key={b.from}>
            <th scope="row">{bandLabel(b.from)}</th>
            <td className="lqd-num">{fmt.count(b.decided)}</td>
            <td className="lqd-num">{fmt.count(b.accepted)}</td>
            <td className="lqd-num">{percent(b.rate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
