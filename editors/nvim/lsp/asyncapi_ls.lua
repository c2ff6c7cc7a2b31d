-- asyncapi-ls for Neovim 0.11+ (native LSP config). With this directory on
-- 'runtimepath' (any plugin manager does that), enable it with:
--
--   vim.lsp.enable('asyncapi_ls')
--
-- and override fields with vim.lsp.config('asyncapi_ls', { ... }), e.g.
--   vim.lsp.config('asyncapi_ls', { init_options = { severityOverrides = { ['security-undefined-scheme'] = 'warning' }, showHints = true } })
--
-- The client attaches only to YAML/JSON buffers with a root `asyncapi` key:
-- root_dir calls on_dir only for those.
local settings = { severityOverrides = vim.empty_dict(), showHints = true }

---@type vim.lsp.Config
return {
  cmd = { 'asyncapi-ls' },
  filetypes = { 'yaml', 'json', 'yaml.asyncapi', 'json.asyncapi' },
  root_markers = { '.git', 'asyncapi.yaml', 'asyncapi.yml', 'asyncapi.json' },
  init_options = settings,
  settings = { ['asyncapi-ls'] = settings },
  -- :AsyncapiSecurity in attached buffers
  on_attach = function(client, bufnr) require('asyncapi_ls').on_attach(client, bufnr, {}) end,
  root_dir = function(bufnr, on_dir)
    local is_asyncapi = require('asyncapi_ls').is_asyncapi(bufnr)
    if not is_asyncapi then return end
    local root = vim.fs.root(bufnr, { '.git', 'asyncapi.yaml', 'asyncapi.yml', 'asyncapi.json' })
    on_dir(root or vim.fs.dirname(vim.api.nvim_buf_get_name(bufnr)))
  end,
}
