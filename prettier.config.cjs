/** @type {import('prettier').Config} */
// OCA's prettier config for 18.0 (oca-addons-repo-template v1.40). The plugin
// is found through NODE_PATH, which scripts/prettier points at the project's
// node_modules ($WILLSOFT_HOME/node).

const config = {
  // https://github.com/prettier/prettier/issues/15388#issuecomment-1717746872
  plugins: [require.resolve("@prettier/plugin-xml")],
  bracketSpacing: false,
  printWidth: 88,
  proseWrap: "always",
  semi: true,
  trailingComma: "es5",
  xmlWhitespaceSensitivity: "preserve",
};

module.exports = config;
