-- asyncapi-ls for Neovim: attach the asyncapi-ls language server to YAML/JSON
-- buffers that are AsyncAPI documents (a root `asyncapi` key).
--
--   require('asyncapi_ls').setup({
--     cmd = { 'asyncapi-ls' },                 -- or { '/path/to/asyncapi-ls' }
--     severity_overrides = { ['security-undefined-scheme'] = 'warning' },
--     show_hints = true,
--     on_attach = function(client, bufnr) end, -- optional
--     capabilities = nil,                      -- optional, e.g. from cmp_nvim_lsp
--   })
--
-- Works on Neovim 0.7 (vim.lsp.start_client), 0.8-0.10 (vim.lsp.start) and
-- 0.11+ (vim.lsp.config/vim.lsp.enable with the bundled lsp/asyncapi_ls.lua).
local M = {}

M.name = 'asyncapi_ls'
M.install_command = 'go install github.com/asyncapi-ls/asyncapi-ls@latest'
M.filetypes = { 'yaml', 'json', 'yaml.asyncapi', 'json.asyncapi' }
M.root_markers = { '.git', 'asyncapi.yaml', 'asyncapi.yml', 'asyncapi.json' }

-- How many lines to look at when detecting a document. The root key is
-- conventionally the first line; JSON may be minified into one long line.
local DETECT_LINES = 200

--- Reports whether the lines of a buffer are an AsyncAPI document.
---@param lines string[]
---@return boolean
function M.is_asyncapi_lines(lines)
  local first
  for _, l in ipairs(lines) do
    first = l:match('^%s*(%S)')
    if first then break end
  end
  if not first then return false end
  if first == '{' then
    -- JSON (or flow YAML): a key named asyncapi
    local text = table.concat(lines, '\n')
    return text:find('["\']?asyncapi["\']?%s*:') ~= nil
  end
  for _, l in ipairs(lines) do
    -- block YAML: a key at column 0 is a root key
    if l:match('^asyncapi%s*:') or l:match('^"asyncapi"%s*:') or l:match("^'asyncapi'%s*:") then
      return true
    end
  end
  return false
end

--- Reports whether buffer `bufnr` (default: current) is an AsyncAPI document.
---@param bufnr integer|nil
---@return boolean
function M.is_asyncapi(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not vim.api.nvim_buf_is_valid(bufnr) then return false end
  local ok = M.is_asyncapi_lines(vim.api.nvim_buf_get_lines(bufnr, 0, DETECT_LINES, false))
  vim.b[bufnr].asyncapi = ok
  return ok
end

local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if vim.fs and vim.fs.find and name ~= '' then
    local found = vim.fs.find(M.root_markers, { path = vim.fs.dirname(name), upward = true })[1]
    if found then return vim.fs.dirname(found) end
  end
  if name ~= '' then return vim.fn.fnamemodify(name, ':p:h') end
  return vim.fn.getcwd()
end

--- The server settings, as sent in initializationOptions and didChangeConfiguration.
function M.server_settings(opts)
  opts = opts or {}
  local overrides = opts.severity_overrides
  if overrides == nil or next(overrides) == nil then overrides = vim.empty_dict() end
  local show_hints = opts.show_hints
  if show_hints == nil then show_hints = true end
  return { severityOverrides = overrides, showHints = show_hints }
end

local warned = false
local function check_cmd(cmd)
  if vim.fn.executable(cmd[1]) == 1 then return true end
  if not warned then
    warned = true
    vim.schedule(function()
      vim.notify(('asyncapi-ls: `%s` was not found. Install it with `%s` (and put $(go env GOPATH)/bin on PATH), '
        .. "or pass cmd = { '/path/to/asyncapi-ls' } to require('asyncapi_ls').setup()."):format(cmd[1], M.install_command),
        vim.log.levels.ERROR)
    end)
  end
  return false
end

--- Builds the client configuration shared by every Neovim version.
function M.config(opts)
  opts = opts or {}
  local settings = M.server_settings(opts)
  return {
    name = M.name,
    cmd = opts.cmd or { 'asyncapi-ls' },
    init_options = settings,
    settings = { ['asyncapi-ls'] = settings },
    capabilities = opts.capabilities,
    on_attach = opts.on_attach,
    handlers = opts.handlers,
    on_init = function(client, result)
      -- Neovim 0.7 only answers workspace/configuration; it never pushes settings.
      if vim.fn.has('nvim-0.8') == 0 then
        client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
      end
      if opts.on_init then opts.on_init(client, result) end
    end,
  }
end

local clients_07 = {} -- root_dir -> client id (Neovim 0.7)

--- Starts (or reuses) the client for `bufnr` if it is an AsyncAPI document.
function M.attach(bufnr, opts)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not M.is_asyncapi(bufnr) then return nil end
  local config = M.config(opts)
  if not check_cmd(config.cmd) then return nil end
  config.root_dir = root_dir(bufnr)
  if vim.lsp.start then -- 0.8+: reuses a client with the same name and root_dir
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients_07[config.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    clients_07[config.root_dir] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
  return id
end

--- Sends new settings to running clients (e.g. after changing severity overrides).
function M.update_settings(opts)
  local settings = M.server_settings(opts)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, client in ipairs(get({ name = M.name })) do
    if client.name == M.name then
      client.config.settings = { ['asyncapi-ls'] = settings }
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end
  end
end

--- Sets up detection and attachment. Call once from your config.
function M.setup(opts)
  opts = opts or {}
  M.options = opts
  if vim.lsp.config and vim.lsp.enable and opts.native ~= false then
    -- 0.11+: lsp/asyncapi_ls.lua (on 'runtimepath') is the base config; merge the options in.
    local c = M.config(opts)
    c.name, c.root_dir = nil, nil
    vim.lsp.config(M.name, c)
    vim.lsp.enable(M.name)
    return
  end
  local group = vim.api.nvim_create_augroup('asyncapi_ls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = { 'yaml', 'json', 'jsonc', 'yaml.*', 'json.*' },
    callback = function(args) M.attach(args.buf, opts) end,
  })
  -- a YAML/JSON buffer that becomes AsyncAPI while it is edited
  vim.api.nvim_create_autocmd({ 'BufWritePost', 'InsertLeave' }, {
    group = group,
    pattern = { '*.yaml', '*.yml', '*.json' },
    callback = function(args)
      if not vim.b[args.buf].asyncapi then M.attach(args.buf, opts) end
    end,
  })
  -- buffers that were already open when setup() ran
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then
      local ft = vim.bo[buf].filetype
      if ft:match('^yaml') or ft:match('^json') then M.attach(buf, opts) end
    end
  end
end

return M
