/** @type {import('prettier').Config} */
// Prettier settings of OCA's 18.0 repository template (the prettier hook of
// .pre-commit-config.yaml, with @prettier/plugin-xml for the views and data).
const config = {
    plugins: [require.resolve("@prettier/plugin-xml")],
    bracketSpacing: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    trailingComma: "es5",
    xmlWhitespaceSensitivity: "preserve",
};

module.exports = config;
