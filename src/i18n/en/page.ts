/**
 * The few words the content script puts on the CRM page itself, in English (`PageMessages`): the panel
 * frame's title and the show/hide button's name. Kept apart from the panel's strings, which the content
 * script does not load (its bundle stays small).
 */
export const page = {
  panelTitle: 'Lead qualification',
  hidePanel: 'Hide lead qualification',
  showPanel: 'Show lead qualification',
};

export type PageMessages = typeof page;
