import { monorepo } from "@aws/pdk";
import { TypeSafeApiProject } from "@aws/pdk/type-safe-api";
import { javascript, typescript } from "projen";
import { packageDefaults } from "./defaults";
import { VITE } from "./versions";
import { Vitest } from "./vitest";

/**
 * `website/`: React + Cloudscape, built by Vite and tested by vitest (not create-react-app, not
 * jest). It reads `runtime-config.json` at start-up (PDK StaticWebsite's pattern) and talks to
 * the API through the generated react-query hooks.
 */
export function sextantWebsite(parent: monorepo.MonorepoTsProject, api: TypeSafeApiProject): typescript.TypeScriptProject {
  const website = new typescript.TypeScriptProject({
    ...packageDefaults(parent, "website", "@sextant/website"),
    srcdir: "src",
    libdir: "dist",
    tsconfig: {
      include: ["src/**/*.ts", "src/**/*.tsx", "vite.config.ts"],
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        module: "ESNext",
        moduleResolution: javascript.TypeScriptModuleResolution.BUNDLER,
        jsx: javascript.TypeScriptJsxMode.REACT_JSX,
        noEmit: true,
        declaration: false,
        rootDir: ".",
        skipLibCheck: true,
        esModuleInterop: true,
        types: ["vite/client"],
      },
    },
    deps: [
      "react@^18.3.1",
      "react-dom@^18.3.1",
      "react-router-dom@^6.30.0",
      "@cloudscape-design/components@^3.0.1000",
      "@cloudscape-design/global-styles@^1.0.40",
      "@cloudscape-design/chat-components@^1.0.139",
      // Markdown to React elements, never to HTML strings: raw HTML in answers is dropped, not rendered.
      "react-markdown@^10.1.0",
      "@tanstack/react-query@^4", // what the generated hooks (PDK 0.26) are built against
      "oidc-client-ts@^3.3.0",
      "react-oidc-context@^3.3.0",
      `${api.library.typescriptReactQueryHooks!.package.packageName}@workspace:*`,
      // The light entry only (zod schemas, config diff/merge): the editor validates with the API's own rules.
      "@sextant/core@workspace:*",
      // Message catalogues: i18next with its React binding; each language's catalogue is its own
      // chunk, loaded when that language is chosen (src/i18n.ts).
      "i18next@^27.1.5",
      "react-i18next@^18.0.2",
      "i18next-resources-to-backend@^1.2.1",
    ],
    devDeps: [
      VITE,
      "@vitejs/plugin-react@^5.1.0",
      "@types/react@^18.3.0",
      "@types/react-dom@^18.3.0",
      "jsdom@^26",
      "@testing-library/react@^16",
      "@testing-library/dom@^10",
      // Fails the lint on a user-facing string written into JSX instead of a catalogue.
      "eslint-plugin-i18next@^6.1.5",
      "@types/eslint@^8", // src/lint.test.ts runs the website's lint on samples
    ],
  });
  website.package.addField("type", "module");
  // Every user-facing string comes from a catalogue (src/locales): a literal in JSX text or in a
  // JSX attribute fails the lint. Attributes that never reach a person are named here.
  website.eslint?.addPlugins("i18next");
  website.eslint?.addRules({
    "i18next/no-literal-string": [
      "error",
      {
        mode: "jsx-only",
        "should-validate-template": true,
        words: {
          exclude: [
            "[0-9!-/:-@[-`{-~]+", // punctuation and digits (the rule's defaults)
            "[A-Z_-]+",
            "[—→·−…\\s]+", // typographic marks
            "[a-z][a-zA-Z0-9]*:?", // identifiers: a field's name, an event, an id prefix
            "/[a-zA-Z0-9/:._-]*", // the website's own paths
            "Sextant", // the product's name is the same in every language
          ],
        },
        "object-properties": { exclude: ["id", "type", "iconName", "pressedIconName", "value", "variant", "href", "sortingField", "key"] },
        "jsx-attributes": {
          exclude: [
            "className", "style", "type", "key", "id", "width", "height", "href", "to", "path", "target",
            "rel", "variant", "iconName", "iconAlign", "size", "direction", "padding", "margin", "color",
            "fontSize", "fontWeight", "textAlign", "float", "display", "status", "formAction",
            "headerSelector", "scope", "response_type", "client_id", "contentType", "name", "autoComplete", "inputMode", "step", "lang", "role",
            "aria-live", "aria-current", "dismissible", "trigger", "position", "alignItems", "wrapText",
            "data-testid", "dateTimeFormat", "stickyHeader", "resizableColumns", "selectionType", "trackBy",
            "gridDefinition", "columns", "minRows", "language", "format", "accept", "multiple", "split",
            "disableContentPaddings", "headingTagOverride", "tagOverride", "granularity", "fitHeight",
          ],
        },
      },
    ],
  });
  website.eslint?.addOverride({
    files: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    rules: { "i18next/no-literal-string": "off" },
  });
  website.compileTask.reset("tsc --noEmit");
  website.compileTask.exec("vite build");
  website.addTask("dev", { description: "Vite dev server (run `npm start` for the API and issuer)", exec: "vite" });
  website.gitignore.addPatterns("/dist/");
  new Vitest(website, { args: ["--environment", "jsdom"] });
  return website;
}
