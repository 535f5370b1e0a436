/**
 * Every Salesforce Lightning selector the extension relies on, in one place. When Salesforce changes its
 * markup, the fixture tests in `page.test.ts` fail here first. Checked against
 * `fixtures/lead-view.html` (Lightning Experience, standard navigation).
 *
 * Lightning's LWC components use synthetic shadow DOM, whose nodes stay in the light DOM for a content
 * script's isolated world, so plain `querySelectorAll` finds them.
 */
export const salesforceSelectors = {
  /** The record's name in the highlights panel (one per record view, hidden ones included). */
  name: 'records-highlights2 lightning-formatted-name[slot="primaryField"]',
  /** The highlights panel of a record view. */
  highlights: 'records-highlights2',
  /**
   * The highlights panel of the active record view (Lightning marks the shown view `active`). Looked up
   * first, with `querySelector`, which stops at the first match near the top of the page, instead of
   * collecting every match in a page of tens of thousands of nodes (issue 19).
   */
  activeHighlights: '.windowViewMode-normal.active records-highlights2',
  /** One compact-layout field in the highlights panel: a label and a value. */
  detailsItem: 'records-highlights-details-item',
  detailsLabel: '.slds-text-title',
  detailsValue: '.fieldComponent',
  /** An email field's link, whatever its label says. */
  emailLink: 'a[href^="mailto:"]',
  /** The current step of the Lead Status path, when the status is not in the compact layout. */
  currentPathStep: '.slds-path__item.slds-is-current .slds-path__title',
} as const;

/** Highlights-panel labels for the fields we read (English UI; compared case-insensitively). */
export const salesforceLabels = {
  company: ['Company'],
  title: ['Title'],
  email: ['Email'],
  status: ['Lead Status', 'Status'],
} as const;

/** `document.title` of a lead record: `<Name> | Lead | Salesforce`. */
export const salesforceTitleSuffix = 'Salesforce';
