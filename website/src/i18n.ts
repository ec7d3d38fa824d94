import type { I18nProviderProps } from "@cloudscape-design/components/i18n";
import {
  pickLanguage,
  UI_LANGUAGES,
  type UiLanguage,
} from "@sextant/core/languages";
import i18next, { type Resource } from "i18next";
import resourcesToBackend from "i18next-resources-to-backend";
import { initReactI18next } from "react-i18next";

/** Each language named in itself, as the user menu lists them. */
const NAMES: Record<Language, string> = {
  en: "English",
  es: "Español",
  fr: "Français",
  de: "Deutsch",
  ja: "日本語",
  "pt-BR": "Português (Brasil)",
  "zh-CN": "简体中文",
};

/** The languages Sextant speaks, for the user menu. */
export const LANGUAGES = UI_LANGUAGES.map((code) => ({
  code,
  name: NAMES[code],
}));

export type Language = UiLanguage;

const CODES: readonly string[] = UI_LANGUAGES;
const STORAGE_KEY = "sextant.language";

/** The language chosen in the user menu, else the browser's. */
export function initialLanguage(): Language {
  const chosen = window.localStorage.getItem(STORAGE_KEY);
  return chosen && CODES.includes(chosen)
    ? (chosen as Language)
    : pickLanguage(navigator.languages ?? [navigator.language]);
}

// Each catalogue is a chunk of its own: a visit downloads its language's only.
const catalogues = import.meta.glob<Resource>("./locales/*.json", {
  import: "default",
});

/**
 * Cloudscape's own strings (its components' labels and announcements) for the languages other than
 * English, with its provider: both load with the first such language, so English visitors never
 * download the message formatter the provider carries. Cloudscape's components default to English.
 */
const cloudscape = new Map<string, readonly I18nProviderProps.Messages[]>();
let provider:
  typeof import("@cloudscape-design/components/i18n").I18nProvider | undefined;

/** Cloudscape's provider and its messages for `language`, once loaded; none for English. */
export const cloudscapeI18n = (language: string) => {
  const messages = cloudscape.get(language);
  return provider && messages ? { Provider: provider, messages } : undefined;
};

// Cloudscape ships messages in each of Sextant's languages; each is a chunk of its own.
const CLOUDSCAPE: Record<
  Exclude<Language, "en">,
  () => Promise<{ default: I18nProviderProps.Messages }>
> = {
  es: () => import("@cloudscape-design/components/i18n/messages/all.es"),
  fr: () => import("@cloudscape-design/components/i18n/messages/all.fr"),
  de: () => import("@cloudscape-design/components/i18n/messages/all.de"),
  ja: () => import("@cloudscape-design/components/i18n/messages/all.ja"),
  "pt-BR": () =>
    import("@cloudscape-design/components/i18n/messages/all.pt-BR"),
  "zh-CN": () =>
    import("@cloudscape-design/components/i18n/messages/all.zh-CN"),
};

async function loadCloudscape(language: Language) {
  if (language === "en" || cloudscape.has(language)) return;
  const [module, messages] = await Promise.all([
    import("@cloudscape-design/components/i18n"),
    CLOUDSCAPE[language](),
  ]);
  provider = module.I18nProvider;
  cloudscape.set(language, [messages.default]);
}

/**
 * Starts i18next in `language` with its catalogue and Cloudscape's messages loaded, so the first
 * render is in that language; the page's `lang` follows.
 */
export async function startI18n(language = initialLanguage()): Promise<void> {
  const messages = loadCloudscape(language);
  await i18next
    .use(
      resourcesToBackend((lng: string) => {
        const load = catalogues[`./locales/${lng}.json`];
        return load ? load() : Promise.reject(new Error(`no catalogue ${lng}`));
      }),
    )
    .use(initReactI18next)
    .init({
      lng: language,
      // Every catalogue has every key (src/locales/catalogues.test.ts): no English fallback to load.
      fallbackLng: false,
      supportedLngs: CODES,
      load: "currentOnly",
      // React escapes what it renders; escaping here too would show entities.
      interpolation: { escapeValue: false },
    });
  await messages;
  document.documentElement.lang = language;
}

/** Switches the language and remembers the choice on this browser. */
export async function chooseLanguage(language: Language): Promise<void> {
  window.localStorage.setItem(STORAGE_KEY, language);
  await loadCloudscape(language);
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}
