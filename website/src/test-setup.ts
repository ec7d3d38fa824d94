import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./locales/en.json";

// Components under test speak English from the real catalogue, loaded at once (no chunk to fetch).
void i18next.use(initReactI18next).init({
  lng: "en",
  resources: { en: { translation: en } },
  interpolation: { escapeValue: false },
});
