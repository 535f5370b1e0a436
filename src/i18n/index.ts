/**
 * The one i18n module (ADR 0012). Pure TypeScript: no browser, React or Dexie imports, so `src/domain`
 * uses it too.
 *
 * - `en/<namespace>.ts`: the English catalog of one surface (panel, options, popup, dashboard) or layer
 *   (background, protocol, crm; qualify, decision, insights, config for the domain). English is the source: each
 *   namespace's `…Messages` type is derived from it. Namespaces follow bundles: a page carries only the
 *   namespaces of the code it runs.
 * - `<namespace>.ts`: that namespace's catalogs by locale and `…Strings`, the current locale's. Code imports
 *   the namespace module it needs, never this index, so each bundle carries only its own strings.
 * - `locales.ts`: the locales we ship and `pickLocale`; `current.ts`: the locale in use.
 * - `localized.ts`: `localized(catalogs)` for catalogs kept in a plug-in folder rather than here (each
 *   `src/crm/<name>/messages.ts`: one CRM = one folder); `src/crm/messages.test.ts` checks their keys.
 */
import { backgroundCatalogs, type BackgroundMessages } from './background';
import { configCatalogs, type ConfigMessages } from './config';
import { crmCatalogs, type CrmMessages } from './crm';
import { dashboardCatalogs, type DashboardMessages } from './dashboard';
import { decisionCatalogs, type DecisionMessages } from './decision';
import { insightsCatalogs, type InsightsMessages } from './insights';
import { LOCALES, type Locale } from './locales';
import { optionsCatalogs, type OptionsMessages } from './options';
import { pageCatalogs, type PageMessages } from './page';
import { panelCatalogs, type PanelMessages } from './panel';
import { popupCatalogs, type PopupMessages } from './popup';
import { protocolCatalogs, type ProtocolMessages } from './protocol';
import { qualifyCatalogs, type QualifyMessages } from './qualify';

export { LOCALES, DEFAULT_LOCALE, pickLocale, type Locale } from './locales';
export { locale } from './current';
export { plurals, type PluralForms } from './plural';
export { localized, type Catalogs } from './localized';
export { backgroundCatalogs, backgroundStrings } from './background';
export { configCatalogs, configStrings } from './config';
export { crmCatalogs, crmStrings } from './crm';
export { dashboardCatalogs, dashboardStrings } from './dashboard';
export { decisionCatalogs, decisionStrings } from './decision';
export { insightsCatalogs, insightsStrings } from './insights';
export { optionsCatalogs, optionsStrings } from './options';
export { pageCatalogs, pageStrings } from './page';
export { panelCatalogs, panelStrings } from './panel';
export { popupCatalogs, popupStrings } from './popup';
export { protocolCatalogs, protocolStrings } from './protocol';
export { qualifyCatalogs, qualifyStrings } from './qualify';
export type {
  BackgroundMessages,
  ConfigMessages,
  CrmMessages,
  DashboardMessages,
  DecisionMessages,
  InsightsMessages,
  OptionsMessages,
  PageMessages,
  PanelMessages,
  PopupMessages,
  ProtocolMessages,
  QualifyMessages,
};

/** Every user-facing string of one locale, by namespace: the shape a whole translation has. */
export interface Messages {
  page: PageMessages;
  panel: PanelMessages;
  options: OptionsMessages;
  popup: PopupMessages;
  dashboard: DashboardMessages;
  background: BackgroundMessages;
  protocol: ProtocolMessages;
  crm: CrmMessages;
  qualify: QualifyMessages;
  decision: DecisionMessages;
  insights: InsightsMessages;
  config: ConfigMessages;
}

/** Every locale's whole catalog, for tests and tools (extension code imports one namespace module instead). */
export const locales = Object.fromEntries(
  LOCALES.map((l): [Locale, Messages] => [
    l,
    {
      page: pageCatalogs[l],
      panel: panelCatalogs[l],
      options: optionsCatalogs[l],
      popup: popupCatalogs[l],
      dashboard: dashboardCatalogs[l],
      background: backgroundCatalogs[l],
      protocol: protocolCatalogs[l],
      crm: crmCatalogs[l],
      qualify: qualifyCatalogs[l],
      decision: decisionCatalogs[l],
      insights: insightsCatalogs[l],
      config: configCatalogs[l],
    },
  ]),
) as Record<Locale, Messages>;
