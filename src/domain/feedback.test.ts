import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { findings, leadsToSample, proposeChanges, rejectionStats, UNSPECIFIED, type FeedbackRow, type Finding, type ScoredLead } from './feedback';

const config = defaultConfig(); // MQL threshold 40; "Attended a webinar" +10; "Director title" +15 (fit)
let seq = 0;
const row = (r: Partial<FeedbackRow>): FeedbackRow => ({ dispositionId: `d${++seq}`, outcome: 'accept', ...r });
const many = (n: number, r: Partial<FeedbackRow>) => Array.from({ length: n }, () => row(r));

type Line = ScoredLead['lines'][number];
const webinar = (points = 10): Line => ({ half: 'engagement', kind: 'rule', ruleId: 'webinar', points });
const director: Line = { half: 'fit', kind: 'rule', ruleId: 'title_director', points: 15 };
const lead = (score: number, lines: Line[], r: Partial<FeedbackRow> = {}): ScoredLead => ({
  dispositionId: `d${++seq}`,
  outcome: 'reject',
  reasonCode: 'not_icp',
  campaign: 'SaaStr Booth',
  source: 'Trade show',
  ...r,
  score,
  lines,
});

const booth: Finding = { dimension: 'campaign', value: 'SaaStr Booth', reasonCode: 'not_icp', count: 45, decided: 100, share: 0.45, overallShare: 0.1 };

describe('rejectionStats', () => {
  it('counts decisions and rejection reasons per campaign, with shares of the decided leads', () => {
    const rows = [
      ...many(3, { campaign: 'Booth', outcome: 'reject', reasonCode: 'not_icp' }),
      row({ campaign: 'Booth', outcome: 'reject', reasonCode: 'no_budget' }),
      row({ campaign: 'Booth', outcome: 'accept' }),
      row({ campaign: 'Booth', outcome: 'recycle' }),
      row({ campaign: 'Webinar', outcome: 'accept' }),
      row({ outcome: 'reject' }), // no campaign, no reason (imported)
    ];
    const stats = rejectionStats(rows, 'campaign');
    expect(stats.map((s) => s.value)).toEqual(['Booth', '', 'Webinar']); // biggest group first, then by name
    expect(stats[0]).toMatchObject({ decided: 6, accepted: 1, rejected: 4, recycled: 1 });
    expect(stats[0]!.reasons).toEqual([
      { code: 'not_icp', count: 3, share: 0.5 },
      { code: 'no_budget', count: 1, share: 1 / 6 },
    ]);
    expect(stats[1]!.reasons).toEqual([{ code: UNSPECIFIED, count: 1, share: 1 }]);
  });
});

describe('findings', () => {
  it('flags a reason that covers a large share of a campaign’s decisions, and of a source’s', () => {
    const rows = [
      ...many(45, { source: 'Trade show', campaign: 'SaaStr Booth', outcome: 'reject', reasonCode: 'not_icp' }),
      ...many(55, { source: 'Trade show', campaign: 'SaaStr Booth', outcome: 'accept' }),
      ...many(100, { source: 'Paid search', campaign: 'Pricing', outcome: 'accept' }),
      ...many(10, { source: 'Paid search', campaign: 'Pricing', outcome: 'reject', reasonCode: 'not_icp' }),
    ];
    const fs = findings(rows);
    // Equal shares: the campaign (the narrower group) first. Pricing's 10 of 110 is under the 25 % bar.
    expect(fs).toEqual([
      { dimension: 'campaign', value: 'SaaStr Booth', reasonCode: 'not_icp', count: 45, decided: 100, share: 0.45, overallShare: 55 / 210 },
      { dimension: 'source', value: 'Trade show', reasonCode: 'not_icp', count: 45, decided: 100, share: 0.45, overallShare: 55 / 210 },
    ]);
  });

  it('ignores small groups, rare reasons, and rejections without a reason', () => {
    const rows = [
      ...many(10, { campaign: 'Tiny', outcome: 'reject', reasonCode: 'not_icp' }), // 10 decided < 20
      ...many(30, { campaign: 'Big', outcome: 'reject' }), // unspecified
      ...many(9, { campaign: 'Mid', outcome: 'reject', reasonCode: 'bad_timing' }), // 9 < 10 leads
      ...many(11, { campaign: 'Mid', outcome: 'accept' }),
    ];
    expect(findings(rows).filter((f) => f.dimension === 'campaign')).toEqual([]);
    expect(findings(rows, { minDecided: 5, minCount: 5 }).map((f) => `${f.value}:${f.reasonCode}`)).toEqual(['Tiny:not_icp', 'Mid:bad_timing']);
  });
});

describe('leadsToSample', () => {
  it('takes the most recent rejections for the reason and accepted leads of the same group', () => {
    const rows = [
      row({ dispositionId: 'old-reject', campaign: 'SaaStr Booth', outcome: 'reject', reasonCode: 'not_icp' }),
      row({ dispositionId: 'new-reject', campaign: 'SaaStr Booth', outcome: 'reject', reasonCode: 'not_icp' }),
      row({ dispositionId: 'other-reason', campaign: 'SaaStr Booth', outcome: 'reject', reasonCode: 'bad_timing' }),
      row({ dispositionId: 'accepted', campaign: 'SaaStr Booth', outcome: 'accept' }),
      row({ dispositionId: 'other-campaign', campaign: 'Pricing', outcome: 'reject', reasonCode: 'not_icp' }),
    ];
    expect(leadsToSample([booth], rows, 1).sort()).toEqual(['accepted', 'new-reject']);
    expect(leadsToSample([booth], rows).sort()).toEqual(['accepted', 'new-reject', 'old-reject']);
  });
});

describe('proposeChanges', () => {
  it('lowers the rule most of those rejections scored on, by the least that keeps half of them below the MQL threshold', () => {
    // Four rejected leads scored on the webinar (+10) at 42, 44, 45 and 49: they need 3, 5, 6 and 10 fewer
    // points to fall below 40. Half of them (2) drop once the rule gives 5 fewer.
    const leads = [
      lead(42, [webinar(), director]),
      lead(44, [webinar(), director]),
      lead(45, [webinar()]),
      lead(49, [webinar(), director]),
      lead(30, [webinar()]), // already below the threshold: not what the change is for
      lead(43, [webinar()], { outcome: 'accept', reasonCode: undefined }), // the cost: would drop too
      lead(70, [webinar()], { outcome: 'accept', reasonCode: undefined }),
      lead(90, [webinar()], { campaign: 'Pricing' }), // another campaign
    ];
    const [p] = proposeChanges([booth], leads, { ...config, scoring: { ...config.scoring, engagementRules: [{ id: 'webinar', label: 'Attended a webinar', activity: 'webinar_attended', points: 10, maxCount: 2, decays: true }] } });
    expect(p).toMatchObject({
      kind: 'lower_rule',
      ruleId: 'webinar',
      half: 'engagement',
      currentPoints: 10,
      lowerBy: 5,
      newPoints: 5,
      mqlThreshold: 40,
      evidence: { sampledRejections: 5, targeted: 4, wouldDrop: 2, sampledAccepted: 2, acceptedWouldDrop: 1 },
    });
    expect(p!.text).toBe(
      'Leads from the campaign “SaaStr Booth” are rejected as “Not ICP fit” 45% of the time (45 of 100 decided): ' +
        'lower “Attended a webinar” by 5 (from 10 to 5 points). 2 of 4 such rejections scored on it would have stayed below ' +
        'the MQL threshold of 40; 1 of 2 accepted leads from the same campaign would have too.',
    );
  });

  it('counts decayed points in proportion, and nothing while a capped half still has points to spare', () => {
    const engagement = { ...config.scoring, engagementRules: [{ id: 'webinar', label: 'Attended a webinar', activity: 'webinar_attended', points: 10, maxCount: 1, decays: true }] };
    // The webinar gave 10 − 5 (decay) = 5 points, so each point off the rule takes half a point off this
    // lead: it needs more than 4 fewer (44 → below 40), which takes lowering the rule by 9 (4.5), not 5.
    const decayed = lead(44, [webinar(), { half: 'engagement', kind: 'decay', ruleId: 'webinar', points: -5 }]);
    expect(proposeChanges([booth], [decayed], { ...config, scoring: engagement })[0]).toMatchObject({ lowerBy: 9, evidence: { wouldDrop: 1 } });
    // Engagement capped 8 over its maximum: the first 8 points of any cut change nothing.
    const capped = lead(44, [webinar(), { half: 'engagement', kind: 'cap', ruleId: 'engagement_cap', points: -8 }]);
    expect(proposeChanges([booth], [capped], { ...config, scoring: engagement })[0]).toMatchObject({ kind: 'review', why: 'no_rule' });
  });

  it('proposes a review of the source itself when the reason is about the data', () => {
    const dup: Finding = { ...booth, reasonCode: 'invalid_data', dimension: 'source', value: 'Trade show' };
    const [p] = proposeChanges([dup], [lead(60, [director], { reasonCode: 'invalid_data' })], config);
    expect(p).toMatchObject({ kind: 'review', why: 'data_quality' });
    expect(p!.text).toBe(
      'Leads from the source “Trade show” are rejected as “Invalid contact data” 45% of the time (45 of 100 decided): the problem is the lead data, not the score. Review how this source captures and de-duplicates contacts.',
    );
  });

  it('proposes a review when no rule explains the rejections: no positive rule, or one the team has since removed', () => {
    const noRule = lead(45, [{ half: 'fit', kind: 'rule', ruleId: 'tiny_company', points: -5 }]);
    const removed = lead(45, [{ half: 'fit', kind: 'rule', ruleId: 'rule_since_deleted', points: 20 }]);
    const out = proposeChanges([booth], [noRule, removed], config);
    expect(out).toMatchObject([{ kind: 'review', why: 'no_rule' }]);
    expect(out[0]!.text).toContain('no single scoring rule explains these leads');
  });

  it('names leads without a campaign plainly, and returns one proposal per finding', () => {
    const none: Finding = { ...booth, value: '' };
    const out = proposeChanges([none, booth], [], config);
    expect(out).toHaveLength(2);
    expect(out[0]!.text.startsWith('Leads with no campaign are rejected as “Not ICP fit”')).toBe(true);
  });
});
