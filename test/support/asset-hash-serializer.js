// Masks CDK asset hashes in snapshots: they change with esbuild's version and the handler code, not with the template's meaning.
const ASSET_HASH = /[0-9a-f]{64}(\.zip|\.json)?/g;
module.exports = {
  test: (value) => typeof value === 'string' && /[0-9a-f]{64}/.test(value),
  serialize: (value) => JSON.stringify(value.replace(ASSET_HASH, '[ASSET_HASH]$1')),
};
