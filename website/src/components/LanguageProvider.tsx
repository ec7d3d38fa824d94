import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { cloudscapeI18n } from "../i18n";

/**
 * Gives Cloudscape's components the language i18next speaks; both change together. English needs
 * no provider (Cloudscape's defaults), so a switch between English and another language mounts the
 * app again under or out of it: what it shows comes back from the query cache, and drafts from
 * session storage.
 */
export function LanguageProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const cloudscape = cloudscapeI18n(i18n.language);
  return cloudscape ? (
    <cloudscape.Provider locale={i18n.language} messages={cloudscape.messages}>
      {children}
    </cloudscape.Provider>
  ) : (
    children
  );
}
