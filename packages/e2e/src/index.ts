// The browser helpers and the website benchmark, for `npm run bench`.
export * from "./bench-website.js";
export * from "./browser.js";
