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
    ],
    devDeps: [
      VITE,
      "@vitejs/plugin-react@^5.1.0",
      "@types/react@^18.3.0",
      "@types/react-dom@^18.3.0",
      "jsdom@^26",
      "@testing-library/react@^16",
      "@testing-library/dom@^10",
    ],
  });
  website.package.addField("type", "module");
  website.compileTask.reset("tsc --noEmit");
  website.compileTask.exec("vite build");
  website.addTask("dev", { description: "Vite dev server (run `npm start` for the API and issuer)", exec: "vite" });
  website.gitignore.addPatterns("/dist/");
  new Vitest(website, { args: ["--environment", "jsdom"] });
  return website;
}
