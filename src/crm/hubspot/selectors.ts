/**
 * Every HubSpot selector the extension relies on, in one place, checked against
 * `fixtures/contact-record.html` (CRM record page, contact). HubSpot marks its UI with
 * `data-selenium-test` hooks, which are steadier than its generated class names.
 */
export const hubspotSelectors = {
  /** The record's name in the highlight card. */
  name: '[data-selenium-test="highlightTitle"]',
  /** Property fields in the "About this …" card: an input or a dropdown showing the value. */
  property: (internalName: string) => `[data-selenium-test="property-input-${internalName}"]`,
  propertyValue: 'input, textarea, .private-dropdown__item__label',
  /** The email link in the highlight card, used when the property card is collapsed. */
  highlightEmail: '[data-selenium-test="highlightEmail"] a[href^="mailto:"]',
} as const;

/** HubSpot's internal property names for the fields we read. */
export const hubspotProperties = {
  email: 'email',
  company: 'company',
  title: 'jobtitle',
  status: 'hs_lead_status',
} as const;

/** `document.title` of a record: `<Name> | HubSpot`. */
export const hubspotTitleSuffix = 'HubSpot';
